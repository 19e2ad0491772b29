// The settlement journal (append-only hash chain). `append` must run inside the caller's
// transaction, so the journal line and the settlement it records commit together.
import { createHash } from 'node:crypto';
import { entryHash, GENESIS_HASH, verifyChain, type ChainCheck, type Hasher, type StoredEntry } from '../../core/journal/chain';
import { statement, type Db } from '../db/open';

export const sha256: Hasher = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

interface Row { seq: number; at: string; kind: string; payload: string; prev_hash: string; hash: string }

export class Journal {
  constructor(private readonly db: Db, private readonly now: () => Date = () => new Date()) {}

  append(kind: string, payload: unknown): StoredEntry {
    if (!this.db.inTransaction) throw new Error('Journal.append must run inside the transaction that makes the change it records');
    const last = statement(this.db, 'SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    const body = { seq: (last?.seq ?? 0) + 1, at: this.now().toISOString(), kind, payload };
    const prevHash = last?.hash ?? GENESIS_HASH;
    const hash = entryHash(sha256, prevHash, body);
    statement(this.db, 'INSERT INTO journal (seq, at, kind, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)')
      .run(body.seq, body.at, kind, JSON.stringify(payload), prevHash, hash);
    return { ...body, prevHash, hash };
  }

  *entries(): Generator<StoredEntry> {
    for (const row of this.db.prepare('SELECT * FROM journal ORDER BY seq').iterate() as Iterable<Row>) {
      yield { seq: row.seq, at: row.at, kind: row.kind, payload: JSON.parse(row.payload) as unknown, prevHash: row.prev_hash, hash: row.hash };
    }
  }

  verify(): ChainCheck {
    return verifyChain(sha256, this.entries());
  }
}
