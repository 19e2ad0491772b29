// zod schemas for every renderer → main payload. Strict objects: an unknown key is a refusal,
// not something to ignore, because the only legitimate caller is our own preload.
import { z } from 'zod';

export const SAVE_EXTENSIONS = ['xlsx', 'csv', 'pdf', 'txt', 'json'] as const;
export type SaveExtension = (typeof SAVE_EXTENSIONS)[number];

/** Exports are reconciliation sheets and receipts; anything near this size is a bug or an attack. */
export const MAX_SAVE_BYTES = 20 * 1024 * 1024;

/** No path separators, no drive letters, no control characters, no Windows-reserved characters. */
// eslint-disable-next-line no-control-regex
const SAFE_FILE_NAME = /^[^\\/:*?"<>|\u0000-\u001f]{1,120}$/;

export const ConnectionPayload = z.undefined();

export const PrintPayload = z.strictObject({ silent: z.boolean().optional() }).optional();

export const SaveFilePayload = z.strictObject({
  suggestedName: z.string()
    .regex(SAFE_FILE_NAME, 'must be a bare file name (no folders, no \\ / : * ? " < > |)')
    .refine((name) => (SAVE_EXTENSIONS as readonly string[]).includes(extensionOf(name)), `extension must be one of ${SAVE_EXTENSIONS.join(', ')}`),
  content: z.string().max(Math.ceil(MAX_SAVE_BYTES * 4 / 3) + 4, 'is larger than 20 MB'),
  encoding: z.enum(['utf8', 'base64']),
}).refine((p) => p.encoding !== 'base64' || /^[A-Za-z0-9+/]*={0,2}$/.test(p.content), { message: 'is not valid base64', path: ['content'] });

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/** "suggestedName: must be a bare file name" — the field first, as every boundary error here does. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : 'payload'}: ${issue.message}`).join('; ');
}
