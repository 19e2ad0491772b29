// The scanned external prescription (issue 6, step 2's second path): the cashier scans the patient's
// e-prescription QR, the backend decodes (7201) and downloads (7203) it from the sandbox centre and
// checks it exactly like a paper entry. Training QRs: RX-<fixtureId>-<issuerCode>-<n>[-OLD].
import { describe, expect, test } from 'vitest';
import { addDays } from '../../../core/checkout/prescription';
import { trainingRxNo, TRAINING_RX_ITEMS, TRAINING_RX_PRESCRIBER } from '../../../native/sandbox/eprescription';
import { SKU, today, useTill } from '../../support/checkout';

const env = useTill();

const scan = (id: string, scanned: unknown) => env.till.call('PUT', `/api/sales/${id}/prescription`, { scanned });
const count = (table: string): number => (env.api.runtime.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

let filledSale = '';

describe('a scanned e-prescription', () => {
  test('fills issuer, level, validity and items from the centre, and the fund pays at that tier', async () => {
    const sale = await env.till.startByCard('jincheng-active');
    const qr = 'RX-jincheng-active-TRAIN-H140502-L3-1';
    const r = await scan(sale.id, qr);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.prescription).toMatchObject({
      source: 'scanned', valid: true, problems: [], validUntil: addDays(today(), 2),
      entry: { issuerCode: 'TRAIN-H140502-L3', rxNo: trainingRxNo(qr), issuedOn: today(), prescriber: TRAINING_RX_PRESCRIBER, items: [...TRAINING_RX_ITEMS] },
      issuer: { code: 'TRAIN-H140502-L3', level: 3, priceClass: 1, designated: true },
    });
    // The same basket and figures as the paper prescription in online.test.ts: 一类, deductible 80, 50%.
    await env.till.basket(sale.id, [{ sku: SKU.A01, qty: '2', price: '100.00' }]);
    const pre = await env.till.ok('POST', `/api/sales/${sale.id}/presettle`, { useAccount: false });
    expect(pre.split).toMatchObject({ total: '200.00', deductible: '80.00', ratio: '0.50', fund: '60.00', cash: '140.00' });
    // A downloaded e-prescription is settled after the pharmacist's 审方 (7204).
    await env.till.ok('POST', `/api/sales/${sale.id}/eprescription-review`, { approved: true, opinion: '处方合理' });
    const done = await env.till.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: false });
    expect(done).toMatchObject({ state: 'settled', prescription: { source: 'scanned' }, centre: { split: { fund: '60.00' } } });
    filledSale = sale.id;
  });

  test('reuse counters: a filled single-use prescription is refused, at the till (7203 reptd_cnt) and by the centre (2102); a refund gives the fill back', async () => {
    const qr = 'RX-jincheng-active-TRAIN-H140502-L3-1';
    const sale = await env.till.startByCard('jincheng-active');
    const again = await scan(sale.id, qr);
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({ error: 'RX_USED_UP', message: expect.stringMatching(/已取药 1 次（仅可取药一次）/) });
    // Typed from paper under the same prescription number, the centre itself refuses the fill.
    await env.till.ok('PUT', `/api/sales/${sale.id}/prescription`, { issuerCode: 'TRAIN-H140502-L3', rxNo: trainingRxNo(qr), issuedOn: today(), prescriber: '王医生', prescriberCode: 'DR-H140502-L3', items: ['TRAIN-D-A01'] });
    await env.till.basket(sale.id, [{ sku: SKU.A01, qty: '1', price: '100.00' }]);
    const refused = await env.till.call('POST', `/api/sales/${sale.id}/settle`, { useAccount: false });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toMatch(/已取药 1 次（限 1 次）/);
    // The first sale is refunded (2103): the prescription may be filled again.
    expect((await env.till.ok('POST', `/api/sales/${filledSale}/refund`, { reason: '顾客退货' })).state).toBe('refunded');
    const rescanned = await scan(sale.id, qr);
    expect(rescanned.status, JSON.stringify(rescanned.body)).toBe(200);
    await env.till.basket(sale.id, [{ sku: SKU.A01, qty: '1', price: '100.00' }]);
    await env.till.ok('POST', `/api/sales/${sale.id}/eprescription-review`, { approved: true, opinion: '处方合理' });
    expect(await env.till.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: false })).toMatchObject({ state: 'settled' });
  });

  test('the tier follows the issuer in the QR: a level-1 (三类) issuer pays at its own class', async () => {
    const sale = await env.till.startByCard('jincheng-active');
    const r = await scan(sale.id, 'RX-jincheng-active-TRAIN-H140502-L1-7');
    expect(r.body.prescription).toMatchObject({ valid: true, issuer: { level: 1, priceClass: 3 } });
    await env.till.basket(sale.id, [{ sku: SKU.A01, qty: '2', price: '100.00' }]);
    const pre = await env.till.ok('POST', `/api/sales/${sale.id}/presettle`, { useAccount: false });
    // 晋医保发〔2022〕12号 第八条/第九条: 三类 per-visit deductible 30, active ratio 60%.
    expect(pre.split).toMatchObject({ total: '200.00', deductible: '30.00', ratio: '0.60', fund: '102.00', cash: '98.00' });
  });

  test('a drug not on the scanned prescription is flagged and paid in cash', async () => {
    const sale = await env.till.startByCard('nanchang-active');
    await scan(sale.id, 'RX-nanchang-active-TRAIN-H360102-L2-1');
    const basket = await env.till.basket(sale.id, [{ sku: SKU.A02, qty: '1', price: '10.00' }, { sku: SKU.B01, qty: '1', price: '10.00' }]);
    expect(basket.lines.map((l: any) => l.flags)).toEqual([['NOT_ON_PRESCRIPTION'], []]);
  });

  test('an expired one (-OLD, issued 10 days ago) is invalid with RX_EXPIRED, and the fund pays nothing', async () => {
    const sale = await env.till.startByCard('nanchang-active');
    const r = await scan(sale.id, 'RX-nanchang-active-TRAIN-H360102-L3-1-OLD');
    expect(r.status).toBe(200);
    expect(r.body.prescription).toMatchObject({ source: 'scanned', valid: false, entry: { issuedOn: addDays(today(), -10) } });
    expect(r.body.prescription.problems.map((p: any) => p.code)).toEqual(['RX_EXPIRED']);
    await env.till.basket(sale.id, [{ sku: SKU.A01, qty: '1', price: '10.00' }]);
    const pre = await env.till.ok('POST', `/api/sales/${sale.id}/presettle`, { useAccount: true });
    expect(pre.split.fund).toBe('0.00');
  });

  test("the centre's own window counts too: past valid_end_time it is expired even if the store allows longer", async () => {
    const manager = await env.api.login('2001', '2222');
    const settings = (await env.api.call('GET', '/api/store-settings', { token: manager })).body;
    const put = (body: unknown) => env.api.call('PUT', '/api/store-settings', { token: manager, body });
    expect((await put({ ...settings, rxValidityDays: { default: 30, byRegion: {} } })).status).toBe(200);
    try {
      const sale = await env.till.startByCard('nanchang-active');
      const r = await scan(sale.id, 'RX-nanchang-active-TRAIN-H360102-L3-2-OLD');
      // The store's 30 days would allow it; the centre ended it on the third day, and that is shown.
      expect(r.body.prescription).toMatchObject({ valid: false, validUntil: addDays(today(), -8) });
      expect(r.body.prescription.problems).toEqual([{ code: 'RX_EXPIRED', message: expect.stringContaining(`至 ${addDays(today(), -8)}`) }]);
    } finally {
      expect((await put(settings)).status).toBe(200);
    }
  });

  test('a non-designated issuer is scanned fine but refused like on paper', async () => {
    const sale = await env.till.startByCard('shiyan-active');
    const r = await scan(sale.id, 'RX-shiyan-active-TRAIN-H420302-NONDES-1');
    expect(r.body.prescription.problems.map((p: any) => p.code)).toEqual(['RX_ISSUER_NOT_DESIGNATED']);
  });

  test('a paper entry after a scan replaces it and is marked paper', async () => {
    const sale = await env.till.startByCard('nanchang-active');
    await scan(sale.id, 'RX-nanchang-active-TRAIN-H360102-L3-2');
    const paper = await env.till.prescription(sale.id, 'TRAIN-H360102-L1', ['TRAIN-D-A01']);
    expect(paper.prescription).toMatchObject({ source: 'paper', entry: { issuerCode: 'TRAIN-H360102-L1' } });
  });
});

describe('refusals', () => {
  test('a QR the centre does not know: 422 CENTRE_REJECTED with its message, the sale unchanged', async () => {
    const sale = await env.till.startByCard('nanchang-active');
    for (const qr of ['RX-nobody-TRAIN-H360102-L3-1', 'RX-nanchang-active-NOPE-1', 'HELLO-WORLD']) {
      const r = await scan(sale.id, qr);
      expect(r.status, qr).toBe(422);
      expect(r.body).toMatchObject({ error: 'CENTRE_REJECTED', message: expect.stringMatching(/电子处方二维码无效/) });
    }
    expect((await env.till.ok('GET', `/api/sales/${sale.id}`)).prescription).toBeNull();
  });

  test("another patient's prescription: 422 RX_PERSON_MISMATCH", async () => {
    const sale = await env.till.startByCard('nanchang-active');
    const r = await scan(sale.id, 'RX-jincheng-active-TRAIN-H140502-L3-1');
    expect(r.status).toBe(422);
    expect(r.body.error).toBe('RX_PERSON_MISMATCH');
  });

  test('offline: 503 CENTRE_UNAVAILABLE telling the cashier to type the paper prescription; paper still works', async () => {
    const sale = await env.till.startByCard('nanchang-active');
    await env.till.centreOnline(false);
    try {
      const r = await scan(sale.id, 'RX-nanchang-active-TRAIN-H360102-L3-1');
      expect(r.status).toBe(503);
      expect(r.body).toMatchObject({ error: 'CENTRE_UNAVAILABLE', message: expect.stringMatching(/纸质处方手工录入/) });
      const paper = await env.till.prescription(sale.id, 'TRAIN-H360102-L3', ['TRAIN-D-A01']);
      expect(paper.prescription).toMatchObject({ source: 'paper', valid: true });
    } finally {
      await env.till.centreOnline(true);
    }
  });

  test('bad bodies: 400 naming the field, nothing stored', async () => {
    const sale = await env.till.startByCard('nanchang-active');
    const before = { sales: count('sale'), journal: count('journal') };
    const cases: Array<[unknown, string]> = [
      [{ scanned: '' }, 'scanned'],
      [{ scanned: 42 }, 'scanned'],
      [{ scanned: 'RX 中文 二维码' }, 'scanned'],
      [{ scanned: 'x'.repeat(513) }, 'scanned'],
      [{ scanned: 'RX-nanchang-active-TRAIN-H360102-L3-1', extra: 1 }, 'extra'],
      [{ issuerCode: 'TRAIN-H360102-L3', rxNo: 'RX1', issuedOn: today(), prescriber: '王医生', items: [7] }, 'items.0'],
      [{ issuerCode: 12, rxNo: 'RX1', issuedOn: today(), prescriber: '王医生', items: ['TRAIN-D-A01'] }, 'issuerCode'],
    ];
    for (const [body, field] of cases) {
      const r = await env.till.call('PUT', `/api/sales/${sale.id}/prescription`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body, JSON.stringify(body)).toMatchObject({ error: 'INVALID_REQUEST', field });
      expect(r.body.message).toMatch(new RegExp(`^body field ${field.replace('.', '\\.')}: `));
    }
    expect((await env.till.ok('GET', `/api/sales/${sale.id}`)).prescription).toBeNull();
    expect({ sales: count('sale'), journal: count('journal') }).toEqual(before);
  });
});
