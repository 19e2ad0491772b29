// Offline: provisional settlements under the store's risk limits, self-pay otherwise, and the
// centre's authoritative split recorded next to the provisional one after sync (issue 6).
import { describe, expect, test } from 'vitest';
import { money } from '../../../core/money/money';
import { SKU, useTill } from '../../support/checkout';

const env = useTill();

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('offline provisional sale that later syncs and matches the centre', () => {
  let saleId: string;

  test('a person seen online is identified offline from the cache, with the data age shown', async () => {
    const first = await env.till.startByCard('nanchang-near-cap');
    expect(first.person.source).toBe('centre');
    await env.till.centreOnline(false);
    const status = await env.till.ok('GET', '/api/status');
    const sale = await env.till.startByCard('nanchang-near-cap');
    saleId = sale.id;
    expect(sale.online).toBe(false);
    expect(sale.person).toMatchObject({ source: 'cache', ageDays: 0, name: '测试庚' });
    expect(status.training).toEqual({ sandboxCentre: true, virtualReader: true });
  });

  test('offline pre-settle prices with the cached policy and the centre\'s cached year figures (5206), marked provisional', async () => {
    await env.till.prescription(saleId, 'TRAIN-H360102-L1', ['TRAIN-D-A01']);
    await env.till.basket(saleId, [{ sku: SKU.A01, qty: '7', price: '100.00' }]);
    const pre = await env.till.ok('POST', `/api/sales/${saleId}/presettle`, { useAccount: true });
    // The 5206 read at the online identify said the deductible is met and 1750 of the 1800 cap is
    // used: no deductible, and the fund is capped at 50.00 — what the centre will book.
    expect(pre.split).toMatchObject({ total: '700.00', deductible: '0.00', ratio: '0.60', fund: '50.00' });
    expect(pre.split.explain[0]).toMatch(/医保中心人员累计信息 5206，读取于/);
    expect(pre.online).toBe(false);
  });

  test('settle offline books a provisional settlement; the receipt carries the 暂估 mark', async () => {
    const sale = await env.till.ok('POST', `/api/sales/${saleId}/settle`, { useAccount: true });
    expect(sale).toMatchObject({ state: 'provisional', provisional: true, syncState: 'pending', centre: null });
    const receipt = await env.till.call('GET', `/api/sales/${saleId}/receipt`);
    expect(receipt.body).toContain('data-mark="provisional"');
    expect(receipt.body).toContain('暂估');
    const status = await env.till.ok('GET', '/api/status');
    expect(status.online).toBe(false);
    expect(status.queue.pending).toBeGreaterThanOrEqual(1);
  });

  test('back online, the sync engine books it exactly once and records the centre split and the difference', async () => {
    await env.till.centreOnline(true);
    const synced = await waitFor(async () => {
      const s = await env.till.ok('GET', `/api/sales/${saleId}`);
      return s.centre ? s : undefined;
    });
    // The centre pays 50.00 (cap reached), as the provisional split said: no difference.
    expect(synced.centre.split.fund).toBe('50.00');
    expect(synced.centre.difference).toEqual({ fund: '0.00', account: '0.00', cash: '0.00' });
    expect(synced.state).toBe('provisional');
    expect(synced.syncState).toBe('confirmed');
    const receipt = await env.till.call('GET', `/api/sales/${saleId}/receipt`);
    expect(receipt.body).toContain('中心确认与暂估差额');
    expect(money(synced.centre.split.fund).plus(money(synced.centre.split.account)).plus(money(synced.centre.split.cash)).toFixed(2)).toBe('700.00');
  });
});

describe('offline refusals', () => {
  test('over the per-person limit: refused with the reason, then sold as self-pay when the cashier accepts', async () => {
    await env.till.startByCard('jincheng-active');
    await env.till.centreOnline(false);
    const a = await env.till.startByCard('jincheng-active');
    await env.till.prescription(a.id, 'TRAIN-H140502-L1', ['TRAIN-D-A01']);
    await env.till.basket(a.id, [{ sku: SKU.A01, qty: '1', price: '100.00' }]);
    expect((await env.till.ok('POST', `/api/sales/${a.id}/settle`, { useAccount: true })).state).toBe('provisional');

    const b = await env.till.startByCard('jincheng-active');
    await env.till.prescription(b.id, 'TRAIN-H140502-L1', ['TRAIN-D-A01']);
    await env.till.basket(b.id, [{ sku: SKU.A01, qty: '1', price: '100.00' }]);
    const refused = await env.till.call('POST', `/api/sales/${b.id}/settle`, { useAccount: true });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('RISK_PER_PERSON');
    expect(refused.body.message).toContain('自费');
    const selfpay = await env.till.ok('POST', `/api/sales/${b.id}/settle`, { useAccount: true, acceptSelfPay: true });
    expect(selfpay.state).toBe('selfpay');
    expect(selfpay.split).toMatchObject({ fund: '0.00', account: '0.00', cash: '100.00' });
    expect(selfpay.problems.map((p: any) => p.code)).toContain('RISK_PER_PERSON');
    await env.till.centreOnline(true);
  });

  test('a person never seen online gets no provisional pooled payment: self-pay only', async () => {
    await env.till.centreOnline(false);
    const sale = await env.till.ok('POST', '/api/sales', { identify: { method: 'idNumber', idNumber: '110101199001011237' } });
    expect(sale.person).toBeNull();
    expect(sale.problems.map((p: any) => p.code)).toEqual(['PERSON_UNKNOWN_OFFLINE']);
    await env.till.basket(sale.id, [{ sku: SKU.A01, qty: '1', price: '20.00' }]);
    const done = await env.till.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: true });
    expect(done).toMatchObject({ state: 'selfpay', split: { fund: '0.00', account: '0.00', cash: '20.00' } });
    await env.till.centreOnline(true);
  });
});
