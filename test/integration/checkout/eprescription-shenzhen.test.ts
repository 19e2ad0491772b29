// The e-prescription path under the Shenzhen edition (S1 binzhe12123/Medical CFZX/*): its 7201, 7202
// and 7204 require fields the till does not hold (7201's channel fields, 7202's 操作机构 optins,
// 7204's pharmacist ID and 复核药师). Such a message is refused at the till before anything is sent,
// naming the field (422 EDITION_FIELD_MISSING, never a 500), and the sale is not lost: it can still
// be settled on the paper prescription.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import shenzhen from '../../../core/centre/editions/shenzhen.json';
import { residentIdCheckChar } from '../../../core/card/resident-id';
import { startTestBackend, type TestBackend } from '../../support/backend';
import { SKU, Till, traceCode } from '../../support/checkout';

let api: TestBackend;
let till: Till;

beforeAll(async () => {
  const first = await startTestBackend();
  const tech = await first.login('3001', '3333');
  const current = (await first.call('GET', '/api/centre/settings', { token: tech })).body as Record<string, unknown>;
  expect((await first.call('PUT', '/api/centre/settings', { token: tech, body: { ...current, edition: 'shenzhen' } })).status).toBe(200);
  await first.close();
  api = await startTestBackend({ dataDir: first.dataDir });
  till = new Till(api, await api.login('1001', '1111'));
});
afterAll(async () => { await api?.close(); });

const sent = (infno: string): number => api.runtime.sandbox!.stats().byInfno[infno] ?? 0;

describe('Shenzhen: e-prescription messages the till cannot fill', () => {
  test('the sandbox runs the Shenzhen edition', async () => {
    expect(api.runtime.sandbox!.edition.id).toBe('shenzhen');
    expect((await till.ok('GET', '/api/status')).edition).toMatchObject({ id: 'shenzhen' });
  });

  test('a scanned QR (7201): refused naming the channel field, nothing sent, no 500', async () => {
    const sale = await till.startByCard('nanchang-active');
    const r = await till.call('PUT', `/api/sales/${sale.id}/prescription`, { scanned: 'RX-nanchang-active-TRAIN-H360102-L3-1' });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ error: 'EDITION_FIELD_MISSING', message: expect.stringMatching(/7201.*app_chnl_id|app_chnl_id.*shenzhen/s) });
    expect(sent('7201')).toBe(0);
    expect((await till.ok('GET', `/api/sales/${sale.id}`)).prescription).toBeNull();
  });

  test('a lookup by card (7202): refused naming 操作机构 optins (its value is not in the source), nothing sent', async () => {
    const sale = await till.startByCard('nanchang-active');
    const r = await till.call('POST', `/api/sales/${sale.id}/eprescription-query`);
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ error: 'EDITION_FIELD_MISSING', message: expect.stringContaining('optins') });
    // The operator and terminal fields the source defines (操作人ID/姓名, 终端IP) are filled, so they are not what is missing.
    expect(r.body.message).not.toMatch(/\bopter\b|ip_info/);
    expect(sent('7202')).toBe(0);
  });

  test('the sale is not lost: the paper prescription settles it', async () => {
    const sale = await till.startByCard('nanchang-active');
    await till.call('POST', `/api/sales/${sale.id}/eprescription-query`);
    await till.prescription(sale.id, 'TRAIN-H360102-L1', ['TRAIN-D-B01']);
    await till.basket(sale.id, [{ sku: SKU.B01, qty: '1', price: '30.00' }]);
    expect(await till.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: false })).toMatchObject({ state: 'settled', prescription: { source: 'paper' } });
  });
});

// The write-off (7206) under Shenzhen's field set. Shipped Shenzhen never gets that far (its 7202 and
// 7204 are refused above, so no sale settles against a downloaded prescription); a technician's
// profile that is Shenzhen with those fields optional lets it, while 7206 keeps S1's required
// catalogue details (剂型 drug_dosform, 规格, 批号, 生产厂家, 生产日期, 数量单位) that the till does not hold.
/** A backend running a technician's profile: Shenzhen with the named transactions' input fields made optional (all but `keep`). */
async function shenzhenWithOptional(id: string, relax: string[], keep: Record<string, string[]> = {}): Promise<{ backend: TestBackend; till: Till }> {
  const first = await startTestBackend();
  const tech = await first.login('3001', '3333');
  type Fields = Record<string, { required?: boolean }>;
  const profile = structuredClone(shenzhen) as unknown as { id: string; name: string; transactions: Record<string, { input: { fields?: Fields } }> };
  profile.id = id;
  profile.name = `深圳（${id}）`;
  for (const infno of relax) {
    for (const [name, spec] of Object.entries(profile.transactions[infno]!.input.fields!)) if (!(keep[infno] ?? []).includes(name)) delete spec.required;
  }
  expect((await first.call('POST', '/api/centre/editions', { token: tech, body: profile })).status).toBeLessThan(300);
  const current = (await first.call('GET', '/api/centre/settings', { token: tech })).body as Record<string, unknown>;
  expect((await first.call('PUT', '/api/centre/settings', { token: tech, body: { ...current, edition: id } })).status).toBe(200);
  await first.close();
  const backend = await startTestBackend({ dataDir: first.dataDir });
  return { backend, till: new Till(backend, await backend.login('1001', '1111')) };
}

// 7204 under Shenzhen's field set: the pharmacist's ID (phar_cert_type / phar_certno) and the 复核药师
// are required in S1 and not held by the till.
describe('Shenzhen 7204: a review the till cannot fill is refused naming the field', () => {
  let env: { backend: TestBackend; till: Till };
  beforeAll(async () => { env = await shenzhenWithOptional('shenzhen-review-test', ['7201', '7202']); });
  afterAll(async () => { await env?.backend.close(); });

  test('nothing sent, no review recorded, the sale cannot settle against the prescription but settles on paper', async () => {
    const { till: t, backend } = env;
    const sale = await t.startByCard('nanchang-active');
    const found = await t.ok('POST', `/api/sales/${sale.id}/eprescription-query`);
    await t.ok('PUT', `/api/sales/${sale.id}/prescription`, { authRxno: found.authRxno });
    const r = await t.call('POST', `/api/sales/${sale.id}/eprescription-review`, { approved: true, opinion: '处方合理' });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ error: 'EDITION_FIELD_MISSING', message: expect.stringMatching(/phar_cert_type.*phar_certno.*rchk_phar_certno.*rchk_phar_name/s) });
    expect(backend.runtime.sandbox!.stats().byInfno['7204'] ?? 0).toBe(0);
    expect((await t.ok('GET', `/api/sales/${sale.id}`)).prescription.review).toBeNull();
    await t.basket(sale.id, [{ sku: SKU.B01, qty: '1', price: '30.00' }]);
    expect((await t.call('POST', `/api/sales/${sale.id}/settle`, { useAccount: false })).body).toMatchObject({ error: 'RX_NOT_REVIEWED' });
    await t.prescription(sale.id, 'TRAIN-H360102-L1', ['TRAIN-D-B01']);
    expect((await t.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: false })).state).toBe('settled');
  });
});

// 7204 with the settings the till now holds: the reviewer's ID (证件类型/号码, per-operator pharmacist
// setting) and the 复核药师 (the store's default). 7201/7202 stay relaxed in this profile (their
// optins / channel values are not in any source), which is how the sale gets a downloaded prescription.
describe('Shenzhen 7204: with the pharmacists\' IDs and a 复核药师 set, the review is sent and accepted', () => {
  let env: { backend: TestBackend; till: Till };
  beforeAll(async () => { env = await shenzhenWithOptional('shenzhen-review-sends', ['7201', '7202']); });
  afterAll(async () => { await env?.backend.close(); });

  test('the sandbox (validating Shenzhen\'s required 7204 fields) receives it; the sale settles against the prescription', async () => {
    const { till: t, backend } = env;
    expect(backend.runtime.sandbox!.edition.id).toBe('shenzhen-review-sends');
    const m = new Till(backend, await backend.login('2001', '2222'));
    const id = (first17: string) => first17 + residentIdCheckChar(first17);
    await m.ok('PUT', '/api/operators/1001/pharmacist', { name: '李药师', certNo: 'ZY-1001', idType: '01', idNo: id('44030419800101001') });
    await m.ok('PUT', '/api/operators/2001/pharmacist', { name: '王药师', certNo: 'ZY-2001', idType: '01', idNo: id('44030419820202002') });
    const sale = await t.startByCard('nanchang-active');
    const found = await t.ok('POST', `/api/sales/${sale.id}/eprescription-query`);
    const view = await t.ok('PUT', `/api/sales/${sale.id}/prescription`, { authRxno: found.authRxno });
    // Without a 复核药师 it is still refused before sending, naming the 复核药师 fields only.
    const without = await t.call('POST', `/api/sales/${sale.id}/eprescription-review`, { approved: true, opinion: '处方合理' });
    expect(without.body).toMatchObject({ error: 'EDITION_FIELD_MISSING', message: expect.stringMatching(/rchk_phar_certno/) });
    expect(without.body.message).not.toMatch(/phar_cert_type|\bphar_certno/);
    await m.ok('PUT', '/api/eprescription/recheck-pharmacist', { operatorId: '2001' });
    const reviewed = await t.ok('POST', `/api/sales/${sale.id}/eprescription-review`, { approved: true, opinion: '处方合理' });
    expect(reviewed.prescription.review).toMatchObject({ approved: true, pharmacist: '李药师', recheckPharmacist: '王药师' });
    expect(backend.runtime.sandbox!.stats().byInfno['7204']).toBe(1);
    expect(backend.runtime.sandbox!.centre.reviewInputs(view.prescription.entry.rxNo)[0]).toMatchObject({
      data: { phar_cert_type: '01', phar_certno: id('44030419800101001'), rchk_phar_name: '王药师', rchk_phar_certno: id('44030419820202002') },
    });
    await t.basket(sale.id, [{ sku: SKU.B01, qty: '1', price: '30.00' }]);
    expect(await t.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: false })).toMatchObject({ state: 'settled', prescription: { source: 'scanned' } });
  });
});

describe('Shenzhen 7206: a write-off the till cannot fill is held visibly and is never sent half-filled', () => {
  let local: TestBackend;
  let cashier: Till;
  beforeAll(async () => {
    ({ backend: local, till: cashier } = await shenzhenWithOptional('shenzhen-rx-test', ['7201', '7202', '7204'], { '7204': ['hi_rxno', 'phar_name', 'rx_chk_opnn', 'rx_chk_stas_codg', 'rx_chk_time'] }));
  });
  afterAll(async () => { await local?.close(); });

  test('held naming the fields (not rejected, not retried on a timer), shown in the manager\'s view; 重试 holds it again under the same msgid; nothing reaches the centre', async () => {
    const sale = await cashier.startByCard('nanchang-active');
    const found = await cashier.ok('POST', `/api/sales/${sale.id}/eprescription-query`);
    await cashier.ok('PUT', `/api/sales/${sale.id}/prescription`, { authRxno: found.authRxno });
    await cashier.basket(sale.id, [{ sku: SKU.A01, qty: '1', price: '12.50', traceCodes: [traceCode()] }]);
    await cashier.ok('POST', `/api/sales/${sale.id}/eprescription-review`, { approved: true, opinion: '处方合理' });
    expect((await cashier.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: false })).state).toBe('settled');
    const writeOffs = local.runtime.writeOffs;
    const end = Date.now() + 20_000;
    while (!writeOffs.bySale(sale.id)?.heldFor) {
      if (Date.now() > end) throw new Error(`write-off not tried: ${JSON.stringify(writeOffs.bySale(sale.id)?.entry)}`);
      local.runtime.reports.reporter.kick({ force: true });
      await new Promise((r) => setTimeout(r, 100));
    }
    const row = writeOffs.bySale(sale.id)!;
    expect(row.heldFor).toMatch(/selinfo\.drug_dosform/);
    expect(row.entry.state).not.toBe('rejected');
    expect(row.entry.refusals).toBe(0);
    expect(row.entry.note).toMatch(/held: waiting for local data.*not sent.*drug_dosform/s);
    expect(row.pendingMsgid).not.toBeNull(); // persisted before the first (real) send, kept for it
    expect(writeOffs.history(row.id).map((h) => h.event)).toContain('held');
    // Not retried on a timer: kicks change nothing.
    for (let i = 0; i < 5; i++) { local.runtime.reports.reporter.kick({ force: true }); await new Promise((r) => setTimeout(r, 100)); }
    expect(writeOffs.bySale(sale.id)!.entry.sends).toBe(row.entry.sends);
    // The manager's upload view shows it held, with the field.
    const m = new Till(local, await local.login('2001', '2222'));
    const day = await m.ok('GET', `/api/eprescription-writeoffs/days/${row.businessDate}`);
    expect(day.find((w: { id: number }) => w.id === row.id)).toMatchObject({ state: 'held', heldFor: expect.stringContaining('drug_dosform'), note: expect.stringContaining('drug_dosform') });
    expect((await cashier.call('GET', `/api/eprescription-writeoffs/days/${row.businessDate}`)).status).toBe(403);
    // 重试: tried once more, held again (the data is still missing), same msgid.
    expect(await m.ok('POST', '/api/eprescription-writeoffs/retry', { ids: [row.id] })).toEqual({ retried: 1 });
    const again = Date.now() + 10_000;
    while (writeOffs.bySale(sale.id)!.entry.sends === row.entry.sends || !writeOffs.bySale(sale.id)!.heldFor) {
      if (Date.now() > again) throw new Error('retry not tried');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(writeOffs.bySale(sale.id)!.pendingMsgid).toBe(row.pendingMsgid);
    expect(writeOffs.history(row.id).map((h) => h.event)).toEqual(expect.arrayContaining(['released', 'held']));
    expect(local.runtime.sandbox!.stats().byInfno['7206'] ?? 0).toBe(0);
    expect(local.runtime.sandbox!.centre.writeOffs(row.hiRxno)).toEqual([]);
    expect((await cashier.ok('GET', `/api/sales/${sale.id}`)).state).toBe('settled');
  });
});
