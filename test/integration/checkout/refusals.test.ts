// Every refusal says why and what to do next; bad input names the field and changes nothing (issue 6).
import { describe, expect, test } from 'vitest';
import { addDays } from '../../../core/checkout/prescription';
import { SKU, today, traceCode, useTill } from '../../support/checkout';

const env = useTill();

const count = (table: string): number => (env.api.runtime.store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('prescription refusals (the cashier can still sell without pooled fund)', () => {
  test.each([
    ['expired', 'TRAIN-H360102-L1', addDays(today(), -3), 'RX_EXPIRED'],
    ['dated in the future', 'TRAIN-H360102-L1', addDays(today(), 1), 'RX_DATE_IN_FUTURE'],
    ['from an unknown issuer', 'NOPE-123456', today(), 'RX_ISSUER_UNKNOWN'],
    ['from a non-designated issuer', 'TRAIN-H420302-NONDES', today(), 'RX_ISSUER_NOT_DESIGNATED'],
  ])('a prescription %s is invalid, and the fund pays nothing', async (_what, issuer, issuedOn, code) => {
    const sale = await env.till.startByCard('nanchang-active');
    const withRx = await env.till.prescription(sale.id, issuer, ['TRAIN-D-A01'], issuedOn);
    expect(withRx.prescription.valid).toBe(false);
    expect(withRx.prescription.problems.map((p: any) => p.code)).toEqual([code]);
    expect(withRx.problems.map((p: any) => p.code)).toContain(code);
    await env.till.basket(sale.id, [{ sku: SKU.A01, qty: '1', price: '10.00' }]);
    const pre = await env.till.ok('POST', `/api/sales/${sale.id}/presettle`, { useAccount: true });
    expect(pre.split.fund).toBe('0.00');
  });

  test('a paper prescription without the prescriber\'s 医保医师代码 earns no pooled fund, online or offline; with it, it does', async () => {
    const sale = await env.till.startByCard('nanchang-active');
    const entry = { issuerCode: 'TRAIN-H360102-L1', rxNo: 'RX-NOCODE', issuedOn: today(), prescriber: '王医生', items: ['TRAIN-D-A01'] };
    const withRx = await env.till.ok('PUT', `/api/sales/${sale.id}/prescription`, entry);
    expect(withRx.prescription).toMatchObject({ valid: false, problems: [{ code: 'RX_PRESCRIBER_CODE_MISSING', message: expect.stringContaining('医保医师代码') }] });
    await env.till.basket(sale.id, [{ sku: SKU.A01, qty: '10', price: '100.00' }]);
    expect((await env.till.ok('POST', `/api/sales/${sale.id}/presettle`, { useAccount: false })).split).toMatchObject({ fund: '0.00' });
    await env.till.centreOnline(false);
    try {
      expect((await env.till.ok('POST', `/api/sales/${sale.id}/presettle`, { useAccount: false })).split).toMatchObject({ fund: '0.00' });
    } finally { await env.till.centreOnline(true); }
    const coded = await env.till.ok('PUT', `/api/sales/${sale.id}/prescription`, { ...entry, prescriberCode: 'DR-H360102-L1' });
    expect(coded.prescription).toMatchObject({ valid: true, problems: [] });
    const online = (await env.till.ok('POST', `/api/sales/${sale.id}/presettle`, { useAccount: false })).split;
    expect(Number(online.fund)).toBeGreaterThan(0);
  });
});

describe('traceability codes', () => {
  test('a malformed code and a code already sold are refused, naming the field', async () => {
    const sale = await env.till.startByCard('nanchang-active');
    const bad = await env.till.call('PUT', `/api/sales/${sale.id}/basket`, { lines: [{ sku: SKU.A01, name: 'x', qty: '1', price: '1.00', traceCodes: ['123'] }] });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ error: 'TRACE_CODE_FORMAT', field: 'lines.0.traceCodes.0' });

    const code = traceCode();
    await env.till.basket(sale.id, [{ sku: SKU.A01, qty: '1', price: '5.00', traceCodes: [code] }]);
    expect((await env.till.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: true })).state).toBe('settled');

    const next = await env.till.startByCard('nanchang-active');
    const again = await env.till.call('PUT', `/api/sales/${next.id}/basket`, { lines: [{ sku: SKU.A01, name: 'x', qty: '1', price: '5.00', traceCodes: [code] }] });
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({ error: 'TRACE_CODE_ALREADY_SOLD', field: 'lines.0.traceCodes.0' });
  });

  test('拆零 lines may share the opened box code', async () => {
    const code = traceCode();
    for (let i = 0; i < 2; i++) {
      const sale = await env.till.startByCard('nanchang-active');
      await env.till.basket(sale.id, [{ sku: SKU.A01, qty: '0.5', price: '8.00', split: true, traceCodes: [code] }]);
      expect((await env.till.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: true })).state).toBe('settled');
    }
  });
});

describe('bad input to every endpoint: 4xx naming the field, store unchanged', () => {
  test('wrong types, negative amounts and unknown fields', async () => {
    const sale = await env.till.startByCard('nanchang-active');
    const before = { sales: count('sale'), settlements: count('settlement'), journal: count('journal') };
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/api/sales', { identify: { method: 'fingerprint' } }, 'identify.method'],
      ['POST', '/api/sales', { identify: { method: 'idNumber', idNumber: '12345' } }, 'identify.idNumber'],
      ['POST', '/api/sales', { identify: { method: 'card' }, extra: 1 }, 'extra'],
      ['PUT', `/api/sales/${sale.id}/prescription`, { issuerCode: 'TRAIN-H360102-L1', rxNo: 'R', issuedOn: '2026-02-30', prescriber: 'x', items: ['a'] }, 'issuedOn'],
      ['PUT', `/api/sales/${sale.id}/prescription`, { issuerCode: 'TRAIN-H360102-L1', rxNo: 'R', issuedOn: today(), prescriber: 'x', items: [] }, 'items'],
      ['PUT', `/api/sales/${sale.id}/basket`, { lines: [{ sku: SKU.A01, name: 'x', qty: '-1', price: '1.00' }] }, 'lines.0.qty'],
      ['PUT', `/api/sales/${sale.id}/basket`, { lines: [{ sku: SKU.A01, name: 'x', qty: '1', price: '-1.00' }] }, 'lines.0.price'],
      ['PUT', `/api/sales/${sale.id}/basket`, { lines: [{ sku: SKU.A01, name: 'x', qty: 1, price: '1.00' }] }, 'lines.0.qty'],
      ['PUT', `/api/sales/${sale.id}/basket`, { lines: [{ sku: SKU.A01, name: 'x', qty: '1', price: 1 }] }, 'lines.0.price'],
      ['PUT', `/api/sales/${sale.id}/basket`, { lines: [] }, 'lines'],
      ['POST', `/api/sales/${sale.id}/presettle`, { useAccount: 'yes' }, 'useAccount'],
      ['POST', `/api/sales/${sale.id}/settle`, { acceptSelfPay: 1 }, 'acceptSelfPay'],
      ['POST', `/api/sales/${sale.id}/refund`, { reason: '' }, 'reason'],
      ['GET', '/api/sales?date=yesterday', undefined, 'date'],
      ['GET', '/api/sales?limit=0', undefined, 'limit'],
      ['GET', '/api/sales?limit=501', undefined, 'limit'],
      ['GET', '/api/sales?before=x%27%3B--', undefined, 'before'],
      ['GET', '/api/sales/not-a-sale', undefined, 'id'],
      ['PUT', '/api/sku-mappings/X1', { catalogueCode: 5 }, 'catalogueCode'],
    ];
    const technician = await env.api.login('3001', '3333');
    for (const [method, path, body, field] of cases) {
      const token = path.startsWith('/api/sku-mappings') ? technician : env.till.token;
      const r = await env.api.call(method, path, { token, body });
      expect([400, 422], `${method} ${path} ${JSON.stringify(body)} → ${r.status} ${JSON.stringify(r.body)}`).toContain(r.status);
      expect(r.body.field, `${method} ${path}: ${JSON.stringify(r.body)}`).toBe(field);
      expect(r.body.message).toContain(field.split('.').pop());
    }
    expect({ sales: count('sale'), settlements: count('settlement'), journal: count('journal') }).toEqual(before);
  });

  test('a huge body, a missing token, a wrong role and a foreign Origin are refused', async () => {
    const sale = await env.till.startByCard('nanchang-active');
    const before = count('sale');
    const huge = await env.api.call('PUT', `/api/sales/${sale.id}/basket`, { token: env.till.token, rawBody: JSON.stringify({ lines: Array.from({ length: 5000 }, () => ({ sku: 'x'.repeat(40), name: 'y'.repeat(60), qty: '1', price: '1' })) }) });
    expect(huge.status).toBe(413);
    expect((await env.api.call('POST', '/api/sales', { body: { identify: { method: 'card' } } })).status).toBe(401);
    const technician = await env.api.login('3001', '3333');
    const wrongRole = await env.api.call('POST', '/api/sales', { token: technician, body: { identify: { method: 'card' } } });
    expect(wrongRole.status).toBe(403);
    const foreign = await env.api.call('POST', '/api/sales', { token: env.till.token, body: { identify: { method: 'card' } }, headers: { origin: 'http://localhost:3000' } });
    expect(foreign.status).toBe(403);
    expect(count('sale')).toBe(before);
    expect((await env.till.call('GET', `/api/sales/${sale.id}`)).body.lines).toEqual([]);
  });

  test('an empty basket cannot be settled; a sale that does not exist is a 404', async () => {
    const sale = await env.till.startByCard('nanchang-active');
    const r = await env.till.call('POST', `/api/sales/${sale.id}/settle`, { useAccount: true });
    expect(r.status).toBe(409);
    expect(r.body.error).toBe('BASKET_EMPTY');
    expect((await env.till.call('GET', '/api/sales/S20260101-00000000')).status).toBe(404);
  });
});

describe('card problems tell the cashier what to do', () => {
  test('no card in the reader', async () => {
    await env.till.insertCard(null);
    const r = await env.till.call('POST', '/api/sales', { identify: { method: 'card' } });
    expect(r.status).toBe(422);
    expect(r.body.error).toBe('NO_CARD');
    expect(r.body.message).toContain('请插入社保卡');
  });
  test('the centre does not know the person', async () => {
    const r = await env.till.call('POST', '/api/sales', { identify: { method: 'idNumber', idNumber: '110101199001011237' } });
    expect(r.status).toBe(422);
    expect(r.body.error).toBe('CENTRE_REJECTED');
  });
});

describe('Idempotency-Key on settle', () => {
  test('a POS retry returns the same settlement and books nothing twice', async () => {
    const sale = await env.till.startByCard('jincheng-active');
    await env.till.basket(sale.id, [{ sku: SKU.A01, qty: '1', price: '12.00' }]);
    const headers = { 'idempotency-key': `settle-${sale.id}` };
    const before = count('settlement');
    const first = await env.till.call('POST', `/api/sales/${sale.id}/settle`, { useAccount: true }, headers);
    const second = await env.till.call('POST', `/api/sales/${sale.id}/settle`, { useAccount: true }, headers);
    expect(first.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(count('settlement')).toBe(before + 1);
    expect((env.api.runtime.sandbox!.stats().byInfno['2102'] ?? 0)).toBeGreaterThan(0);
  });
});

describe('the centre refuses a settlement', () => {
  test('the cashier sees the reason, the sale reopens with its codes free, and a retry settles it', async () => {
    const sale = await env.till.startByCard('jincheng-active');
    const code = traceCode();
    await env.till.basket(sale.id, [{ sku: SKU.A01, qty: '1', price: '9.00', traceCodes: [code] }]);
    env.api.runtime.sandbox!.setFaults({ businessErrorRate: 1, infnos: ['2102'] });
    const refused = await env.till.call('POST', `/api/sales/${sale.id}/settle`, { useAccount: true });
    env.api.runtime.sandbox!.setFaults({});
    expect(refused.status).toBe(422);
    expect(refused.body.error).toBe('CENTRE_REJECTED');
    expect(refused.body.message).toContain('模拟业务错误');
    const reopened = await env.till.ok('GET', `/api/sales/${sale.id}`);
    expect(reopened.state).toBe('presettled');
    const retried = await env.till.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: true });
    expect(retried.state).toBe('settled');
  });
});
