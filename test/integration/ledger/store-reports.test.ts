// Issue 17, store-level reports: two tills of one pharmacy (separate data folders, real backend
// processes) on one standalone sandbox centre and a real PostgreSQL ledger. Both sell; then the
// store's range view, 全店日报 (HTML), CSV and xlsx export and charts (day and month) name both
// tills, each till's subtotal equals that till's own per-till report to the cent and the store's
// totals are their sum. The per-till routes stay the till's own.
import Decimal from 'decimal.js';
import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { businessDate } from '../../../core/checkout/business-date';
import { parseCsv } from '../../../core/reconcile/export-table';
import { ledgerRig, type Pos, sellOne, waitFor } from './support';

const rig = ledgerRig('store');

type T = { count: number; medfee: string; fund: string; account: string; cash: string };
const PARTS = ['confirmed', 'provisional', 'all'] as const;
const AMOUNTS = ['medfee', 'fund', 'account', 'cash'] as const;
const sum = (items: T[]): T => ({
  count: items.reduce((n, t) => n + t.count, 0),
  ...Object.fromEntries(AMOUNTS.map((k) => [k, items.reduce((acc, t) => acc.plus(t[k]), new Decimal(0)).toFixed(2)])) as Omit<T, 'count'>,
});

it("two tills sell; the store's report, export and charts are the sum of both tills' own to the cent and name both", async () => {
  const pos = {
    T1: await rig.launch('T1'),
    T2: await rig.launch('T2'),
  };
  for (let k = 0; k < 3; k++) await sellOne(pos.T1, 10 + k);
  for (let k = 0; k < 2; k++) await sellOne(pos.T2, 50 + k);
  for (const p of [pos.T1, pos.T2]) {
    await waitFor('synced', async () => {
      const s = await p.ok('GET', '/api/status');
      return s.queue.pending === 0 && s.queue.unknown === 0 && s.ledger.pending === 0 && s.ledger.error === null;
    }, 60_000);
  }
  const today = businessDate(new Date());
  const own = {
    T1: (await pos.T1.ok('GET', `/api/reconciliation/range?from=${today}&to=${today}`, undefined, pos.T1.manager)).days[0].totals,
    T2: (await pos.T2.ok('GET', `/api/reconciliation/range?from=${today}&to=${today}`, undefined, pos.T2.manager)).days[0].totals,
  };
  expect(own.T1.all.count).toBe(3);
  expect(own.T2.all.count).toBe(2);

  // The range view, asked from T2's seat: both tills with their own figures, the store's sum.
  const range = await pos.T2.ok('GET', `/api/store-ledger/range?from=${today}&to=${today}`, undefined, pos.T2.manager);
  expect(range.tills).toEqual(['T1', 'T2']);
  const day = range.days[0];
  expect(day.tills.map((t: { tillId: string }) => t.tillId)).toEqual(['T1', 'T2']);
  for (const [i, till] of (['T1', 'T2'] as const).entries()) {
    for (const p of PARTS) expect(day.tills[i].totals[p]).toEqual(own[till][p]);
  }
  for (const p of PARTS) expect(day.totals[p]).toEqual(sum([own.T1[p], own.T2[p]]));
  expect(range.total).toEqual(day.totals);
  expect(new Decimal(day.totals.all.medfee).toFixed(2)).toBe(new Decimal(own.T1.all.medfee).plus(own.T2.all.medfee).toFixed(2));
  // The per-till view is still the till's own.
  expect((await pos.T1.ok('GET', `/api/reconciliation/range?from=${today}&to=${today}`, undefined, pos.T1.manager)).days[0].totals.all.count).toBe(3);

  // The store check and close, then the printable report shows them.
  await pos.T1.ok('POST', `/api/store-ledger/days/${today}/check`, undefined, pos.T1.manager);
  const closed = await pos.T1.ok('POST', `/api/store-ledger/days/${today}/close`, { acknowledgeUnbalanced: true }, pos.T1.manager);
  expect(closed.state).toBe('closed');
  const html = (await pos.T2.call('GET', `/api/store-ledger/days/${today}/report`, { token: pos.T2.manager })).body as string;
  expect(html).toContain('全店（2 台收银台）');
  expect(html).toMatch(/data-till="T1"/);
  expect(html).toMatch(/data-till="T2"/);
  expect(html).toContain(`已日结（收银台 T1`);
  expect(html).toContain(sum([own.T1.all, own.T2.all]).medfee);
  const afterClose = await pos.T2.ok('GET', `/api/store-ledger/range?from=${today}&to=${today}`, undefined, pos.T2.manager);
  expect(afterClose.days[0].closedTotals.all).toEqual(day.totals.all);

  // CSV: one row per till with its own figures, the store's subtotal, the range's total.
  const csv = parseCsv((await pos.T1.call('GET', `/api/store-ledger/export?from=${today}&to=${today}&format=csv`, { token: pos.T1.manager })).body as string);
  const header = csv[0]!;
  const col = (name: string) => header.indexOf(name);
  const rowOf = (label: string) => csv.find((r) => r[1] === label)!;
  expect(rowOf('T1')[col('合计医疗费总额')]).toBe(own.T1.all.medfee);
  expect(rowOf('T2')[col('合计统筹基金')]).toBe(own.T2.all.fund);
  expect(rowOf('全店（2 台收银台）小计')[col('合计医疗费总额')]).toBe(day.totals.all.medfee);
  expect(rowOf('全店（2 台收银台）小计')[col('合计人次')]).toBe('5');
  expect(csv.find((r) => r[0]!.startsWith('合计'))![col('合计现金')]).toBe(day.totals.all.cash);

  // xlsx: the same rows as numbers.
  const xlsx = await fetch(new URL(`api/store-ledger/export?from=${today}&to=${today}&format=xlsx`, pos.T1.url), { headers: { authorization: `Bearer ${pos.T1.manager}` } });
  expect(xlsx.headers.get('content-disposition')).toContain('store-reconciliation-');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
  const sheet = book.getWorksheet('汇总')!;
  const rows: unknown[][] = [];
  sheet.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  const medfeeCol = col('合计医疗费总额');
  expect(rows.find((r) => r[1] === 'T1')![medfeeCol]).toBe(Number(own.T1.all.medfee));
  expect(rows.find((r) => r[1] === 'T2')![medfeeCol]).toBe(Number(own.T2.all.medfee));
  expect(rows.find((r) => r[1] === '全店（2 台收银台）小计')![medfeeCol]).toBe(Number(day.totals.all.medfee));

  // Charts: the store's day and month are the sum of both tills' own charts.
  const chart = async (p: Pos, path: string) => p.ok('GET', path, undefined, p.manager);
  const [c1, c2, cs] = [await chart(pos.T1, `/api/reconciliation/charts/day/${today}`), await chart(pos.T2, `/api/reconciliation/charts/day/${today}`), await chart(pos.T2, `/api/store-ledger/charts/day/${today}`)];
  for (const status of ['confirmed', 'provisional'] as const) {
    for (const k of ['fund', 'account', 'cash'] as const) expect(cs.parts[status][k]).toBe(new Decimal(c1.parts[status][k]).plus(c2.parts[status][k]).toFixed(2));
  }
  const month = today.slice(0, 7);
  const [m1, m2, ms] = [await chart(pos.T1, `/api/reconciliation/charts/month/${month}`), await chart(pos.T2, `/api/reconciliation/charts/month/${month}`), await chart(pos.T1, `/api/store-ledger/charts/month/${month}`)];
  expect(ms.total.confirmed.fund).toBe(new Decimal(m1.total.confirmed.fund).plus(m2.total.confirmed.fund).toFixed(2));
  expect(ms.days.find((d: { date: string }) => d.date === today).state).toBe('closed');

  // 差异处理 list of the store (none here: the day balanced) and a clear error for a bad range.
  expect(await pos.T1.ok('GET', '/api/store-ledger/discrepancies', undefined, pos.T1.manager)).toEqual([]);
  const bad = await pos.T1.call('GET', '/api/store-ledger/range?from=2026-02-01&to=2026-01-01', { token: pos.T1.manager });
  expect(bad.status).toBe(422);
}, 240_000);
