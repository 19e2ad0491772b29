// An interface edition (接口版本) as data: which transactions a province's platform offers and under
// which code, the exact field set of every input and output node (required flags, lengths), the
// envelope fields, the URL layout, infver / recer_sys_code and the gateway security it expects.
// One JSON file per edition in this folder, validated by `EditionProfile` below (strict: a key the
// schema does not know is an error naming its path, so a typo never silently changes a message).
//
// ── Adding a transaction to an edition ───────────────────────────────────────────────────────────
// 1. Give it a TransactionSpec in core/centre/transactions.ts (the internal zod schemas: what our
//    code means by each field, both directions).
// 2. Add an entry under "transactions" in national.json (and in any edition that does not take the
//    national one through "base"), keyed by that internal infno:
//        "5206": {
//          "code": "5206",                       // the infno on the wire (e.g. "3505A" for a batch form)
//          "source": "S7 d.pingjiangxian.com 5206.html",
//          "input":  { "nodes": { "data": { "kind": "object", "fields": {
//                        "psn_no": { "required": true, "max": 30 }, "cum_ym": { "max": 6 } } } } },
//          "output": { "nodes": { "cuminfo": { "kind": "array", "fields": { "insutype": { "max": 6 }, … } } } }
//        }
//    Root-level fields (a flat output such as 7201's) go in "fields" beside "nodes"; a node inside a
//    node row (e.g. 3505's drugtracinfo[] under selinfo) goes in that node's own "nodes". A node or
//    field whose wire name differs from our internal name says so with "from": "<internal name>".
//    "output": null for transactions without an output node (2601), "file" for 9102 (a byte stream).
// 3. The client then sends exactly the fields listed (anything else is stripped, a missing required
//    field or an overlong value is refused before sending), and the sandbox, started with the same
//    edition, refuses unknown, missing or overlong fields as a platform does. The conformance test
//    (test/unit/centre/editions.test.ts) checks every listed transaction field by field.
import { z } from 'zod';

export const EDITION_FORMAT = 'ybjs-edition/1';

export const FieldSpec = z.object({
  /** Must be present and not empty. */
  required: z.boolean().optional(),
  /** Longest value in characters, as the edition's table gives it. */
  max: z.number().int().positive().optional(),
  /** Our internal name when the edition spells it differently. */
  from: z.string().min(1).optional(),
  /** A fixed value this edition expects (envelope fields only, e.g. enc_type). */
  value: z.string().optional(),
}).strict();
export type FieldSpec = z.infer<typeof FieldSpec>;

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const FieldMap = z.record(z.string().regex(FIELD_NAME, 'field names are letters, digits and _'), FieldSpec);
export type FieldMap = z.infer<typeof FieldMap>;

export interface NodeSpec {
  readonly kind: 'object' | 'array';
  readonly required?: boolean | undefined;
  readonly from?: string | undefined;
  readonly fields: FieldMap;
  readonly nodes?: Readonly<Record<string, NodeSpec>> | undefined;
}

export const NodeSpec: z.ZodType<NodeSpec> = z.lazy(() => z.object({
  kind: z.enum(['object', 'array']),
  /** The node must be present (an array: with at least one row). */
  required: z.boolean().optional(),
  from: z.string().min(1).optional(),
  fields: FieldMap,
  nodes: z.record(z.string().regex(FIELD_NAME), NodeSpec).optional(),
}).strict());

export const MessageSpec = z.object({
  fields: FieldMap.optional(),
  nodes: z.record(z.string().regex(FIELD_NAME), NodeSpec).optional(),
}).strict();
export type MessageSpec = z.infer<typeof MessageSpec>;

export const EditionTransaction = z.object({
  /** The infno on the wire. */
  code: z.string().regex(/^\d{4,5}[A-Z]?$/, 'a 4- or 5-digit transaction code, optionally with a letter'),
  /** Path of this transaction when the URL layout is per-transaction. */
  path: z.string().regex(/^\//, 'an absolute path').optional(),
  /** Where the field set was restated from (a source id of this file's "sources", plus detail). */
  source: z.string().min(1),
  input: MessageSpec,
  output: z.union([MessageSpec, z.null(), z.literal('file')]),
}).strict();
export type EditionTransaction = z.infer<typeof EditionTransaction>;

/** How messages are protected on the way (native/centre/security/*). */
export const SECURITY_MODES = ['plain', 'tif-headers', 'sm4-sm2'] as const;
export type SecurityMode = (typeof SECURITY_MODES)[number];

export const EditionProfileFile = z.object({
  format: z.literal(EDITION_FORMAT),
  id: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'lower-case letters, digits and -'),
  name: z.string().min(1).max(60),
  /** One edition this one starts from: its transactions and envelope, unless given here. */
  base: z.string().optional(),
  infver: z.string().min(1).max(6).optional(),
  recerSysCode: z.string().min(1).max(10).optional(),
  security: z.enum(SECURITY_MODES).optional(),
  url: z.union([
    z.object({ layout: z.literal('single'), path: z.string().regex(/^\//, 'an absolute path') }).strict(),
    z.object({ layout: z.literal('per-transaction') }).strict(),
  ]).optional(),
  envelope: z.object({ request: FieldMap, response: FieldMap }).strict().optional(),
  /** A bearer token the gateway wants first (OAuth 2 password grant at tokenPath), or null for none. */
  auth: z.union([z.null(), z.object({ kind: z.literal('oauth-password'), tokenPath: z.string().regex(/^\//, 'an absolute path') }).strict()]).optional(),
  /** Source ids used in "source" (S1 …) → repository and path, as in docs/centre-and-sync.md. */
  sources: z.record(z.string(), z.string().min(1)),
  /** What this edition is known not to have, or open points, in a sentence each. */
  notes: z.array(z.string()).default([]),
  transactions: z.record(z.string().regex(/^\d{4}[A-Z]?$/, 'keys are our internal infno (core/centre/transactions.ts)'), EditionTransaction).default({}),
}).strict();
export type EditionProfileFile = z.infer<typeof EditionProfileFile>;

/** A profile with its base applied: everything the client and the sandbox need. */
export interface EditionProfile {
  readonly id: string;
  readonly name: string;
  readonly infver: string;
  readonly recerSysCode: string;
  readonly security: SecurityMode;
  readonly url: { readonly layout: 'single'; readonly path: string } | { readonly layout: 'per-transaction' };
  readonly envelope: { readonly request: FieldMap; readonly response: FieldMap };
  readonly auth: { readonly kind: 'oauth-password'; readonly tokenPath: string } | null;
  readonly sources: Readonly<Record<string, string>>;
  readonly notes: readonly string[];
  readonly transactions: Readonly<Record<string, EditionTransaction>>;
}

export class EditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EditionError';
  }
}

/** Names each problem with its path, e.g. `transactions.2101.input.nodes.druginfo.fields.psn_no.requird: unknown key (a typo?)`. */
export function parseEditionFile(json: unknown, origin: string): EditionProfileFile {
  const parsed = EditionProfileFile.safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues.flatMap((issue) => {
      const path = issue.path.map(String);
      if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${[...path, key].join('.')}: unknown key (a typo?)`);
      return [`${path.join('.') || '(root)'}: ${issue.message}`];
    }).join('; ');
    throw new EditionError(`edition ${origin}: ${detail}`);
  }
  return parsed.data;
}

/** Applies `base` (one level) and checks what only the whole profile can show. */
export function resolveEdition(file: EditionProfileFile, baseOf: (id: string) => EditionProfileFile | undefined): EditionProfile {
  const base = file.base === undefined ? undefined : baseOf(file.base);
  if (file.base !== undefined && !base) throw new EditionError(`edition ${file.id}: base: no edition named ${JSON.stringify(file.base)}`);
  if (base?.base !== undefined) throw new EditionError(`edition ${file.id}: base: ${base.id} has a base itself; one level only`);
  const pick = <K extends keyof EditionProfileFile>(key: K): EditionProfileFile[K] | undefined => file[key] ?? base?.[key];
  const missing = (['infver', 'recerSysCode', 'security', 'url', 'envelope'] as const).filter((k) => pick(k) === undefined);
  if (missing.length) throw new EditionError(`edition ${file.id}: ${missing.join(', ')}: required (here or in its base)`);
  const transactions = { ...(base?.transactions ?? {}), ...file.transactions };
  const url = pick('url')!;
  const envelope = pick('envelope')!;
  const security = pick('security')!;
  for (const [infno, tx] of Object.entries(transactions)) {
    if (url.layout === 'per-transaction' && !tx.path) throw new EditionError(`edition ${file.id}: transactions.${infno}.path: required with the per-transaction URL layout`);
  }
  if (security === 'sm4-sm2') {
    const absent = ['cainfo', 'signtype', 'enc_type'].filter((f) => !envelope.request[f]);
    if (absent.length) throw new EditionError(`edition ${file.id}: envelope.request: ${absent.join(', ')} must be defined for sm4-sm2`);
  }
  return {
    id: file.id, name: file.name,
    infver: pick('infver')!, recerSysCode: pick('recerSysCode')!, security, url, envelope,
    auth: file.auth !== undefined ? file.auth : base?.auth ?? null,
    sources: { ...(base?.sources ?? {}), ...file.sources },
    notes: file.notes,
    transactions,
  };
}

/** The security modes an edition can run: SM4/SM2 needs cainfo, signtype and enc_type in its envelope. */
export function supportedSecurityModes(edition: Pick<EditionProfile, 'envelope'>): SecurityMode[] {
  const sm = ['cainfo', 'signtype', 'enc_type'].every((f) => edition.envelope.request[f] !== undefined);
  return SECURITY_MODES.filter((mode) => mode !== 'sm4-sm2' || sm);
}
