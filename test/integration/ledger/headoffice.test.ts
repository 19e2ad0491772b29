// Stores of one chain in one ledger: head office creates the chain's ledger with the CLI, each
// store's till pushes, and the head-office day table shows both stores, each with its own figures.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PgLedger } from '../../../native/ledger/pg-ledger';
import { HeadOfficeRangeError, headOfficeDays } from '../../../native/ledger/pg-headoffice';
import { repoRoot, tsxBin } from '../../support/serve-process';
import { startPostgres, type TestPostgres } from '../../support/postgres';
import { ledgerQuery } from './support';
import { settlementFact } from './chain';

let server: TestPostgres;
beforeAll(async () => { server = await startPostgres(); }, 60_000);
afterAll(async () => { await server?.destroy(); });

const cli = (...args: string[]) => spawnSync(tsxBin(), ['electron/cli/ledger.ts', ...args], { cwd: repoRoot, encoding: 'utf8' });

it('the head-office table shows both stores of the chain, each correct', async () => {
  const url = await server.createDatabase('chain');
  const init = cli('init', '--url', url, '--chain', '示例连锁', '--store', 'H36010200001:八一店:360102', '--store', 'H36010200002:洪城店:360102', '--store', 'H36010200003:青山湖店:360102');
  expect(init.status, init.stderr).toBe(0);
  expect(cli('init', '--url', url, '--chain', 'x', '--store', 'bad').status).toBe(2);

  const ledger = new PgLedger({ url });
  const day = '2026-12-01';
  const a = { fixmedinsCode: 'H36010200001', fixmedinsName: '八一店', areaCode: '360102', tillId: 'T1', instanceId: 'a1' };
  const b = { fixmedinsCode: 'H36010200002', fixmedinsName: '洪城店', areaCode: '360102', tillId: 'T1', instanceId: 'b1' };
  await ledger.register(a);
  await ledger.register(b);
  // A store outside the chain is refused.
  await expect(ledger.register({ ...a, fixmedinsCode: 'H36010200099' })).rejects.toMatchObject({ code: 'LEDGER_OTHER_STORE' });
  await ledger.push(a, [
    settlementFact(1, { code: a.fixmedinsCode, settlementId: 1, day, confirmed: true, medfee: '100.00', fund: '60.00', account: '10.00' }),
    settlementFact(2, { code: a.fixmedinsCode, settlementId: 2, day, confirmed: true, medfee: '20.50', fund: '10.00', account: '0.00' }),
  ], 0);
  await ledger.push(b, [
    settlementFact(1, { code: b.fixmedinsCode, settlementId: 1, day, confirmed: true, medfee: '30.00', fund: '15.00', account: '5.00' }),
    settlementFact(2, { code: b.fixmedinsCode, settlementId: 2, day, confirmed: false, medfee: '80.00', fund: '40.00', account: '12.30' }),
  ], 4);
  await ledgerQuery(url, "INSERT INTO ledger_day_close (fixmedins_code, date, closed_by, closed_from, result, acknowledged, totals, entries) VALUES ('H36010200001', $1, '2001', 'T1', 'balanced', false, '{}', '[]')", [day]);

  const table = await headOfficeDays(ledger, day, day);
  expect(table).toEqual([
    { fixmedinsCode: 'H36010200001', storeName: '八一店', date: day, sales: 2, confirmedMedfee: '120.50', provisionalAtRisk: '0.00', unsynced: 0, openDiscrepancies: 0, closed: true, result: 'balanced', balanced: true, hasData: true },
    { fixmedinsCode: 'H36010200002', storeName: '洪城店', date: day, sales: 2, confirmedMedfee: '30.00', provisionalAtRisk: '52.30', unsynced: 4, openDiscrepancies: 0, closed: false, result: null, balanced: false, hasData: true },
    // A registered store with no till and no sale is expected all the same: a row of zeros, no data.
    { fixmedinsCode: 'H36010200003', storeName: '青山湖店', date: day, sales: 0, confirmedMedfee: '0.00', provisionalAtRisk: '0.00', unsynced: 0, openDiscrepancies: 0, closed: false, result: null, balanced: false, hasData: false },
  ]);
  // Over a range every store has a row on every day, including the days it sold nothing.
  const range = await headOfficeDays(ledger, '2026-11-30', '2026-12-02');
  expect(range.map((r) => `${r.date} ${r.fixmedinsCode} ${r.sales} ${r.hasData ? 'data' : '无数据'}`)).toEqual([
    '2026-11-30 H36010200001 0 无数据', '2026-11-30 H36010200002 0 无数据', '2026-11-30 H36010200003 0 无数据',
    '2026-12-01 H36010200001 2 data', '2026-12-01 H36010200002 2 data', '2026-12-01 H36010200003 0 无数据',
    '2026-12-02 H36010200001 0 无数据', '2026-12-02 H36010200002 0 无数据', '2026-12-02 H36010200003 0 无数据',
  ]);
  // Unsynced facts are the store's tills' (all days), so they show on a day without sales too.
  expect(range.find((r) => r.date === '2026-12-02' && r.fixmedinsCode === 'H36010200002')?.unsynced).toBe(4);
  expect((await headOfficeDays(ledger, day, day, 'H36010200002')).map((r) => r.fixmedinsCode)).toEqual(['H36010200002']);
  await expect(headOfficeDays(ledger, '2026-12-02', day)).rejects.toThrow(HeadOfficeRangeError);
  await expect(headOfficeDays(ledger, '2025-01-01', day)).rejects.toThrow(/to: at most 366 days/);
  await ledger.close();
  const printed = cli('days', '--url', url, '--from', day, '--to', day);
  expect(printed.status, printed.stderr).toBe(0);
  expect(printed.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual(table);
  expect(cli('days', '--url', url, '--from', '2026-12-02', '--to', day).status).toBe(2);
});
