// The store ledger on PostgreSQL (client: pg). Implements core/ledger/port.ts for the tills, and
// the set-up a chain's head office does once (initChainLedger, addStore).
//
// Exactly once: a push runs in one transaction that locks the till's row, skips every fact at or
// below the till's applied_seq, inserts the rest (primary key store + till + seq as a second belt),
// updates the projections and moves applied_seq — so a batch pushed again after a crash or a lost
// COMMIT reply is applied once.
import pg from 'pg';
import { maskLedgerUrl } from '../../core/ledger/url';
import { businessDate } from '../../core/checkout/business-date';
import {
  type ChainSoldCode, LEDGER_SEAT_SETTING, LEDGER_SETTING, LedgerSetupError, type LedgerPort, type OutgoingFact, type Publication, type PushReport, TILL_ID_SETTING, type TillIdentity,
} from '../../core/ledger/port';
import { centreDayOf, LIVE_UNCONFIRMED_STATES, type SettlementSource } from '../../core/reconcile/facts';
import { LEDGER_MIGRATIONS, LEDGER_SCHEMA_VERSION } from './pg-schema';

// Business days are calendar dates: read them as 'YYYY-MM-DD' text, never as a Date in some time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (text) => text);

/** Any error pg raises for a server we cannot use (down, refused, unknown host, auth, no such database). */
export function connectionProblem(error: unknown): string | null {
  const e = error as { code?: string; message?: string };
  const code = e?.code ?? '';
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'EPIPE', '57P01', '57P02', '57P03', '08006', '08001', '08003', '08004'].includes(code)) return `${code} ${e.message ?? ''}`.trim();
  if (code === '28P01' || code === '28000') return `登录被拒绝（${e.message ?? code}）`;
  if (code === '3D000') return `数据库不存在（${e.message ?? code}）`;
  if (/timeout|terminat|Connection terminated|connect/i.test(e?.message ?? '')) return e.message!;
  return null;
}

export function parseLedgerUrl(url: string): string {
  let parsed: URL;
  try { parsed = new URL(url); } catch { throw new LedgerSetupError('LEDGER_URL_INVALID', `门店账本地址不是有效的连接串：请检查 ${LEDGER_SETTING}，格式 postgres://用户@主机:端口/数据库`, 'ledgerUrl'); }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new LedgerSetupError('LEDGER_URL_INVALID', `门店账本地址须以 postgres:// 开头（现为 ${parsed.protocol}）：请检查 ${LEDGER_SETTING}`, 'ledgerUrl');
  }
  if (!parsed.pathname || parsed.pathname === '/') throw new LedgerSetupError('LEDGER_URL_INVALID', `门店账本地址缺少数据库名：请检查 ${LEDGER_SETTING}`, 'ledgerUrl');
  return url;
}

/** The URL without its password, for messages and logs. */
export function redactedUrl(url: string): string {
  try { new URL(url); return maskLedgerUrl(url); } catch { return '(invalid)'; }
}

export interface PgLedgerOptions {
  readonly url: string;
  readonly connectTimeoutMs?: number;
  readonly poolSize?: number;
}

export class PgLedger implements LedgerPort {
  readonly pool: pg.Pool;
  private checkPool: pg.Pool | undefined;

  constructor(private readonly options: PgLedgerOptions) {
    parseLedgerUrl(options.url);
    this.pool = new pg.Pool({
      connectionString: options.url, max: options.poolSize ?? 2, connectionTimeoutMillis: options.connectTimeoutMs ?? 3_000,
      idleTimeoutMillis: 10_000, statement_timeout: 30_000, application_name: 'yibao-jiesuan',
    });
    // An idle connection cut by a server restart must not take the till down.
    this.pool.on('error', () => {});
  }

  async register(till: TillIdentity): Promise<void> {
    await this.transaction(async (c) => {
      await migrateLedger(c, { kind: 'store', name: till.fixmedinsName, store: { code: till.fixmedinsCode, name: till.fixmedinsName, areaCode: till.areaCode } });
      const meta = (await c.query<{ kind: string; name: string }>('SELECT kind, name FROM ledger_meta WHERE id = 1')).rows[0]!;
      const store = (await c.query('SELECT 1 FROM ledger_store WHERE fixmedins_code = $1', [till.fixmedinsCode])).rowCount;
      if (!store) {
        const owners = (await c.query<{ fixmedins_code: string }>('SELECT fixmedins_code FROM ledger_store ORDER BY 1 LIMIT 5')).rows.map((r) => r.fixmedins_code);
        throw new LedgerSetupError('LEDGER_OTHER_STORE', meta.kind === 'store'
          ? `门店账本属于定点机构 ${owners.join('、')}，不是本店 ${till.fixmedinsCode}：请检查 ${LEDGER_SETTING}`
          : `本店 ${till.fixmedinsCode} 不在连锁账本「${meta.name}」的门店名单中：请总部先加入本店（npm run ledger -- add-store），或检查 ${LEDGER_SETTING}`, 'ledgerUrl');
      }
      await c.query('INSERT INTO ledger_till (fixmedins_code, till_id, instance_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [till.fixmedinsCode, till.tillId, till.instanceId]);
      await this.ownTill(c, till, false);
    });
  }

  /**
   * Head office's seat (ledgerSeat headoffice): reads which ledger this is without creating,
   * upgrading or registering anything. Refuses a database that is not a ledger yet, one of a newer
   * schema, and a single store's ledger (a head-office seat is for a chain's).
   */
  async chainInfo(): Promise<{ name: string; stores: number }> {
    return this.transaction(async (c) => {
      const exists = (await c.query("SELECT to_regclass('ledger_meta') IS NOT NULL AS ok")).rows[0].ok as boolean;
      const meta = exists ? (await c.query<{ kind: string; name: string; schema_version: number }>('SELECT kind, name, schema_version FROM ledger_meta WHERE id = 1')).rows[0] : undefined;
      if (!meta) throw new LedgerSetupError('LEDGER_NOT_A_LEDGER', `该数据库还不是连锁账本：总部请先建立（npm run ledger -- init --url … --chain 名称 --store …），或检查 ${LEDGER_SETTING}`, 'ledgerUrl');
      if (meta.schema_version > LEDGER_SCHEMA_VERSION) {
        throw new LedgerSetupError('LEDGER_TOO_NEW', `门店账本由更新版本的软件建立（账本版本 ${meta.schema_version}，本软件只认识到 ${LEDGER_SCHEMA_VERSION}）：请先升级本机，或检查 ${LEDGER_SETTING}`, 'ledgerUrl');
      }
      if (meta.kind !== 'chain') {
        throw new LedgerSetupError('LEDGER_NOT_CHAIN', `账本「${meta.name}」是单店账本、不是连锁账本，总部席位只能连接连锁账本：请检查 ${LEDGER_SEAT_SETTING}（收银台请设为 till）或 ${LEDGER_SETTING}`, 'ledgerSeat');
      }
      const stores = Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM ledger_store')).rows[0]!.n);
      return { name: meta.name, stores };
    });
  }

  async push(till: TillIdentity, facts: readonly OutgoingFact[], pendingAfter: number): Promise<PushReport> {
    return this.transaction(async (c) => {
      const applied = await this.ownTill(c, till, true);
      const fresh = facts.filter((f) => f.seq > applied);
      if (fresh.length === 0) {
        await c.query('UPDATE ledger_till SET pending = $3, last_push_at = now() WHERE fixmedins_code = $1 AND till_id = $2', [till.fixmedinsCode, till.tillId, pendingAfter]);
        return { appliedUpTo: applied, alreadyHad: facts.length };
      }
      const key = [till.fixmedinsCode, till.tillId];
      await c.query(`INSERT INTO ledger_fact (fixmedins_code, till_id, seq, kind, at, body)
        SELECT $1, $2, f.seq, f.kind, f.at, f.body FROM jsonb_to_recordset($3::jsonb) AS f(seq bigint, kind text, at timestamptz, body jsonb)
        ON CONFLICT DO NOTHING`, [...key, JSON.stringify(fresh)]);
      const settlements = latestBy(fresh, 'settlement', (f) => f.body.settlementId).map(({ seq, body }) => settlementRow(seq, body));
      if (settlements.length > 0) {
        await c.query(`INSERT INTO ledger_settlement (fixmedins_code, till_id, settlement_id, msgid, sale_id, sale_day, centre_day, refund_day, outbox_state, live,
            prov_total, prov_fund, prov_account, centre_medfee, source, seq)
          SELECT $1, $2, r.settlement_id, r.msgid, r.sale_id, r.sale_day, r.centre_day, r.refund_day, r.outbox_state, r.live,
            r.prov_total, r.prov_fund, r.prov_account, r.centre_medfee, r.source, r.seq
          FROM jsonb_to_recordset($3::jsonb) AS r(settlement_id bigint, msgid text, sale_id text, sale_day date, centre_day date, refund_day date, outbox_state text,
            live boolean, prov_total numeric, prov_fund numeric, prov_account numeric, centre_medfee numeric, source jsonb, seq bigint)
          ON CONFLICT (fixmedins_code, till_id, settlement_id) DO UPDATE SET msgid = excluded.msgid, sale_id = excluded.sale_id, sale_day = excluded.sale_day,
            centre_day = excluded.centre_day, refund_day = excluded.refund_day, outbox_state = excluded.outbox_state, live = excluded.live,
            prov_total = excluded.prov_total, prov_fund = excluded.prov_fund, prov_account = excluded.prov_account, centre_medfee = excluded.centre_medfee,
            source = excluded.source, seq = excluded.seq
          WHERE ledger_settlement.seq < excluded.seq`, [...key, JSON.stringify(settlements)]);
      }
      const adjustments = latestBy(fresh, 'adjustment', (f) => f.body.id).map(({ seq, body }) => ({ adjustment_id: body.id, day: body.day, centre_day: body.centreDay, source: body, seq }));
      if (adjustments.length > 0) {
        await c.query(`INSERT INTO ledger_adjustment (fixmedins_code, till_id, adjustment_id, day, centre_day, source, seq)
          SELECT $1, $2, a.adjustment_id, a.day, a.centre_day, a.source, a.seq FROM jsonb_to_recordset($3::jsonb) AS a(adjustment_id bigint, day date, centre_day date, source jsonb, seq bigint)
          ON CONFLICT DO NOTHING`, [...key, JSON.stringify(adjustments)]);
      }
      const acks = latestBy(fresh, 'ack', (f) => f.body.publicationId).map(({ body }) => body);
      if (acks.length > 0) {
        await c.query(`INSERT INTO ledger_publication_ack (publication_id, fixmedins_code, till_id, ok, message)
          SELECT a."publicationId", $1, $2, a.ok, a.message FROM jsonb_to_recordset($3::jsonb) AS a("publicationId" bigint, ok boolean, message text)
          WHERE EXISTS (SELECT 1 FROM ledger_publication p WHERE p.id = a."publicationId") ON CONFLICT DO NOTHING`, [...key, JSON.stringify(acks)]);
      }
      // Per code and sale the batch's last event wins (a code sold and freed in one batch is freed);
      // a row is only ever moved forward (seq), so a re-pushed older event changes nothing.
      const traces = latestTrace(fresh);
      if (traces.length > 0) {
        await c.query(`INSERT INTO ledger_trace_code (fixmedins_code, till_id, code, sale_id, sku, split, sold_at, returned_at, seq)
          SELECT $1, $2, t.code, t.sale_id, t.sku, t.split, t.sold_at, t.returned_at, t.seq
          FROM jsonb_to_recordset($3::jsonb) AS t(code text, sale_id text, sku text, split boolean, sold_at timestamptz, returned_at timestamptz, seq bigint)
          ON CONFLICT (fixmedins_code, till_id, code, sale_id) DO UPDATE SET
            sold_at = CASE WHEN excluded.returned_at IS NULL THEN excluded.sold_at ELSE ledger_trace_code.sold_at END,
            returned_at = excluded.returned_at, seq = excluded.seq
          WHERE ledger_trace_code.seq < excluded.seq`, [...key, JSON.stringify(traces)]);
      }
      const upTo = fresh[fresh.length - 1]!.seq;
      await c.query('UPDATE ledger_till SET applied_seq = $3, pending = $4, last_push_at = now() WHERE fixmedins_code = $1 AND till_id = $2', [...key, upTo, pendingAfter]);
      return { appliedUpTo: upTo, alreadyHad: facts.length - fresh.length };
    });
  }

  async publicationsFor(till: TillIdentity): Promise<Publication[]> {
    const rows = (await this.pool.query<{ id: string; kind: Publication['kind']; payload: unknown; published_at: Date; published_by: string }>(`
      SELECT p.id, p.kind, p.payload, p.published_at, p.published_by FROM ledger_publication p
      WHERE (p.scope IS NULL OR p.scope = $1)
        AND NOT EXISTS (SELECT 1 FROM ledger_publication_ack a WHERE a.publication_id = p.id AND a.fixmedins_code = $1 AND a.till_id = $2)
      ORDER BY p.id LIMIT 50`, [till.fixmedinsCode, till.tillId])).rows;
    return rows.map((r) => ({ id: Number(r.id), kind: r.kind, payload: r.payload, publishedAt: r.published_at.toISOString(), publishedBy: r.published_by }));
  }

  async soldInChain(till: Pick<TillIdentity, 'fixmedinsCode' | 'tillId'>, codes: readonly string[], timeoutMs: number): Promise<ChainSoldCode | null> {
    if (codes.length === 0) return null;
    const query = (async () => {
      let client: pg.PoolClient;
      try {
        client = await this.checks().connect();
      } catch (error) {
        throw unreachable(this.options.url, error);
      }
      let broken = false;
      try {
        const row = (await client.query<{ code: string; fixmedins_code: string; name: string | null; till_id: string; sold_at: Date }>({
          text: `SELECT t.code, t.fixmedins_code, s.name, t.till_id, t.sold_at FROM ledger_trace_code t LEFT JOIN ledger_store s USING (fixmedins_code)
            WHERE t.code = ANY($1::text[]) AND t.returned_at IS NULL AND NOT (t.fixmedins_code = $2 AND t.till_id = $3)
            ORDER BY array_position($1::text[], t.code), t.sold_at LIMIT 1`,
          values: [codes, till.fixmedinsCode, till.tillId], query_timeout: timeoutMs,
        } as pg.QueryConfig)).rows[0];
        return row ? { code: row.code, fixmedinsCode: row.fixmedins_code, storeName: row.name ?? row.fixmedins_code, tillId: row.till_id, soldAt: row.sold_at.toISOString() } : null;
      } catch (error) {
        broken = true;
        throw error;
      } finally {
        client.release(broken);
      }
    })();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LedgerSetupError('LEDGER_UNREACHABLE', `门店账本 ${timeoutMs} ms 内未答复`, 'ledgerUrl')), timeoutMs);
    });
    query.catch(() => {});
    try {
      return await Promise.race([query, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The basket's questions have their own small pool: a long push never makes the cashier wait. */
  private checks(): pg.Pool {
    this.checkPool ??= new pg.Pool({
      connectionString: this.options.url, max: 2, connectionTimeoutMillis: 1_000, idleTimeoutMillis: 30_000, application_name: 'yibao-jiesuan basket',
    });
    this.checkPool.on('error', () => {});
    return this.checkPool;
  }

  async close(): Promise<void> {
    await this.pool.end();
    await this.checkPool?.end();
  }

  /** Runs `work` in one transaction; connection failures become LEDGER_UNREACHABLE naming the setting. */
  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw unreachable(this.options.url, error);
    }
    let broken = false;
    const onError = (): void => { broken = true; };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => { broken = true; });
      if (error instanceof LedgerSetupError) throw error;
      if (connectionProblem(error)) { broken = true; throw unreachable(this.options.url, error); }
      throw error;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  /** Locks the till's row and checks it is ours (not another till configured with the same id). */
  private async ownTill(c: pg.PoolClient, till: TillIdentity, forUpdate: boolean): Promise<number> {
    const row = (await c.query<{ instance_id: string; applied_seq: string }>(`SELECT instance_id, applied_seq FROM ledger_till WHERE fixmedins_code = $1 AND till_id = $2${forUpdate ? ' FOR UPDATE' : ''}`,
      [till.fixmedinsCode, till.tillId])).rows[0];
    if (!row) throw new LedgerSetupError('LEDGER_TILL_TAKEN', `收银台 ${till.tillId} 未在门店账本登记：请重新启动本收银台`, 'tillId');
    if (row.instance_id !== till.instanceId) {
      throw new LedgerSetupError('LEDGER_TILL_TAKEN', `收银台编号 ${till.tillId} 已被本店另一台收银机使用：请为本机设置不同的编号（${TILL_ID_SETTING}）`, 'tillId');
    }
    return Number(row.applied_seq);
  }
}

function unreachable(url: string, error: unknown): LedgerSetupError {
  const why = connectionProblem(error) ?? (error instanceof Error ? error.message : String(error));
  const where = `${redactedUrl(url)}（${why}）`;
  return new LedgerSetupError('LEDGER_UNREACHABLE', `连不上门店账本 ${where}：收银不受影响，恢复后自动补传；若地址有误请检查 ${LEDGER_SETTING}`, 'ledgerUrl', where);
}

function latestBy<K extends OutgoingFact['kind']>(facts: readonly OutgoingFact[], kind: K, id: (f: Extract<OutgoingFact, { kind: K }>) => number): Array<Extract<OutgoingFact, { kind: K }>> {
  const byId = new Map<number, Extract<OutgoingFact, { kind: K }>>();
  for (const f of facts) if (f.kind === kind) byId.set(id(f as Extract<OutgoingFact, { kind: K }>), f as Extract<OutgoingFact, { kind: K }>);
  return [...byId.values()];
}

function latestTrace(facts: readonly OutgoingFact[]): Array<Record<string, unknown>> {
  const byKey = new Map<string, Record<string, unknown>>();
  for (const f of facts) {
    if (f.kind !== 'trace') continue;
    const t = f.body;
    byKey.set(`${t.code}/${t.saleId}`, {
      code: t.code, sale_id: t.saleId, sku: t.sku, split: t.split, seq: f.seq,
      sold_at: t.event === 'sold' ? t.at : f.at, returned_at: t.event === 'freed' ? t.at : null,
    });
  }
  return [...byKey.values()];
}

function settlementRow(seq: number, s: SettlementSource): Record<string, unknown> {
  return {
    settlement_id: s.settlementId, msgid: s.msgid, sale_id: s.saleId, sale_day: s.saleDay, centre_day: s.centre ? centreDayOf(s.centre) : null,
    refund_day: s.refundedAt ? businessDate(new Date(s.refundedAt)) : null, outbox_state: s.outboxState,
    live: (LIVE_UNCONFIRMED_STATES as readonly string[]).includes(s.outboxState),
    prov_total: s.provisional.total, prov_fund: s.provisional.fund, prov_account: s.provisional.account, centre_medfee: s.centre?.medfee ?? null, source: s, seq,
  };
}

export interface LedgerOwner {
  readonly kind: 'store' | 'chain';
  readonly name: string;
  /** For a store's own ledger: the store itself (registered by its first till). */
  readonly store?: { code: string; name: string; areaCode: string };
}

/**
 * Creates or upgrades the schema inside the caller's transaction (advisory-locked, so tills that
 * start together do not race). Refuses a ledger of a newer schema and a database that holds other
 * tables but no ledger.
 */
export async function migrateLedger(c: pg.PoolClient | pg.Client, owner: LedgerOwner): Promise<void> {
  await c.query("SELECT pg_advisory_xact_lock(hashtext('yibao-jiesuan ledger schema'))");
  const exists = (await c.query("SELECT to_regclass('ledger_meta') IS NOT NULL AS ok")).rows[0].ok as boolean;
  let version = 0;
  if (exists) {
    version = (await c.query<{ schema_version: number }>('SELECT schema_version FROM ledger_meta WHERE id = 1')).rows[0]?.schema_version ?? 0;
  } else {
    const others = Number((await c.query("SELECT count(*) AS n FROM pg_tables WHERE schemaname = current_schema()")).rows[0].n);
    if (others > 0) throw new LedgerSetupError('LEDGER_NOT_A_LEDGER', `该数据库已有其他数据表、不是门店账本：请为账本新建一个空数据库，并检查 ${LEDGER_SETTING}`, 'ledgerUrl');
  }
  if (version > LEDGER_SCHEMA_VERSION) {
    throw new LedgerSetupError('LEDGER_TOO_NEW', `门店账本由更新版本的软件建立（账本版本 ${version}，本软件只认识到 ${LEDGER_SCHEMA_VERSION}）：请先升级本收银台，或检查 ${LEDGER_SETTING}`, 'ledgerUrl');
  }
  for (const m of LEDGER_MIGRATIONS.slice(version)) await c.query(m.sql);
  if (!exists) {
    await c.query('INSERT INTO ledger_meta (id, schema_version, kind, name) VALUES (1, $1, $2, $3)', [LEDGER_SCHEMA_VERSION, owner.kind, owner.name]);
    if (owner.store) await c.query('INSERT INTO ledger_store (fixmedins_code, name, area_code) VALUES ($1, $2, $3)', [owner.store.code, owner.store.name, owner.store.areaCode]);
  } else if (version < LEDGER_SCHEMA_VERSION) {
    await c.query('UPDATE ledger_meta SET schema_version = $1 WHERE id = 1', [LEDGER_SCHEMA_VERSION]);
  }
}

/** Head office, once: a chain's ledger and its stores (`npm run ledger -- init`). */
export async function initChainLedger(url: string, chain: { name: string; stores: ReadonlyArray<{ code: string; name: string; areaCode: string }> }): Promise<void> {
  const ledger = new PgLedger({ url });
  try {
    await ledger.transaction(async (c) => {
      await migrateLedger(c, { kind: 'chain', name: chain.name });
      const meta = (await c.query<{ kind: string }>('SELECT kind FROM ledger_meta')).rows[0]!;
      if (meta.kind !== 'chain') throw new LedgerSetupError('LEDGER_OTHER_STORE', '该账本是单店账本，不能作为连锁账本', 'ledgerUrl');
      for (const s of chain.stores) {
        await c.query('INSERT INTO ledger_store (fixmedins_code, name, area_code) VALUES ($1, $2, $3) ON CONFLICT (fixmedins_code) DO UPDATE SET name = excluded.name, area_code = excluded.area_code', [s.code, s.name, s.areaCode]);
      }
    });
  } finally {
    await ledger.close();
  }
}
