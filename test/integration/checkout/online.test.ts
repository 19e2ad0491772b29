// The cashier's job online, against the sandbox centre over loopback (issue 6).
import { describe, expect, test } from 'vitest';
import { money } from '../../../core/money/money';
import { SKU, today, useTill } from '../../support/checkout';

const env = useTill();

describe('an online sale, end to end', () => {
  let saleId: string;

  test('identify by card: the holder comes from the centre (1101)', async () => {
    const sale = await env.till.startByCard('nanchang-active');
    saleId = sale.id;
    expect(sale).toMatchObject({ state: 'open', online: true, problems: [] });
    expect(sale.person).toMatchObject({ name: '测试乙', region: '360100', regionName: '南昌市', source: 'centre', ageDays: 0, status: 'active' });
    expect(sale.person.idNumberMasked).toBe('360102********002X');
    expect(JSON.stringify(sale)).not.toContain('36010219920708002X');
  });

  test('the external prescription shows the issuer level and validity', async () => {
    const sale = await env.till.prescription(saleId, 'TRAIN-H360102-L2', ['TRAIN-D-B01', 'TRAIN-D-A01']);
    expect(sale.prescription).toMatchObject({ valid: true, issuer: { level: 2, designated: true }, problems: [] });
  });

  test('the basket maps SKUs to the catalogue and flags what is not insured', async () => {
    const sale = await env.till.basket(saleId, [
      { sku: SKU.B01, qty: '2', price: '200.00' },
      { sku: SKU.A01, qty: '1', price: '30.00' },
      { sku: SKU.B02, qty: '1', price: '50.00' },
      { sku: SKU.UNMAPPED, qty: '1', price: '9.90', name: '未对照商品' },
    ]);
    expect(sale.lines.map((l: any) => [l.catalogueCode, l.flags])).toEqual([
      ['TRAIN-D-B01', []], ['TRAIN-D-A01', []], ['TRAIN-D-B02', ['NOT_ON_PRESCRIPTION']], [null, ['UNMAPPED']],
    ]);
  });

  test('pre-settle (2101) gives the centre split with its explanation, not provisional', async () => {
    const sale = await env.till.ok('POST', `/api/sales/${saleId}/presettle`, { useAccount: true });
    expect(sale.state).toBe('presettled');
    expect(sale.provisional).toBe(false);
    const s = sale.split;
    expect(money(s.fund).plus(money(s.account)).plus(money(s.cash)).toFixed(2)).toBe(s.total);
    expect(s.total).toBe('489.90');
    // The two lines off the insurance transaction are paid in cash.
    expect(money(s.cash).greaterThanOrEqualTo(money('59.90'))).toBe(true);
    // 南昌 第七条: annual deductible 600 — a first purchase of 400 in scope pays no fund yet.
    expect(s.fund).toBe('0.00');
    expect(s.explain.join('\n')).toContain('第七条');
    expect(s.explain.join('\n')).toContain('医保外现金');
  });

  test('settle (2102) books it at the centre; the journal records it and verifies', async () => {
    const sale = await env.till.ok('POST', `/api/sales/${saleId}/settle`, { useAccount: true });
    expect(sale.state).toBe('settled');
    expect(sale.syncState).toBe('confirmed');
    expect(sale.centre.setlId).toMatch(/\S+/);
    expect(sale.centre.difference).toBeNull();
    const manager = await env.api.login('2001', '2222');
    const check = await env.api.call('GET', '/api/journal/verify', { token: manager });
    expect(check.body).toMatchObject({ ok: true });
    expect(check.body.entries).toBeGreaterThanOrEqual(2);
  });

  test('the receipt prints the split without a provisional mark', async () => {
    const r = await env.till.call('GET', `/api/sales/${saleId}/receipt`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    expect(r.body).toContain('统筹基金支付');
    expect(r.body).not.toContain('data-mark="provisional"');
  });

  test('a settled sale cannot be edited', async () => {
    const r = await env.till.call('PUT', `/api/sales/${saleId}/basket`, { lines: [{ sku: SKU.A01, name: 'x', qty: '1', price: '1.00' }] });
    expect(r.status).toBe(409);
    expect(r.body.error).toBe('SALE_CLOSED');
  });

  test("today's list has it; a refund (2103) reverses it at the centre", async () => {
    const list = await env.till.ok('GET', `/api/sales?date=${today()}&state=settled`);
    expect(list.map((s: any) => s.id)).toContain(saleId);
    const refunded = await env.till.ok('POST', `/api/sales/${saleId}/refund`, { reason: '顾客退货' });
    expect(refunded.state).toBe('refunded');
    const again = await env.till.call('POST', `/api/sales/${saleId}/refund`, { reason: '顾客退货' });
    expect(again.status).toBe(409);
  });
});

describe('the fund pays at the prescribing institution tier (山西 by price class)', () => {
  test('a 晋城 patient with a deductible met per visit gets the fund at the issuer class ratio', async () => {
    const sale = await env.till.startByCard('jincheng-active');
    await env.till.prescription(sale.id, 'TRAIN-H140502-L3', ['TRAIN-D-A01']);
    await env.till.basket(sale.id, [{ sku: SKU.A01, qty: '2', price: '100.00' }]);
    const pre = await env.till.ok('POST', `/api/sales/${sale.id}/presettle`, { useAccount: false });
    // 晋医保发〔2022〕12号 第八条/第九条: 一类 (level 3) per-visit deductible 80, active ratio 50%.
    expect(pre.split).toMatchObject({ total: '200.00', deductible: '80.00', ratio: '0.50', fund: '60.00', account: '0.00', cash: '140.00' });
    const done = await env.till.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: false });
    expect(done.state).toBe('settled');
    expect(done.centre.split.fund).toBe('60.00');
  });

  test('in hospital: the centre pays no fund (HOSPITALIZED)', async () => {
    const sale = await env.till.startByCard('jincheng-inpatient');
    await env.till.prescription(sale.id, 'TRAIN-H140502-L2', ['TRAIN-D-A01']);
    await env.till.basket(sale.id, [{ sku: SKU.A01, qty: '1', price: '100.00' }]);
    const pre = await env.till.ok('POST', `/api/sales/${sale.id}/presettle`, { useAccount: true });
    expect(pre.split.fund).toBe('0.00');
  });
});
