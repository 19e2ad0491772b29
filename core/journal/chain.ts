// The settlement journal is a hash chain: each entry's hash covers the previous hash and the
// entry's canonical JSON, so editing, deleting or reordering any past entry is detectable.
// Pure: the hash function is injected (SHA-256 in native/).

export type Hasher = (text: string) => string;
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth, so the same value always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonicalJson: non-finite number');
    if (value === undefined) throw new Error('canonicalJson: undefined is not JSON');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export interface JournalEntryBody {
  readonly seq: number;
  readonly at: string;
  readonly kind: string;
  readonly payload: unknown;
}

export function entryHash(hash: Hasher, prevHash: string, body: JournalEntryBody): string {
  const { seq, at, kind, payload } = body;
  return hash(`${prevHash}\n${canonicalJson({ seq, at, kind, payload })}`);
}

export interface StoredEntry extends JournalEntryBody {
  readonly prevHash: string;
  readonly hash: string;
}

export type ChainCheck = { ok: true; entries: number; head: string } | { ok: false; entries: number; brokenAt: number; reason: string };

export function verifyChain(hash: Hasher, entries: Iterable<StoredEntry>): ChainCheck {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for (const e of entries) {
    count++;
    if (e.seq !== expectedSeq) return { ok: false, entries: count, brokenAt: e.seq, reason: `sequence gap: expected ${expectedSeq}, found ${e.seq}` };
    if (e.prevHash !== prev) return { ok: false, entries: count, brokenAt: e.seq, reason: 'previous-hash link does not match' };
    if (entryHash(hash, prev, e) !== e.hash) return { ok: false, entries: count, brokenAt: e.seq, reason: 'entry content does not match its hash' };
    prev = e.hash;
    expectedSeq++;
  }
  return { ok: true, entries: count, head: prev };
}
