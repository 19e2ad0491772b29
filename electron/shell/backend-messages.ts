// Messages between main and the backend's utility process, both directions validated with zod.
import { z } from 'zod';

const BACKEND_URL = /^http:\/\/127\.0\.0\.1:(\d{1,5})\/$/;

export const BackendToMain = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('ready'),
    url: z.string().regex(BACKEND_URL, 'must be http://127.0.0.1:<port>/')
      .refine((url) => { const port = Number(BACKEND_URL.exec(url)?.[1]); return port >= 1 && port <= 65535; }, 'port must be 1–65535'),
  }),
  z.strictObject({ type: z.literal('fatal'), message: z.string().max(2000) }),
]);
export type BackendToMain = z.infer<typeof BackendToMain>;

export const MainToBackend = z.discriminatedUnion('type', [z.strictObject({ type: z.literal('shutdown') })]);
export type MainToBackend = z.infer<typeof MainToBackend>;

/** "http://127.0.0.1:4321/" → "http://127.0.0.1:4321", the origin the CSP and the renderer use. */
export function originOf(backendUrl: string): string {
  return backendUrl.replace(/\/$/, '');
}

export function portOf(backendUrl: string): number {
  return Number(BACKEND_URL.exec(backendUrl)?.[1] ?? 0);
}
