// Idempotency-Key support: the first request with a key runs; a retry with the same key and the same
// request gets the stored response; the same key with a different request is refused.
import { type Db } from '../db/open';
import { sha256 } from './journal';

export type IdempotencyClaim =
  | { kind: 'new' }
  | { kind: 'replay'; statusCode: number; body: unknown }
  | { kind: 'in-progress' }
  | { kind: 'mismatch' };

export class IdempotencyStore {
  constructor(private readonly db: Db, private readonly now: () => Date = () => new Date()) {}

  claim(principal: string, key: string, route: string, requestBody: string): IdempotencyClaim {
    const requestHash = sha256(`${route}\n${requestBody}`);
    return this.db.transaction((): IdempotencyClaim => {
      const row = this.db.prepare('SELECT route, request_hash, status_code, response_json FROM idempotency_key WHERE principal = ? AND key = ?')
        .get(principal, key) as { route: string; request_hash: string; status_code: number | null; response_json: string | null } | undefined;
      if (!row) {
        this.db.prepare('INSERT INTO idempotency_key (principal, key, route, request_hash, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(principal, key, route, requestHash, this.now().toISOString());
        return { kind: 'new' };
      }
      if (row.request_hash !== requestHash) return { kind: 'mismatch' };
      if (row.status_code === null) return { kind: 'in-progress' };
      return { kind: 'replay', statusCode: row.status_code, body: JSON.parse(row.response_json ?? 'null') as unknown };
    }).immediate();
  }

  complete(principal: string, key: string, statusCode: number, body: unknown): void {
    this.db.prepare('UPDATE idempotency_key SET status_code = ?, response_json = ? WHERE principal = ? AND key = ?')
      .run(statusCode, JSON.stringify(body), principal, key);
  }

  /** A request that failed before changing anything may be retried with the same key. */
  release(principal: string, key: string): void {
    this.db.prepare('DELETE FROM idempotency_key WHERE principal = ? AND key = ? AND status_code IS NULL').run(principal, key);
  }

  /** Called at start-up: a claim left in progress by a crash is released so the POS can retry. */
  releaseAbandoned(): number {
    return this.db.prepare('DELETE FROM idempotency_key WHERE status_code IS NULL').run().changes;
  }
}
