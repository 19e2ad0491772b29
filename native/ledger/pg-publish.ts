// Head office publishes to the chain's tills through the ledger: a signed policy package or a
// SKU-mapping change, checked here before it is stored (a till verifies it again before applying),
// and the acknowledgements that say which tills have applied each publication and which have not.
import { type Publication } from '../../core/ledger/port';
import { PublishRequest } from '../../core/ledger/publication';
import { verifySignedPackage } from '../policy-update/signed-package';
import { TRUSTED_POLICY_KEYS } from '../policy-update/keys';
import { type PgLedger } from './pg-ledger';

export class PublishError extends Error {}

/** Validates and stores one publication; returns its id. Nothing is stored when it is refused. */
export async function publish(ledger: PgLedger, input: unknown, publishedBy: string, keys: Readonly<Record<string, string>> = TRUSTED_POLICY_KEYS): Promise<number> {
  const parsed = PublishRequest.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PublishError(`${issue.path.join('.') || 'publication'}: ${issue.message}`);
  }
  const request = parsed.data;
  if (request.kind === 'policy_package') {
    try { verifySignedPackage(request.payload, keys); } catch (error) {
      throw new PublishError(`policy package: ${error instanceof Error ? error.message : String(error)} (not published)`);
    }
  }
  if (!publishedBy.trim()) throw new PublishError('publishedBy: who publishes (a name)');
  return ledger.transaction(async (c) => {
    if (request.scope !== null) {
      const store = await c.query('SELECT 1 FROM ledger_store WHERE fixmedins_code = $1', [request.scope]);
      if (store.rowCount === 0) throw new PublishError(`scope: store ${request.scope} is not in this ledger`);
    }
    const row = await c.query<{ id: string }>('INSERT INTO ledger_publication (scope, kind, payload, published_by) VALUES ($1, $2, $3, $4) RETURNING id',
      [request.scope, request.kind, JSON.stringify(request.payload), publishedBy.trim()]);
    return Number(row.rows[0]!.id);
  });
}

export interface PublicationStatus {
  readonly id: number;
  readonly kind: Publication['kind'];
  readonly scope: string | null;
  readonly publishedAt: string;
  readonly publishedBy: string;
  /** Every till the publication is for, with what it answered; `waiting` until it has. */
  readonly tills: ReadonlyArray<{ fixmedinsCode: string; tillId: string; state: 'applied' | 'refused' | 'waiting'; message: string | null; at: string | null }>;
}

/** Each publication with the tills it concerns (those registered in its scope) and their answers. */
export async function publicationStatus(ledger: PgLedger): Promise<PublicationStatus[]> {
  const rows = (await ledger.pool.query<{ id: string; kind: Publication['kind']; scope: string | null; published_at: Date; published_by: string; fixmedins_code: string | null; till_id: string | null; ok: boolean | null; message: string | null; acked_at: Date | null }>(`
    SELECT p.id, p.kind, p.scope, p.published_at, p.published_by, t.fixmedins_code, t.till_id, a.ok, a.message, a.acked_at
    FROM ledger_publication p
    LEFT JOIN ledger_till t ON p.scope IS NULL OR t.fixmedins_code = p.scope
    LEFT JOIN ledger_publication_ack a ON a.publication_id = p.id AND a.fixmedins_code = t.fixmedins_code AND a.till_id = t.till_id
    ORDER BY p.id, t.fixmedins_code, t.till_id`)).rows;
  const byId = new Map<number, { id: number; kind: Publication['kind']; scope: string | null; publishedAt: string; publishedBy: string; tills: PublicationStatus['tills'][number][] }>();
  for (const r of rows) {
    const id = Number(r.id);
    let p = byId.get(id);
    if (!p) { p = { id, kind: r.kind, scope: r.scope, publishedAt: r.published_at.toISOString(), publishedBy: r.published_by, tills: [] }; byId.set(id, p); }
    if (r.fixmedins_code !== null && r.till_id !== null) {
      p.tills.push({ fixmedinsCode: r.fixmedins_code, tillId: r.till_id, state: r.ok === null ? 'waiting' : r.ok ? 'applied' : 'refused', message: r.message, at: r.acked_at?.toISOString() ?? null });
    }
  }
  return [...byId.values()];
}
