// The pharmacy's whole e-prescription flow (电子处方流转) through the till's API against the sandbox
// centre: the cashier looks the patient's prescription up by the credential read at identify (7202,
// no QR), downloads it with its one-time auth_rxno (7203), settles against it (2102).
import { describe, expect, test } from 'vitest';
import { trainingRxNo, TRAINING_RX_ITEMS } from '../../../native/sandbox/eprescription';
import { SKU, today, useTill } from '../../support/checkout';

const env = useTill();

describe('7202 → 7203: an e-prescription found by the patient\'s card', () => {
  test('the lookup names issuer, time and validity; the download fills the prescription and the sale settles against it', async () => {
    const sale = await env.till.startByCard('shiyan-active');
    const found = await env.till.ok('POST', `/api/sales/${sale.id}/eprescription-query`);
    expect(found).toMatchObject({
      issuerCode: 'TRAIN-H420302-L3', issuerName: expect.stringContaining('三级'), issuedAt: `${today()} 08:00:00`,
      validEnd: expect.stringMatching(/ 23:59:59$/), authRxno: expect.stringMatching(/^AUTH/),
    });
    const view = await env.till.ok('PUT', `/api/sales/${sale.id}/prescription`, { authRxno: found.authRxno });
    expect(view.prescription).toMatchObject({
      source: 'scanned', valid: true,
      entry: { issuerCode: 'TRAIN-H420302-L3', rxNo: trainingRxNo('RX-shiyan-active-TRAIN-H420302-L3-7202'), issuedOn: today(), items: [...TRAINING_RX_ITEMS] },
      issuer: { code: 'TRAIN-H420302-L3', level: 3 },
    });
    // The auth_rxno was good once: the same number again is the centre's refusal, the sale keeps its prescription.
    const again = await env.till.call('PUT', `/api/sales/${sale.id}/prescription`, { authRxno: found.authRxno });
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({ error: 'CENTRE_REJECTED', message: expect.stringMatching(/只能使用一次/) });
    await env.till.basket(sale.id, [{ sku: SKU.A01, qty: '1', price: '100.00' }]);
    expect(await env.till.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: false })).toMatchObject({ state: 'settled', prescription: { source: 'scanned' } });
  });

  test('a malformed authRxno is refused naming the field; an unknown one is the centre\'s refusal', async () => {
    const sale = await env.till.startByCard('shiyan-active');
    const bad = await env.till.call('PUT', `/api/sales/${sale.id}/prescription`, { authRxno: 'has spaces in it' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/authRxno/);
    const unknown = await env.till.call('PUT', `/api/sales/${sale.id}/prescription`, { authRxno: 'AUTH0000' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toMatch(/授权编号不存在/);
  });
});
