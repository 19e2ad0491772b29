// Head office's seat (ledgerSeat headoffice) on a real PostgreSQL: the app head office signs in to
// reads the chain's ledger with a 定点编码 the chain does not list, registers no till, pushes and
// applies nothing; its status says 总部（连锁账本：…） with the ledger reachable, never
// LEDGER_OTHER_STORE; the head-office routes answer; checkout and the store day answer 409. On a
// single store's ledger the seat is refused naming ledgerSeat.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TRAINING_IDENTITY } from '../../../core/centre/training';
import { initChainLedger, PgLedger } from '../../../native/ledger/pg-ledger';
import { startSandbox, type RunningSandbox } from '../../../native/sandbox/server';
import { startTestBackend, type TestBackend } from '../../support/backend';
import { startPostgres, type TestPostgres } from '../../support/postgres';
import { PERSONS } from '../../crash/pos';
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

it('head office\'s seat reads the chain without registering a till, says 总部 in the status, and sells nothing', async () => {
  const url = await server.createDatabase('seat');
  await initChainLedger(url, { name: '示例连锁', stores: [{ code: A.fixmedinsCode, name: A.fixmedinsName, areaCode: '360102' }] });
  const ledger = new PgLedger({ url });
  await ledger.register(A);
  // The seat's data folder has the training 定点编码, which the chain does not list.
  expect(TRAINING_IDENTITY.fixmedinsCode).not.toBe(A.fixmedinsCode);
  const hq = await startTestBackend({ dataDir: tillDataDir({ centreEndpoint: sandbox.endpoint, ledgerUrl: url, tillId: 'T9', ledgerSeat: 'headoffice' }) });
  running.push(hq);
  const pos = new Pos(hq.url);
  const token = await pos.signInAs('4001', '4444');

  const status = await waitFor('the seat read the chain', async () => {
    const s = (await hq.call('GET', '/api/status', { token })).body;
    return s.ledger?.reachable ? s : null;
  });
  expect(status.ledger).toEqual({ tillId: 'T9', pending: 0, error: null, seat: 'headoffice', chain: '示例连锁', reachable: true });
  expect(JSON.stringify(status)).not.toMatch(/LEDGER_OTHER_STORE|门店名单/);

  // Registered nothing: the chain's tills are its stores' only; the seat pushed no fact.
  expect(await ledgerQuery(url, 'SELECT fixmedins_code, till_id FROM ledger_till ORDER BY 1, 2')).toEqual([{ fixmedins_code: A.fixmedinsCode, till_id: 'T1' }]);
  expect(await ledgerQuery(url, 'SELECT 1 FROM ledger_fact')).toEqual([]);

  // The head-office routes answer.
  const days = await hq.call('GET', `/api/head-office/days?date=${DAY}`, { token });
  expect(days.status, JSON.stringify(days.body)).toBe(200);
  expect(days.body.chain).toBe('示例连锁');
  expect(days.body.stores.map((s: any) => s.fixmedinsCode)).toEqual([A.fixmedinsCode]);
  const mapping = await hq.call('POST', '/api/head-office/publications/mapping', { token, body: { sku: '6909999999998', catalogueCode: 'TRAIN-D-A01', note: '总部' } });
  expect(mapping.status, JSON.stringify(mapping.body)).toBe(201);

  // Checkout answers 409 naming the setting; the store day (a till's) too.
  const cashier = await pos.signInAs('1001', '1111');
  const sale = await hq.call('POST', '/api/sales', { token: cashier, body: { identify: { method: 'idNumber', idNumber: PERSONS[0]!.idNumber } } });
  expect(sale.status, JSON.stringify(sale.body)).toBe(409);
  expect(sale.body).toMatchObject({ error: 'HEADOFFICE_SEAT', field: 'ledgerSeat' });
  expect(sale.body.message).toMatch(/总部席位.*不收银/);
  expect((await hq.call('GET', '/api/sales', { token: cashier })).body.error).toBe('HEADOFFICE_SEAT');
  const manager = await pos.signInAs('2001', '2222');
  const storeDay = await hq.call('GET', `/api/store-ledger/days/${DAY}`, { token: manager });
  expect(storeDay.status).toBe(409);
  expect(storeDay.body).toMatchObject({ error: 'HEADOFFICE_SEAT', field: 'ledgerSeat' });

  // It applies no publication (that is the tills' work): a while later still no mapping, no acknowledgement.
  await new Promise((r) => setTimeout(r, 1_500));
  expect(hq.runtime.sales.mappings().find((m) => m.sku === '6909999999998')).toBeUndefined();
  expect(await ledgerQuery(url, 'SELECT 1 FROM ledger_publication_ack')).toEqual([]);
  expect((await ledgerQuery(url, 'SELECT count(*)::int AS n FROM ledger_till')).map((r: any) => r.n)).toEqual([1]);

  // The ledger going away shows as unreachable, and back as reachable.
  await server.stop();
  await waitFor('unreachable shown', async () => (await hq.call('GET', '/api/status', { token })).body.ledger?.reachable === false, 20_000);
  const down = (await hq.call('GET', '/api/status', { token })).body.ledger;
  expect(down).toMatchObject({ seat: 'headoffice', chain: '示例连锁', reachable: false });
  // The seat's own sentence (it neither sells nor uploads), built from the ledger's address and problem.
  expect(down.error).toMatch(/^连不上连锁账本 postgres:\/\/.*：总部页面暂时读不到账本，恢复后自动重连/);
  expect(down.error).not.toMatch(/收银/);
  await server.start();
  await waitFor('reachable again', async () => (await hq.call('GET', '/api/status', { token })).body.ledger?.reachable === true, 20_000);
  await ledger.close();
}, 90_000);

it('a head-office seat on a single store\'s ledger is refused naming ledgerSeat; without a ledger URL the setting is refused', async () => {
  const url = await server.createDatabase('single');
  const ledger = new PgLedger({ url });
  await ledger.register(A); // the first till creates a single store's ledger
  const hq = await startTestBackend({ dataDir: tillDataDir({ centreEndpoint: sandbox.endpoint, ledgerUrl: url, tillId: 'T9', ledgerSeat: 'headoffice' }) });
  running.push(hq);
  const pos = new Pos(hq.url);
  const token = await pos.signInAs('4001', '4444');
  const status = await waitFor('the seat refused the ledger', async () => {
    const s = (await hq.call('GET', '/api/status', { token })).body;
    return s.ledger?.error ? s : null;
  });
  expect(status.ledger).toMatchObject({ seat: 'headoffice', chain: null, reachable: true });
  expect(status.ledger.error).toMatch(/单店账本.*ledgerSeat/);
  const days = await hq.call('GET', `/api/head-office/days?date=${DAY}`, { token });
  expect(days.status).toBe(409);
  expect(days.body).toMatchObject({ error: 'LEDGER_NOT_CHAIN', field: 'ledgerSeat' });
  expect(await ledgerQuery(url, 'SELECT till_id FROM ledger_till')).toEqual([{ till_id: 'T1' }]);

  // The technician cannot save a head-office seat without the chain's ledger.
  const tech = await pos.signInAs('3001', '3333');
  const current = (await hq.call('GET', '/api/centre/settings', { token: tech })).body;
  const refused = await hq.call('PUT', '/api/centre/settings', { token: tech, body: { ...current, ledgerUrl: null, ledgerSeat: 'headoffice' } });
  expect(refused.status).toBe(400);
  expect(refused.body).toMatchObject({ field: 'ledgerSeat' });
  await ledger.close();
}, 60_000);
