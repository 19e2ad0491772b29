// A closed day is locked: a late sync result and a refund of that day's sale are booked on the next
// open day as adjustments naming the day they belong to; the closed day's figures never change,
// and a re-check of the closed day still compares like with like at the centre.
import { beforeAll, describe, expect, test } from 'vitest';
import { addDays } from '../../../core/reconcile/calendar';
import { parseCsv } from '../../../core/reconcile/export-table';
import { SKU, today, useTill } from '../../support/checkout';
import { addAmounts, Manager, waitForSyncState } from './support';

const env = useTill();
let manager: Manager;
let date: string;
let tomorrow: string;
const sales: Record<string, any> = {};
let closedDay: any;

beforeAll(async () => {
  manager = new Manager(env.api, await env.api.login('2001', '2222'));
  date = today();
  tomorrow = addDays(date, 1);
});

describe('closing a day locks it', () => {
  test('a day with an online sale and a provisional one not yet synced balances and closes', async () => {
    const { till } = env;
    await till.startByCard('nanchang-active');
    const x = await till.startByCard('nanchang-active');
    await till.basket(x.id, [{ sku: SKU.A02, qty: '2', price: '12.50' }]);
    sales.X = await till.ok('POST', `/api/sales/${x.id}/settle`, { useAccount: true });
    expect(sales.X.state).toBe('settled');
    await till.centreOnline(false);
    const p = await till.startByCard('nanchang-active');
    await till.basket(p.id, [{ sku: SKU.A01, qty: '1', price: '9.90' }]);
    sales.P = await till.ok('POST', `/api/sales/${p.id}/settle`, { useAccount: false });
    expect(sales.P).toMatchObject({ state: 'provisional', syncState: 'pending' });

    // Checking while the centre is unreachable says so, and does not balance the day.
    const offline = await manager.check(date);
    expect(offline.lastCheck.result).toBe('unavailable');
    expect(offline.balanced).toBe(false);
    // A refused close writes nothing: no check row, no journal line, no discrepancy (issue 13).
    const db = env.api.runtime.store.db;
    const written = () => ['recon_check', 'journal', 'recon_discrepancy', 'recon_day'].map((t) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n);
    const before = written();
    const refused = await manager.call('POST', `/api/reconciliation/days/${date}/close`, {});
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'DAY_NOT_BALANCED', field: 'acknowledgeUnbalanced' });
    expect(refused.body.message).toContain('未记录任何内容');
    expect(written()).toEqual(before);
    expect((await manager.ok('GET', `/api/reconciliation/days/${date}`)).lastCheck.result).toBe('unavailable');

    // The centre answers reconciliation, but the sale still waits in the outbox (its backoff).
    env.api.runtime.sync.stop();
    await till.centreOnline(true);
    closedDay = await manager.ok('POST', `/api/reconciliation/days/${date}/close`, {});
    expect(closedDay).toMatchObject({ state: 'closed', balanced: true });
    expect(closedDay.totals.confirmed).toEqual({ count: 1, medfee: '25.00', fund: '0.00', account: '25.00', cash: '0.00' });
    expect(closedDay.totals.provisional).toEqual({ count: 1, medfee: '9.90', fund: '0.00', account: '0.00', cash: '9.90' });
    expect(closedDay.entries.map((e: any) => [e.kind, e.status, e.saleId])).toEqual([['sale', 'confirmed', sales.X.id], ['sale', 'provisional', sales.P.id]]);
  });

  test('the locked lines cannot be changed, even directly in the database', () => {
    const db = env.api.runtime.store.db;
    expect(() => db.prepare("UPDATE recon_entry SET fund = '1.00'").run()).toThrow(/locked/);
    expect(() => db.prepare('DELETE FROM recon_entry').run()).toThrow(/locked/);
    expect(() => db.prepare('DELETE FROM recon_day').run()).toThrow(/closed/);
    expect(() => db.prepare("INSERT INTO recon_entry (date, entry_id, fact_key, kind, status, at, insutype, clr_type, setl_optins, count, medfee, fund, account, cash, note) VALUES (?, 'x', 'x', 'sale', 'confirmed', '', '', '', '', 1, '1.00', '0.00', '0.00', '1.00', '')").run(tomorrow)).toThrow(/closed day/);
  });

  test('a late sync result and a refund land on the next open day as adjustments', async () => {
    const { till, api } = env;
    api.runtime.sync.start();
    api.runtime.sync.kick({ force: true });
    sales.P = await waitForSyncState(till, sales.P.id, ['confirmed']);
    sales.X = await till.ok('POST', `/api/sales/${sales.X.id}/refund`, { reason: '顾客退货' });
    expect(sales.X.state).toBe('refunded');

    const past = await manager.ok('GET', `/api/reconciliation/days/${date}`);
    expect(past.totals).toEqual(closedDay.totals);
    expect(past.entries).toEqual(closedDay.entries);

    const next = await manager.ok('GET', `/api/reconciliation/days/${tomorrow}`);
    expect(next.state).toBe('open');
    const lines = next.entries.map((e: any) => [e.kind, e.status, e.saleId, e.belongsTo, e.count, e.medfee]);
    expect(lines).toEqual(expect.arrayContaining([
      ['adjustment', 'confirmed', sales.P.id, date, 1, '9.90'],
      ['adjustment', 'provisional', sales.P.id, date, -1, '-9.90'],
      ['refund', 'confirmed', sales.X.id, date, 1, '-25.00'],
    ]));
    expect(next.entries).toHaveLength(3);
    expect(next.totals.provisional).toEqual({ count: -1, medfee: '-9.90', fund: '0.00', account: '0.00', cash: '-9.90' });
    expect(next.totals.adjustments.count).toBe(1);

    // Re-checking the closed day compares the centre's view of that day with everything now known about it.
    const recheck = await manager.check(date);
    expect(recheck.state).toBe('closed');
    expect(recheck.lastCheck.result).toBe('balanced');
    expect(recheck.groups[0].store).toMatchObject({ count: 3, medfee: '9.90' });
    expect(recheck.totals).toEqual(closedDay.totals);
  });

  test('a closed day cannot be closed again, a future day not at all, and only by a manager', async () => {
    const again = await manager.call('POST', `/api/reconciliation/days/${date}/close`, {});
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'DAY_CLOSED', field: 'date' });
    const future = await manager.call('POST', `/api/reconciliation/days/${addDays(date, 2)}/close`, { acknowledgeUnbalanced: true });
    expect(future.status).toBe(422);
    expect(future.body.error).toBe('DAY_IN_FUTURE');
    expect((await env.till.call('POST', `/api/reconciliation/days/${tomorrow}/close`, {})).status).toBe(403);
    expect((await env.till.call('GET', `/api/reconciliation/days/${date}`)).status).toBe(403);
    const bad = await manager.call('GET', '/api/reconciliation/days/2026-02-30');
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('date');
  });

  test('a range, its CSV and the charts carry the same figures', async () => {
    const range = await manager.ok('GET', `/api/reconciliation/range?from=${date}&to=${tomorrow}`);
    expect(range.days.map((d: any) => d.state)).toEqual(['closed', 'open']);
    for (const k of ['confirmed', 'provisional', 'all'] as const) {
      expect(range.total[k].medfee).toBe(addAmounts(range.days[0].totals[k].medfee, range.days[1].totals[k].medfee));
      expect(range.total[k].count).toBe(range.days[0].totals[k].count + range.days[1].totals[k].count);
    }
    const csv = await env.api.call('GET', `/api/reconciliation/export?from=${date}&to=${tomorrow}&format=csv`, { token: manager.token });
    const rows = parseCsv(String(csv.body));
    expect(rows[0]![0]).toBe('营业日');
    const adjustment = rows.find((r) => r[0] === tomorrow && r[1] === '退费')!;
    expect(adjustment[3]).toBe(date);
    const grand = rows.find((r) => r[1] === '总计·合计')!;
    expect(grand.slice(11, 16)).toEqual([String(range.total.all.count), range.total.all.medfee, range.total.all.fund, range.total.all.account, range.total.all.cash]);
    for (const day of range.days) {
      const entryRows = rows.filter((r) => r[0] === day.date && !r[1]!.startsWith('小计'));
      expect(addAmounts('0.00', ...entryRows.map((r) => r[12]!))).toBe(day.totals.all.medfee);
      expect(addAmounts('0.00', ...entryRows.map((r) => r[15]!))).toBe(day.totals.all.cash);
    }

    const chart = await manager.ok('GET', `/api/reconciliation/charts/day/${date}`);
    expect(chart.parts).toEqual({ confirmed: { fund: '0.00', account: '25.00', cash: '0.00' }, provisional: { fund: '0.00', account: '0.00', cash: '9.90' } });
    const month = await manager.ok('GET', `/api/reconciliation/charts/month/${date.slice(0, 7)}`);
    const dayOfMonth = month.days.find((d: any) => d.date === date);
    expect(dayOfMonth).toMatchObject({ state: 'closed', parts: chart.parts });
    expect(month.days.length).toBeGreaterThanOrEqual(28);

    const report = await env.api.call('GET', `/api/reconciliation/days/${date}/report`, { token: manager.token });
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toContain('text/html');
    expect(report.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(String(report.body)).toContain('医保日结对账单');
    expect(String(report.body)).toContain(sales.P.id);
    expect(String(report.body)).not.toContain('测试乙');
  });
});
