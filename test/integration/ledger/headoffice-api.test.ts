// The 总部 (headoffice) API over a chain's ledger on a real PostgreSQL: the day table with a store
// that has no data, the drill-down to one store's day (checks, discrepancies naming till and sale,
// unconfirmed sales), the range xlsx across stores, publishing (refused before storing exactly as
// the CLI refuses) and each till's acknowledgement; cashiers and managers get 403, and a backend
// without a ledger answers 409 未配置账本.
import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { initChainLedger, PgLedger } from '../../../native/ledger/pg-ledger';
import { signPackage } from '../../../native/policy-update/signed-package';
import { startSandbox, type RunningSandbox } from '../../../native/sandbox/server';
import { SANDBOX_SIGNING_KEY_ID, TRAINING_PRIVATE_KEY_PEM } from '../../../native/sandbox/training-signing-key';
import { startTestBackend, type TestBackend } from '../../support/backend';
import { startPostgres, type TestPostgres } from '../../support/postgres';
import { settlementFact } from './chain';
import { ledgerQuery, Pos, tillDataDir, waitFor } from './support';

let server: TestPostgres;
let sandbox: RunningSandbox;
const running: TestBackend[] = [];
beforeAll(async () => {
  server = await startPostgres();
  sandbox = await startSandbox({ dataDir: mkdtempSync(join(tmpdir(), 'ybjs-sb-')), port: 0 });
}, 60_000);
afterAll(async () => {
  for (const b of running) await b.close().catch(() => {});
  await sandbox?.close();
  await server?.destroy();
});

const DAY = '2026-12-01';
const A = { fixmedinsCode: 'H36010200001', fixmedinsName: '八一店', areaCode: '360102', tillId: 'T1', instanceId: 'a1' };
const A2 = { ...A, tillId: 'T2', instanceId: 'a2' };
const B = { fixmedinsCode: 'H36010200002', fixmedinsName: '洪城店', areaCode: '360102', tillId: 'T1', instanceId: 'b1' };

it('head office sees every store\'s day, drills into one, exports the range and publishes to every till', async () => {
  const url = await server.createDatabase('hq');
  await initChainLedger(url, { name: '示例连锁', stores: [
    { code: A.fixmedinsCode, name: A.fixmedinsName, areaCode: '360102' }, { code: B.fixmedinsCode, name: B.fixmedinsName, areaCode: '360102' },
    { code: 'H36010200003', name: '青山湖店', areaCode: '360102' },
  ] });
  const ledger = new PgLedger({ url });
  for (const t of [A, A2, B]) await ledger.register(t);
  await ledger.push(A, [
    settlementFact(1, { code: A.fixmedinsCode, settlementId: 1, day: DAY, confirmed: true, medfee: '100.00', fund: '60.00', account: '10.00' }),
    settlementFact(2, { code: A.fixmedinsCode, settlementId: 2, day: DAY, confirmed: false, medfee: '50.00', fund: '25.00', account: '5.50' }),
  ], 0);
  await ledger.push(A2, [settlementFact(1, { code: A.fixmedinsCode, settlementId: 3, day: DAY, confirmed: true, medfee: '20.00', fund: '10.00', account: '0.00' })], 3);
  await ledger.push(B, [settlementFact(1, { code: B.fixmedinsCode, settlementId: 1, day: DAY, confirmed: true, medfee: '30.00', fund: '15.00', account: '5.00' })], 0);
  await ledgerQuery(url, `INSERT INTO ledger_check (fixmedins_code, date, by_whom, from_till, result, message, groups, detail)
    VALUES ($1, $2, '店长', 'T1', 'unbalanced', '3201 不平：中心多 1 笔', '[]', '[]')`, [A.fixmedinsCode, DAY]);
  await ledgerQuery(url, `INSERT INTO ledger_discrepancy (fixmedins_code, id, date, kind, till_id, sale_id, msgid, status, facts)
    VALUES ($1, 'd1', $2, 'centre_only', 'T2', 'S-H36010200001-3', 'M1', 'open', '{}')`, [A.fixmedinsCode, DAY]);

  const hq = await startTestBackend({ dataDir: tillDataDir({ centreEndpoint: sandbox.endpoint, ledgerUrl: url, tillId: 'T9' }) });
  running.push(hq);
  // Outside training every operator sets their own PIN at first sign-in (Pos.signInAs does it).
  const pos = new Pos(hq.url);
  const token = await pos.signInAs('4001', '4444');
  const get = (path: string, t = token) => hq.call('GET', path, { token: t });

  // The day table: both stores with their figures, and the third store that has nothing as 无数据.
  const days = await get(`/api/head-office/days?date=${DAY}`);
  expect(days.status, JSON.stringify(days.body)).toBe(200);
  expect(days.body.chain).toBe('示例连锁');
  expect(days.body.stores.map((r: any) => [r.fixmedinsCode, r.sales, r.confirmedMedfee, r.provisionalAtRisk, r.unsynced, r.openDiscrepancies, r.result, r.hasData])).toEqual([
    ['H36010200001', 3, '120.00', '30.50', 3, 1, 'unbalanced', true],
    ['H36010200002', 1, '30.00', '0.00', 0, 0, null, true],
    ['H36010200003', 0, '0.00', '0.00', 0, 0, null, false],
  ]);
  expect((await get('/api/head-office/days?date=2026-13-01')).status).toBe(400);

  // Drill-down: the store's checks, its discrepancy naming till and sale, each till, the unconfirmed sale.
  const detail = await get(`/api/head-office/stores/${A.fixmedinsCode}/days/${DAY}`);
  expect(detail.status, JSON.stringify(detail.body)).toBe(200);
  expect(detail.body.checks).toEqual([expect.objectContaining({ by: '店长', fromTill: 'T1', result: 'unbalanced', message: '3201 不平：中心多 1 笔' })]);
  expect(detail.body.discrepancies).toEqual([{ id: 'd1', kind: 'centre_only', tillId: 'T2', saleId: 'S-H36010200001-3', msgid: 'M1', status: 'open' }]);
  expect(detail.body.tills.map((t: any) => [t.tillId, t.pending, t.sales])).toEqual([['T1', 0, 2], ['T2', 3, 1]]);
  expect(detail.body.unsyncedSales).toEqual([expect.objectContaining({ tillId: 'T1', saleId: 'S-H36010200001-2', state: 'pending', fund: '25.00', account: '5.50', total: '50.00' })]);
  expect(detail.body.closed).toBeNull();
  const unknown = await get(`/api/head-office/stores/H36010200099/days/${DAY}`);
  expect(unknown.status).toBe(404);
  expect(unknown.body.message).toMatch(/H36010200099/);

  // The range xlsx across stores: every store on every day, the totals, the discrepancies.
  const xlsx = await fetch(new URL(`api/head-office/export?from=2026-11-30&to=${DAY}`, hq.url), { headers: { authorization: `Bearer ${token}` } });
  expect(xlsx.status).toBe(200);
  expect(xlsx.headers.get('content-disposition')).toMatch(/headoffice-2026-11-30_2026-12-01\.xlsx/);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
  expect(book.worksheets.map((s) => s.name)).toEqual(['门店日', '门店合计', '差异']);
  const dayRows = book.getWorksheet('门店日')!.getSheetValues().slice(2).map((r) => (r as unknown[]).slice(1));
  expect(dayRows).toHaveLength(6);
  expect(dayRows[0]).toEqual(['2026-11-30', 'H36010200001', '八一店', 0, 0, 0, 3, 0, '否', '无数据']);
  expect(dayRows[3]).toEqual([DAY, 'H36010200001', '八一店', 3, 120, 30.5, 3, 1, '否', '不平']);
  const totals = book.getWorksheet('门店合计')!.getSheetValues().slice(2).map((r) => (r as unknown[]).slice(1));
  expect(totals.at(-1)).toEqual(['合计 2026-11-30~2026-12-01', '3 家门店', '', 4, 150, 30.5, 1, '']);
  expect(book.getWorksheet('差异')!.getRow(2).values).toEqual([undefined, DAY, 'H36010200001', '八一店', 'T2', 'S-H36010200001-3', 'M1', 'centre_only', '未处理']);
  expect((await get('/api/head-office/export?from=2026-12-02&to=2026-12-01')).status).toBe(400);

  // Publishing: refused before anything is stored, exactly as the CLI refuses.
  const post = (path: string, body: unknown) => hq.call('POST', path, { token, body });
  const unsigned = await post('/api/head-office/publications/policy', { packageText: JSON.stringify({ package: { id: 'x' } }) });
  expect(unsigned.status).toBe(422);
  expect(unsigned.body).toMatchObject({ error: 'PUBLICATION_REFUSED', field: 'packageText' });
  expect(unsigned.body.message).toMatch(/policy package: .*\(not published\)/);
  expect((await post('/api/head-office/publications/policy', { packageText: 'not json' })).body.field).toBe('packageText');
  const outside = await post('/api/head-office/publications/mapping', { sku: '6909999999999', catalogueCode: 'TRAIN-D-A01', scope: 'H99999999999' });
  expect(outside.status).toBe(422);
  expect(outside.body).toMatchObject({ field: 'scope' });
  expect((await post('/api/head-office/publications/mapping', { sku: '6909999999999', catalogueCode: '' })).status).toBe(400);
  expect(await ledgerQuery(url, 'SELECT id FROM ledger_publication')).toEqual([]);

  const mapping = await post('/api/head-office/publications/mapping', { sku: '6909999999999', catalogueCode: 'TRAIN-D-A01', note: '总部调整' });
  expect(mapping.status, JSON.stringify(mapping.body)).toBe(201);
  const signed = signPackage({ id: 'demo' }, TRAINING_PRIVATE_KEY_PEM, SANDBOX_SIGNING_KEY_ID);
  const policy = await post('/api/head-office/publications/policy', { packageText: JSON.stringify(signed), scope: B.fixmedinsCode });
  expect(policy.status, JSON.stringify(policy.body)).toBe(201);
  expect((await ledgerQuery<{ published_by: string }>(url, 'SELECT published_by FROM ledger_publication ORDER BY id')).map((r) => r.published_by)).toEqual(['总部', '总部']);

  // Each till of the scope answers at its next sync: one applied, one refused, the rest waiting.
  await ledger.push(A, [{ seq: 3, kind: 'ack', at: new Date().toISOString(), body: { publicationId: mapping.body.id, ok: true, message: 'sku 6909999999999 → TRAIN-D-A01' } }], 0);
  await ledger.push(B, [{ seq: 2, kind: 'ack', at: new Date().toISOString(), body: { publicationId: policy.body.id, ok: false, message: 'policy package: not a package' } }], 0);
  const list = await get('/api/head-office/publications');
  expect(list.status).toBe(200);
  const states = (p: any) => p.tills.map((t: any) => `${t.fixmedinsCode}/${t.tillId} ${t.state}`);
  expect(list.body.publications.map((p: any) => [p.kind, p.scope, states(p)])).toEqual([
    ['sku_mapping', null, ['H36010200001/T1 applied', 'H36010200001/T2 waiting', 'H36010200002/T1 waiting']],
    ['policy_package', 'H36010200002', ['H36010200002/T1 refused']],
  ]);
  expect(list.body.publications[1].tills[0].message).toBe('policy package: not a package');

  // A real till of store B joins: at its next sync it applies the mapping, refuses the package it cannot
  // import, and head office sees both answers.
  const tillB = await startTestBackend({ dataDir: tillDataDir({ centreEndpoint: sandbox.endpoint, ledgerUrl: url, tillId: 'T2', institution: { code: B.fixmedinsCode, name: B.fixmedinsName, areaCode: '360102' } }) });
  running.push(tillB);
  const answered = await waitFor('till B/T2 answered both', async () => {
    const pubs = (await get('/api/head-office/publications')).body.publications as any[];
    const mine = pubs.map((p) => p.tills.find((x: any) => x.fixmedinsCode === B.fixmedinsCode && x.tillId === 'T2'));
    return mine.every((x) => x && x.state !== 'waiting') ? mine : null;
  });
  expect(answered.map((x: any) => x.state)).toEqual(['applied', 'refused']);
  expect(answered[0].message).toBe('sku 6909999999999 → TRAIN-D-A01');
  expect(tillB.runtime.sales.mappings().find((m) => m.sku === '6909999999999')).toMatchObject({ catalogueCode: 'TRAIN-D-A01' });

  // Cashiers and managers are refused every head-office route.
  const routes = [`/api/head-office/days?date=${DAY}`, `/api/head-office/stores/${A.fixmedinsCode}/days/${DAY}`, `/api/head-office/export?from=${DAY}&to=${DAY}`, '/api/head-office/publications'];
  for (const [id, pin] of [['1001', '1111'], ['2001', '2222'], ['3001', '3333']] as const) {
    const other = await pos.signInAs(id, pin);
    for (const path of routes) expect((await get(path, other)).status, `${id} ${path}`).toBe(403);
    expect((await hq.call('POST', '/api/head-office/publications/mapping', { token: other, body: { sku: '1', catalogueCode: '2' } })).status).toBe(403);
  }
  // Head office signs in like the others and may read the status bar's status.
  expect((await get('/api/status')).status).toBe(200);
  await ledger.close();
});

it('without a ledger every head-office route answers 409 未配置账本, naming ledgerUrl', async () => {
  const alone = await startTestBackend();
  running.push(alone);
  const token = await alone.login('4001', '4444');
  for (const [method, path, body] of [
    ['GET', `/api/head-office/days?date=${DAY}`], ['GET', `/api/head-office/stores/${A.fixmedinsCode}/days/${DAY}`], ['GET', `/api/head-office/export?from=${DAY}&to=${DAY}`],
    ['GET', '/api/head-office/publications'], ['POST', '/api/head-office/publications/mapping', { sku: '1', catalogueCode: '2' }],
  ] as const) {
    const r = await alone.call(method, path, { token, body });
    expect(r.status, path).toBe(409);
    expect(r.body).toMatchObject({ error: 'NO_LEDGER', field: 'ledgerUrl' });
    expect(r.body.message).toMatch(/^未配置账本/);
  }
});
