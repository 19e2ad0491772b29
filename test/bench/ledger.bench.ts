// Store ledger (issue 17): a chain of 1,000 stores × 3 tills × 50 sales a day pushed into one real
// PostgreSQL (test/support/postgres.ts).
// 1. Ingest: each till pushes its day as tills do — per sale a settlement snapshot when recorded,
//    one when the centre confirmed it, and its journal line — through PgLedger.push (till row lock,
//    facts, settlement projection, cursor), 8 tills at a time; against a raw INSERT of the same
//    rows (the same JSON, the same batches and concurrency) into a bare table, in the same run.
// 2. Head office's day table for all stores (native/ledger/pg-headoffice.ts) against a bare
//    count(*) over the day's settlements. Target: under 1 s.
// 3. Ledger bytes per store-year: the tables' size after one day ÷ stores × 365.
// YBJS_BENCH_STORES overrides the number of stores (e.g. 100 for a quick run).
import { type OutgoingFact } from '../../core/ledger/port';
import { headOfficeDays } from '../../native/ledger/pg-headoffice';
import { initChainLedger, PgLedger } from '../../native/ledger/pg-ledger';
import { settlementFact } from '../integration/ledger/chain';
import { startPostgres } from '../support/postgres';
import { timeMedian, type BenchResult, type BenchSuite } from './harness';

const STORES = Number(process.env.YBJS_BENCH_STORES ?? 1000);
const TILLS = 3;
const SALES = 50;
const IN_FLIGHT = 8;
const DAY = '2026-12-01';

function tillDay(code: string, till: number): OutgoingFact[] {
  const facts: OutgoingFact[] = [];
  let seq = 0;
  for (let i = 1; i <= SALES; i++) {
    const id = till * 1000 + i;
    const amounts = { code, settlementId: id, day: DAY, medfee: `${20 + (i % 70)}.50`, fund: `${10 + (i % 30)}.00`, account: '2.00' };
    facts.push(settlementFact(++seq, { ...amounts, confirmed: false }));
    facts.push(settlementFact(++seq, { ...amounts, confirmed: true }));
    facts.push({ seq: ++seq, kind: 'journal', at: `${DAY}T02:00:02.000Z`, body: { seq, at: `${DAY}T02:00:02.000Z`, kind: 'sale.settled', payload: { sale: `S-${code}-${id}`, fund: amounts.fund }, hash: 'f'.repeat(64) } });
  }
  return facts;
}

async function inParallel<T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => { while (next < items.length) await work(items[next++]!); }));
}

export const suite: BenchSuite = {
  name: 'store ledger',
  async run(): Promise<BenchResult[]> {
    const server = await startPostgres();
    try {
      const url = await server.createDatabase('chain');
      const codes = Array.from({ length: STORES }, (_, i) => `H3601${String(i).padStart(7, '0')}`);
      await initChainLedger(url, { name: '基准连锁', stores: codes.map((code) => ({ code, name: `门店${code.slice(-4)}`, areaCode: '360102' })) });
      const ledger = new PgLedger({ url, poolSize: IN_FLIGHT });
      const tills = codes.flatMap((code) => Array.from({ length: TILLS }, (_, t) => ({ code, tillId: `T${t + 1}` })));
      for (const t of tills) await ledger.register({ fixmedinsCode: t.code, fixmedinsName: t.code, areaCode: '360102', tillId: t.tillId, instanceId: `${t.code}-${t.tillId}` });
      const batches = tills.map((t, i) => ({ t, facts: tillDay(t.code, i % TILLS + 1) }));
      const factCount = batches.reduce((n, b) => n + b.facts.length, 0);

      // Raw baseline first (same JSON, same batches, same concurrency, a bare table).
      await ledger.pool.query('CREATE TABLE raw_fact (fixmedins_code text, till_id text, seq bigint, kind text, at timestamptz, body jsonb)');
      let start = process.hrtime.bigint();
      await inParallel(batches, (b) => ledger.pool.query(`INSERT INTO raw_fact SELECT $1, $2, f.seq, f.kind, f.at, f.body FROM jsonb_to_recordset($3::jsonb) AS f(seq bigint, kind text, at timestamptz, body jsonb)`,
        [b.t.code, b.t.tillId, JSON.stringify(b.facts)]));
      const rawRate = factCount / (Number(process.hrtime.bigint() - start) / 1e9);
      await ledger.pool.query('DROP TABLE raw_fact');

      start = process.hrtime.bigint();
      await inParallel(batches, (b) => ledger.push({ fixmedinsCode: b.t.code, fixmedinsName: b.t.code, areaCode: '360102', tillId: b.t.tillId, instanceId: `${b.t.code}-${b.t.tillId}` }, b.facts, 0));
      const ingestRate = factCount / (Number(process.hrtime.bigint() - start) / 1e9);
      await ledger.pool.query('VACUUM ANALYZE');

      const rows = await headOfficeDays(ledger, DAY, DAY);
      if (rows.length !== STORES || rows.some((r) => r.sales !== TILLS * SALES)) throw new Error(`head-office table: ${rows.length} rows, expected ${STORES} stores × ${TILLS * SALES} sales`);
      const table = await timeMedian(() => headOfficeDays(ledger, DAY, DAY), { samples: 7, warmup: 2 });
      const bare = await timeMedian(() => ledger.pool.query('SELECT count(*) FROM ledger_settlement WHERE sale_day = $1', [DAY]), { samples: 7, warmup: 2 });
      const bytes = Number((await ledger.pool.query(`SELECT sum(pg_total_relation_size(c.oid)) AS b FROM pg_class c WHERE c.relkind = 'r' AND c.relname LIKE 'ledger_%'`)).rows[0].b);
      const perStoreYear = bytes / STORES * 365 / 1024 / 1024;
      const settlementBytes = Number((await ledger.pool.query(`SELECT pg_total_relation_size('ledger_settlement') AS b`)).rows[0].b) / STORES * 365 / 1024 / 1024;
      await ledger.close();
      return [
        { name: `ingest, ${STORES} stores × ${TILLS} tills × ${SALES} sales (${factCount} facts)`, unit: 'ops/s', median: ingestRate, baselineName: 'raw INSERT of the same rows', baseline: rawRate,
          note: 'facts per second through PgLedger.push (till lock, fact, settlement projection, cursor) vs the same JSON inserted into a bare table' },
        { name: `head-office day table, ${STORES} stores`, unit: 'ms', median: table, baselineName: 'count(*) of the day', baseline: bare, note: 'target under 1 s' },
        { name: 'ledger size per store-year', unit: 'MiB', median: perStoreYear, baselineName: 'settlement projection alone', baseline: settlementBytes,
          note: 'all ledger tables after one day (3 facts per sale, indexes included) ÷ stores × 365' },
      ];
    } finally {
      await server.destroy();
    }
  },
};
