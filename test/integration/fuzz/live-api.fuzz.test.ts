// Live-API fuzz: every mutating endpoint of a running backend (training mode, loopback HTTP) gets
// random and mutated JSON bodies, raw non-JSON bodies and hostile path parameters, with the token of
// a role allowed to call it. Properties, for every request:
//   · never a 500, and a 5xx only as a deliberate answer about an unavailable dependency;
//   · every refusal has the API's error shape { error, message, field? }, a 400 names the field;
//   · a refused request (4xx) leaves the store exactly as it was (every table of store.db, except
//     the failed-PIN counter a refused sign-in is meant to raise and the msgid sequence).
// Valid mutations may succeed (2xx); the store is then re-read as the new baseline.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import nationalEdition from '../../../core/centre/editions/national.json';
import { type Db } from '../../../native/db/open';
import { startTestBackend, type TestBackend } from '../../support/backend';
import { SKU, Till, today } from '../../support/checkout';
import { hostileJson, hostileString, mutationOf } from '../../unit/fuzz/mutate';

const RUNS = 40;

interface Route { method: string; path: string }
interface Target { token: () => string; params: Record<string, string>; body?: unknown }

let api: TestBackend;
let db: Db;
let tokens: Record<'cashier' | 'manager' | 'technician' | 'headoffice' | 'throwaway', string>;
let openSale: string;
let settledSale: string;
let decoyTokenId: string;
let routes: Route[] = [];

const yesterday = (): string => new Date(Date.now() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);

/** A valid request for each mutating route (the fuzz mutates its body and parameters). */
function targets(): Record<string, Target> {
  const cashier = () => tokens.cashier;
  const manager = () => tokens.manager;
  const tech = () => tokens.technician;
  return {
    'POST /api/session': { token: () => '', params: {}, body: { operatorId: '9001', pin: '9999' } },
    'DELETE /api/session': { token: () => tokens.throwaway, params: {} },
    // A wrong current PIN: refused, so every mutation of it must change nothing either.
    'POST /api/session/pin': { token: cashier, params: {}, body: { currentPin: '0000', newPin: '5678' } },
    'POST /api/operators': { token: manager, params: {}, body: { operatorId: '9100', name: '模糊测试', role: 'cashier', pin: '123456' } },
    'POST /api/operators/{id}/deactivate': { token: manager, params: { id: '9001' } },
    'POST /api/pos-tokens': { token: manager, params: {}, body: { name: '模糊测试POS' } },
    'POST /api/pos-tokens/{id}/revoke': { token: manager, params: { id: decoyTokenId } },
    'POST /api/sales': { token: cashier, params: {}, body: { identify: { method: 'idNumber', idNumber: '36010219920708002X' } } },
    'PUT /api/sales/{id}/prescription': { token: cashier, params: { id: openSale }, body: { issuerCode: 'TRAIN-H360102-L1', rxNo: 'RX0001', issuedOn: today(), prescriber: '王医生', prescriberCode: 'DR-H360102-L1', items: ['TRAIN-D-B01'] } },
    'POST /api/sales/{id}/eprescription-query': { token: cashier, params: { id: openSale } },
    'POST /api/sales/{id}/eprescription-review': { token: cashier, params: { id: openSale }, body: { approved: true, opinion: '处方合理' } },
    'PUT /api/sales/{id}/basket': { token: cashier, params: { id: openSale }, body: { lines: [{ sku: SKU.B01, name: '乙类口服药', qty: '2', price: '35.50', traceCodes: ['80000000000000900101', '80000000000000900102'] }] } },
    'POST /api/sales/{id}/presettle': { token: cashier, params: { id: openSale }, body: { useAccount: true } },
    'POST /api/sales/{id}/settle': { token: cashier, params: { id: openSale }, body: { useAccount: true, acceptSelfPay: false } },
    'POST /api/sales/{id}/refund': { token: cashier, params: { id: settledSale }, body: { reason: '顾客退货' } },
    'POST /api/training/centre': { token: cashier, params: {}, body: { online: true } },
    'POST /api/training/card': { token: cashier, params: {}, body: { fixtureId: 'nanchang-active' } },
    'PUT /api/reader/settings': { token: tech, params: {}, body: { model: 'virtual' } },
    'POST /api/reader/self-test': { token: tech, params: {} },
    'POST /api/reader/library-test': { token: tech, params: {}, body: { path: '/nonexistent/libsscard.so', convention: 'cdecl' } },
    'PUT /api/sku-mappings/{sku}': { token: tech, params: { sku: '6901999999999' }, body: { catalogueCode: 'TRAIN-D-A01', note: '模糊测试' } },
    'DELETE /api/sku-mappings/{sku}': { token: tech, params: { sku: '6901999999998' } },
    'POST /api/policies/update': { token: tech, params: {} },
    'POST /api/catalogues/download': { token: tech, params: {}, body: { infnos: ['1301'], dictionaries: ['chrgitm_lv'] } },
    'PUT /api/store-settings': { token: manager, params: {}, body: { riskLimits: { perSaleFund: '200.00', perDayFund: '2000.00', perPersonSalesPerDay: 1, maxPersonDataAgeDays: 30 }, rxValidityDays: { default: 3, byRegion: { 360100: 5 } } } },
    'POST /api/centre/online-test': { token: tech, params: {} },
    'PUT /api/centre/settings': { token: tech, params: {}, body: { mode: 'sandbox', url: null, institutionCode: 'P42030200001', institutionName: '【培训】示例定点零售药店', areaCode: '420302', timeoutMs: 10000 } },
    'POST /api/centre/editions': { token: tech, params: {}, body: { ...nationalEdition, id: 'fuzz-edition', name: '模糊测试版本' } },
    'PUT /api/centre/secrets': { token: tech, params: {}, body: { name: 'sm4.key', value: '00112233445566778899aabbccddeeff' } },
    'POST /api/trace-reports/retry': { token: manager, params: {}, body: { date: yesterday() } },
    'POST /api/inventory-uploads': { token: cashier, params: {}, body: { key: 'FUZZ-3501-1', infno: '3501', row: { med_list_codg: 'TRAIN-D-A01', fixmedins_hilist_id: '6901000000011', fixmedins_hilist_name: '甲类口服药', fixmedins_bchno: 'B-FUZZ-1', rx_flag: '0', invdate: today(), inv_cnt: '12', manu_date: '2025-01-01', expy_end: '2027-01-01' } } },
    'POST /api/inventory-uploads/retry': { token: manager, params: {}, body: { date: yesterday() } },
    'POST /api/inventory-uploads/import': { token: manager, params: {}, body: { infno: '3507', format: 'csv', content: 'key,fixmedins_bchno,inv_data_type\r\nFUZZ-3507-1,B-NONE,1\r\n' } },
    'PUT /api/operators/{id}/pharmacist': { token: manager, params: { id: '1001' }, body: { name: '模糊测试药师', certNo: 'ZY-FUZZ-1' } },
    'DELETE /api/operators/{id}/pharmacist': { token: manager, params: { id: '9001' } },
    'PUT /api/eprescription/recheck-pharmacist': { token: manager, params: {}, body: { operatorId: null } },
    'POST /api/eprescription-writeoffs/retry': { token: manager, params: {}, body: { date: yesterday() } },
    'POST /api/training/eprescription-revocation': { token: manager, params: {}, body: { hi_rxno: 'HRXFUZZ', prsc_dr_name: '模糊医生', undo_dr_cert_type: '01', undo_dr_certno: '110105194912310021', undo_rea: '模糊测试', undo_time: '2025-06-16 10:30:00' } },
    'POST /api/reconciliation/days/{date}/check': { token: manager, params: { date: yesterday() } },
    'POST /api/reconciliation/days/{date}/close': { token: manager, params: { date: yesterday() }, body: { acknowledgeUnbalanced: false, note: '' } },
    // Without a ledger these answer a clear 4xx naming the setting; the fuzz checks no input makes them fail otherwise.
    'POST /api/store-ledger/days/{date}/check': { token: manager, params: { date: yesterday() } },
    'POST /api/store-ledger/days/{date}/close': { token: manager, params: { date: yesterday() }, body: { acknowledgeUnbalanced: false, note: '' } },
    'POST /api/store-ledger/discrepancies/{id}/resolve': { token: manager, params: { id: `${yesterday().replace(/-/g, '')}.centre_only.centre-S0000` }, body: { action: 'record_locally', reason: '' } },
    'POST /api/head-office/publications/policy': { token: () => tokens.headoffice, params: {}, body: { packageText: '{"format":"ybjs-signed-policy-package/1"}', scope: null } },
    'POST /api/head-office/publications/mapping': { token: () => tokens.headoffice, params: {}, body: { sku: '6901999999997', catalogueCode: 'TRAIN-D-A01', note: '模糊测试', scope: null } },
    'POST /api/reconciliation/discrepancies/{id}/resolve': { token: manager, params: { id: `${yesterday().replace(/-/g, '')}.centre_only.centre-S0000` }, body: { action: 'write_off', reason: '模糊测试核销' } },
  };
}

/** Every table's rows, hashed (minus what a refusal is meant to change). */
function storeHash(): string {
  const hash = createHash('sha256');
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  for (const table of tables) {
    // A refused sign-in raises the failed-PIN counter (lock-out); any centre call advances the msgid sequence.
    if (table === 'centre_msgid_state') continue;
    // Written by background workers between the two hashes, whatever the request: the 3505/3506
    // reporter (sales_report_*, inventory_upload_* and the state of inventory_upload), the daily 9001 sign-in, the ledger outbox.
    if (table.startsWith('sales_report_') || table.startsWith('inventory_upload_') || table === 'centre_sign_in' || table.startsWith('ledger_')) continue;
    const rows = db.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all() as Array<Record<string, unknown>>;
    for (const row of rows) {
      if (table === 'operator') { delete row.failed_logins; delete row.locked_until; }
      // The reporter moves an upload's state; which uploads exist (and their content) is the request's doing.
      if (table === 'inventory_upload') for (const k of Object.keys(row)) if (!['id', 'pos_key', 'row_hash'].includes(k)) delete row[k];
      hash.update(`${table}:${JSON.stringify(row)}\n`);
    }
  }
  return hash.digest('hex');
}

/** Back to a calm state after a request that succeeded: centre online, virtual reader, queue drained. */
async function calm(): Promise<void> {
  const call = (method: string, path: string, token: string, body?: unknown) => api.call(method, path, { token, body });
  await call('POST', '/api/training/centre', tokens.cashier, { online: true });
  await call('PUT', '/api/reader/settings', tokens.technician, { model: 'virtual' });
  for (let i = 0; i < 100; i++) {
    const status = (await call('GET', '/api/status', tokens.cashier)).body;
    // Sales reports (3505) follow their settlements in the background: wait for those too.
    const reporting = (db.prepare("SELECT (SELECT count(*) FROM sales_report_row WHERE state IN ('queued', 'sending')) + (SELECT count(*) FROM inventory_upload WHERE state IN ('queued', 'sending'))").pluck().get() as number) > 0;
    if (status.queue.pending === 0 && status.queue.unknown === 0 && !reporting) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const fill = (path: string, params: Record<string, string>): string =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? 'x'));

/** Sends one request and checks the three properties; returns the status. */
async function probe(route: Route, target: Target, request: { params: Record<string, string>; rawBody?: string; body?: unknown; contentType?: string }): Promise<number> {
  const before = storeHash();
  const headers: Record<string, string> = {};
  if (target.token()) headers.authorization = `Bearer ${target.token()}`;
  let rawBody = request.rawBody;
  if (request.body !== undefined) rawBody = JSON.stringify(request.body);
  if (rawBody !== undefined) headers['content-type'] = request.contentType ?? 'application/json';
  const response = await fetch(new URL(fill(route.path, request.params).slice(1), api.url), { method: route.method, headers, body: rawBody });
  const text = await response.text();
  let body: any = text;
  try { body = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
  const what = `${route.method} ${fill(route.path, request.params)} ${(rawBody ?? '').slice(0, 300)} → ${response.status} ${text.slice(0, 300)}`;
  expect(response.status, what).not.toBe(500);
  if (response.status >= 500) expect(body?.error, what).toMatch(/^[A-Z_]+$/);
  if (response.status >= 400) {
    expect(typeof body?.error === 'string' && typeof body?.message === 'string', what).toBe(true);
    if (response.status === 400) expect(body.field, what).toBeTruthy();
    expect(storeHash(), `a refused request changed the store: ${what}`).toBe(before);
  } else {
    await calm();
  }
  return response.status;
}

beforeAll(async () => {
  api = await startTestBackend();
  db = api.runtime.store.db;
  const manager = await api.login('2001', '2222');
  tokens = { cashier: await api.login('1001', '1111'), manager, technician: await api.login('3001', '3333'), headoffice: await api.login('4001', '4444'), throwaway: await api.login('1001', '1111') };
  const made = await api.call('POST', '/api/operators', { token: manager, body: { operatorId: '9001', name: '诱饵', role: 'cashier', pin: '9999' } });
  expect(made.status).toBe(201);
  decoyTokenId = (await api.call('POST', '/api/pos-tokens', { token: manager, body: { name: '诱饵POS' } })).body.id;
  await api.call('PUT', '/api/sku-mappings/6901999999998', { token: tokens.technician, body: { catalogueCode: 'TRAIN-D-A02', note: '' } });
  const till = new Till(api, tokens.cashier);
  openSale = (await till.startByCard('jincheng-active')).id;
  const sale = await till.startByCard('nanchang-active');
  await till.prescription(sale.id, 'TRAIN-H360102-L1', ['TRAIN-D-B01']);
  await till.basket(sale.id, [{ sku: SKU.B01, qty: '1', price: '20.00' }]);
  settledSale = sale.id;
  expect((await till.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: true })).state).toBe('settled');
  await calm(); // its 3505 rows go in the background
  const doc = (await api.call('GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).filter((m) => m !== 'get').map((m) => ({ method: m.toUpperCase(), path })));
});

afterAll(async () => { await api?.close(); });

test('every mutating route of the API is fuzzed here', () => {
  expect(routes.length).toBeGreaterThanOrEqual(20);
  const known = targets();
  expect(routes.map((r) => `${r.method} ${r.path}`).filter((k) => !known[k]), 'add a valid request for each new mutating route to targets()').toEqual([]);
});

describe('each mutating endpoint', () => {
  test.each(Object.keys(targets()))('%s: mutated and random bodies', async (key) => {
    const route = routes.find((r) => `${r.method} ${r.path}` === key);
    expect(route, `${key} is in the API`).toBeDefined();
    const target = targets()[key]!;
    const bodies = target.body === undefined ? hostileJson.map((doc) => ({ doc })) : fc.oneof(mutationOf(target.body), hostileJson.map((doc) => ({ doc })));
    await fc.assert(fc.asyncProperty(bodies, async ({ doc }) => {
      await probe(route!, target, { params: target.params, body: doc });
    }), { numRuns: RUNS });
  });

  test('PUT /api/sales/{id}/prescription: its second body form, a scanned e-prescription QR, mutated', async () => {
    const key = 'PUT /api/sales/{id}/prescription';
    const route = routes.find((r) => `${r.method} ${r.path}` === key)!;
    const target = { ...targets()[key]!, body: { scanned: 'RX-jincheng-active-TRAIN-H140502-L3-1' } };
    await fc.assert(fc.asyncProperty(mutationOf(target.body), async ({ doc }) => {
      await probe(route, target, { params: target.params, body: doc });
    }), { numRuns: RUNS });
  });
});

describe('raw bodies and parameters', () => {
  const raw = fc.oneof(
    fc.constantFrom('', '{', '{"a":', 'null', '[]', '"text"', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"x":1}}}', `${'['.repeat(5000)}${']'.repeat(5000)}`, '\u0000', 'ï»¿{}'),
    fc.string({ maxLength: 200 }),
    fc.integer({ min: 250, max: 300 }).map((kib) => `{"x":"${'y'.repeat(kib * 1024)}"}`),
  );

  test('non-JSON, truncated, polluting, deeply nested and oversized bodies, under any content type', async () => {
    const all = Object.entries(targets());
    await fc.assert(fc.asyncProperty(fc.constantFrom(...all), raw, fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=gbk'), async ([key, target], rawBody, contentType) => {
      const route = routes.find((r) => `${r.method} ${r.path}` === key)!;
      await probe(route, target, { params: target.params, rawBody, contentType });
    }), { numRuns: 120 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('hostile path parameters (sale numbers, ids, SKUs, dates)', async () => {
    const withParams = Object.entries(targets()).filter(([, t]) => Object.keys(t.params).length > 0);
    await fc.assert(fc.asyncProperty(fc.constantFrom(...withParams), hostileString, async ([key, target], value) => {
      const route = routes.find((r) => `${r.method} ${r.path}` === key)!;
      const params = Object.fromEntries(Object.keys(target.params).map((k) => [k, value]));
      await probe(route, target, { params, ...(target.body !== undefined ? { body: target.body } : {}) });
    }), { numRuns: 120 });
  });
});
