// Year-to-date figures from the centre (5206) at identify, and offline splits that start from them
// (issue 14 point 3). The person first buys at ANOTHER pharmacy, settled online against the same
// sandbox by a second, real centre client; this store has never seen that sale.
import { paperRx } from '../../support/paper-rx';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { settleInputFromBasket } from '../../../core/centre/build';
import { createCentreClient } from '../../../core/centre/client';
import { msgidGenerator } from '../../../core/centre/msgid';
import { TRAINING_IDENTITY, TRAINING_TERMINAL } from '../../../core/centre/training';
import { HttpJsonTransport } from '../../../native/centre/http-transport';
import { SKU, useTill } from '../../support/checkout';
import { ok, person } from '../centre/fixture';

const env = useTill();
const OTHER = { ...TRAINING_IDENTITY, fixmedinsCode: 'P42030200099', fixmedinsName: '【培训】另一家定点药店', opter: 'OTHER01' };
const who = person('nanchang-active');
let transport: HttpJsonTransport;

beforeAll(async () => {
  const sb = env.api.runtime.sandbox!;
  transport = new HttpJsonTransport({ url: sb.endpoint, connectTimeoutMs: 1000, responseTimeoutMs: 3000 });
  const clock = (): Date => new Date();
  const nextMsgid = msgidGenerator(OTHER.fixmedinsCode, clock);
  const other = createCentreClient({ transport, identity: OTHER, clock, terminal: TRAINING_TERMINAL, nextMsgid });
  // 7 × 100.00 甲类 with a 一级 prescription (南昌): deductible 600 paid, fund (700 − 600) × 60% = 60.00.
  const request = settleInputFromBasket({
    psnNo: who.psnNo, certType: '02', certNo: who.certno, insutype: who.insutype, saleTime: new Date(), useAccount: true,
    rx: paperRx('TRAIN-H360102-L1'), lines: [{ medListCodg: 'TRAIN-D-A01', medinsListCodg: 'ELSEWHERE-1', qty: '7', price: '100.00' }],
  });
  const booked = ok(await other.settle(request, { insuplcAdmdvs: who.insuplcAdmdvs, msgid: nextMsgid() }));
  expect(booked.setlinfo).toMatchObject({ act_pay_dedc: '600.00', hifp_pay: '60.00' });
});
afterAll(async () => { await transport?.close(); });

async function offlineQuoteMatchesCentre(qty: string): Promise<{ id: string; offline: any; online: any }> {
  await env.till.centreOnline(false);
  const sale = await env.till.startByCard('nanchang-active');
  expect(sale.person.source).toBe('cache');
  await env.till.prescription(sale.id, 'TRAIN-H360102-L1', ['TRAIN-D-A01']);
  await env.till.basket(sale.id, [{ sku: SKU.A01, qty, price: '100.00' }]);
  const offline = await env.till.ok('POST', `/api/sales/${sale.id}/presettle`, { useAccount: true });
  expect(offline.online).toBe(false);
  await env.till.centreOnline(true);
  const online = await env.till.ok('POST', `/api/sales/${sale.id}/presettle`, { useAccount: true });
  expect(online.online).toBe(true);
  expect(online.split.explain[0]).toBe('医保中心结算结果（以中心为准）');
  return { id: sale.id, offline: offline.split, online: online.split };
}

describe('the centre\'s year-to-date figures (5206)', () => {
  test('identify online reads 5206: the purchase elsewhere shows as 起付线已付 / 统筹已支付, and the cap left follows the policy', async () => {
    const before = Date.now();
    const sale = await env.till.startByCard('nanchang-active');
    expect(sale.person.source).toBe('centre');
    // 南昌 在职 cap 1800 (embedded policy): 1800 − 60 = 1740.
    expect(sale.person.year).toMatchObject({ deductibleMet: '600.00', fundPaid: '60.00', capLeft: '1740.00', source: 'centre' });
    expect(Date.parse(sale.person.year.readAt)).toBeGreaterThanOrEqual(before - 1000);
    const receipt = await env.till.call('GET', `/api/sales/${sale.id}/receipt`);
    expect(receipt.body).toContain('本年起付线已付 600.00 · 统筹已支付 60.00 · 剩余限额 1740.00');
  });

  test('an offline split for that person starts from the cached centre figures and equals the sandbox\'s online split to the cent', async () => {
    const { offline, online } = await offlineQuoteMatchesCentre('3');
    // Deductible already met elsewhere: 300 × 60% = 180.00 from the fund.
    expect(offline).toMatchObject({ total: '300.00', deductible: '0.00', fund: '180.00' });
    for (const part of ['total', 'deductible', 'fund', 'account', 'cash'] as const) expect(offline[part]).toBe(online[part]);
    expect(offline.explain[0]).toMatch(/^本年累计：起付线已付 600\.00 元，统筹已支付 60\.00 元（医保中心人员累计信息 5206，读取于 .*；此后本店无该参保人的结算）$/);
  });

  test('this store\'s later confirmed sale is added on top of the cached figures', async () => {
    // Settle online (the centre confirms it), then go offline: the cache still holds the first 5206
    // read, and the offline quote adds the confirmed sale to it.
    const sale = await env.till.startByCard('nanchang-active');
    await env.till.prescription(sale.id, 'TRAIN-H360102-L1', ['TRAIN-D-A01']);
    await env.till.basket(sale.id, [{ sku: SKU.A01, qty: '2', price: '100.00' }]);
    const settled = await env.till.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: true });
    expect(settled).toMatchObject({ state: 'settled', centre: { split: { fund: '120.00' } } });
    expect(settled.person.year).toMatchObject({ deductibleMet: '600.00', fundPaid: '180.00', capLeft: '1620.00' });

    const { id, offline, online } = await offlineQuoteMatchesCentre('1');
    expect(offline).toMatchObject({ total: '100.00', fund: '60.00' });
    for (const part of ['total', 'deductible', 'fund', 'account', 'cash'] as const) expect(offline[part]).toBe(online[part]);
    expect(offline.explain[0]).toMatch(/统筹已支付 180\.00 元（医保中心人员累计信息 5206，读取于 .*另加此后本店 1 笔已确认结算）$/);
    const view = await env.till.ok('GET', `/api/sales/${id}`);
    expect(view.person.year).toMatchObject({ deductibleMet: '600.00', fundPaid: '180.00', source: 'centre' });
  });

  test('a refused 5206 leaves the store\'s own figures, and the explanation says they miss other pharmacies', async () => {
    // A person this store has never identified, with the centre answering 1101 but failing 5206.
    env.api.runtime.sandbox!.setFaults({ businessErrorRate: 1, infnos: ['5206'] });
    try {
      const sale = await env.till.startByCard('jincheng-active');
      expect(sale.person.year).toMatchObject({ deductibleMet: '0.00', fundPaid: '0.00', source: 'store', readAt: null });
      await env.till.centreOnline(false);
      await env.till.prescription(sale.id, 'TRAIN-H140502-L1', ['TRAIN-D-A01']);
      await env.till.basket(sale.id, [{ sku: SKU.A01, qty: '1', price: '100.00' }]);
      const pre = await env.till.ok('POST', `/api/sales/${sale.id}/presettle`, { useAccount: true });
      expect(pre.split.explain[0]).toMatch(/仅为本店记录（未能从医保中心读取人员累计信息 5206）/);
    } finally {
      env.api.runtime.sandbox!.setFaults({});
      await env.till.centreOnline(true);
    }
  });
});
