// The e-prescription path under the Shenzhen edition (S1 binzhe12123/Medical CFZX/*): its 7201, 7202
// and 7204 require fields the till does not hold (7201's channel fields, 7202's 操作机构 optins,
// 7204's pharmacist ID and 复核药师). Such a message is refused at the till before anything is sent,
// naming the field (422 EDITION_FIELD_MISSING, never a 500), and the sale is not lost: it can still
// be settled on the paper prescription.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestBackend, type TestBackend } from '../../support/backend';
import { SKU, Till } from '../../support/checkout';

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
