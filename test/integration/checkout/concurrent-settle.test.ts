// Twenty settles of one sale at once, over real loopback HTTP (issue 13): the centre books exactly
// one settlement, and every answer either agrees with that booking or says a settlement is in
// progress — never "provisional" for a sale the centre settled.
import { describe, expect, test } from 'vitest';
import { SKU, traceCode, useTill } from '../../support/checkout';

const env = useTill();

async function presettledSale(fixtureId: string): Promise<string> {
  const sale = await env.till.startByCard(fixtureId);
  await env.till.prescription(sale.id, 'TRAIN-H360102-L2', ['TRAIN-D-B01']);
  await env.till.basket(sale.id, [{ sku: SKU.B01, qty: '1', price: '35.50' }]);
  return sale.id;
}

/** A sale view's own fields agree: a provisional state is provisional, a settled one has the centre's result. */
function expectCoherent(sale: any): void {
  if (sale.state === 'provisional') expect(sale.provisional).toBe(true);
  if (sale.state === 'settled') expect(sale.centre?.setlId).toMatch(/\S/);
  if (!sale.provisional && sale.state === 'settled') expect(sale.centre.difference).toBeNull();
}

describe('concurrent settles of one sale', () => {
  for (const presettled of [true, false]) {
    test(`20 at once (${presettled ? 'after' : 'without'} a pre-settle): one booking, every 200 agrees with it`, async () => {
      const id = await presettledSale('nanchang-active');
      if (presettled) await env.till.ok('POST', `/api/sales/${id}/presettle`, { useAccount: true });
      const before = env.api.runtime.sandbox!.stats().byInfno['2102'] ?? 0;
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => env.till.call(
        'POST', `/api/sales/${id}/settle`, { useAccount: true },
        { 'idempotency-key': i % 2 === 0 ? `race-shared-${id}` : `race-own-${id}-${i}` },
      )));
      const booked = (await env.till.ok('GET', `/api/sales/${id}`));
      expect(booked.state).toBe('settled');
      expect(booked.provisional).toBe(false);
      expect(env.api.runtime.sandbox!.stats().byInfno['2102'] ?? 0).toBe(before + 1);
      for (const answer of answers) {
        if (answer.status === 200) {
          expectCoherent(answer.body);
          expect({ state: answer.body.state, provisional: answer.body.provisional, setlId: answer.body.centre?.setlId })
            .toEqual({ state: 'settled', provisional: false, setlId: booked.centre.setlId });
        } else {
          expect(answer.status).toBe(409);
          expect(['SETTLEMENT_IN_PROGRESS', 'IDEMPOTENCY_IN_PROGRESS']).toContain(answer.body.error);
        }
      }
      // The ones with their own key cannot be turned away by the idempotency layer: they waited.
      expect(answers.filter((a, i) => i % 2 === 1 && a.status === 200)).toHaveLength(10);
    });
  }

  test('a sale read while its settle is in flight never says provisional:false with state provisional', async () => {
    const id = await presettledSale('nanchang-active');
    const sandbox = env.api.runtime.sandbox!;
    sandbox.setFaults({ latencyMs: [300, 300], infnos: ['2102'] });
    try {
      const settling = env.till.call('POST', `/api/sales/${id}/settle`, { useAccount: true });
      const reads: any[] = [];
      for (let i = 0; i < 5; i++) {
        await new Promise((r) => setTimeout(r, 50));
        reads.push((await env.till.ok('GET', `/api/sales/${id}`)));
      }
      const settled = await settling;
      expect(settled.status).toBe(200);
      for (const read of reads) expectCoherent(read);
      expect(reads.some((r) => r.state === 'provisional')).toBe(true);
    } finally {
      sandbox.setFaults({});
    }
  });
});

describe('changing a sale while it is being settled', () => {
  test('basket and pre-settle answer 409 SETTLEMENT_IN_PROGRESS until the settle has its outcome', async () => {
    const id = await presettledSale('nanchang-active');
    const sandbox = env.api.runtime.sandbox!;
    sandbox.setFaults({ latencyMs: [400, 400], infnos: ['2101'] });
    const settling = env.till.call('POST', `/api/sales/${id}/settle`, { useAccount: true });
    try {
      await new Promise((r) => setTimeout(r, 100));
      const basket = await env.till.call('PUT', `/api/sales/${id}/basket`, { lines: [{ sku: SKU.A01, name: '甲类', qty: '1', price: '9.00', traceCodes: [traceCode()] }] });
      const presettle = await env.till.call('POST', `/api/sales/${id}/presettle`, { useAccount: false });
      expect([basket.status, basket.body.error]).toEqual([409, 'SETTLEMENT_IN_PROGRESS']);
      expect([presettle.status, presettle.body.error]).toEqual([409, 'SETTLEMENT_IN_PROGRESS']);
    } finally {
      sandbox.setFaults({});
    }
    const settled = await settling;
    expect([settled.status, settled.body.state, settled.body.lines.length]).toEqual([200, 'settled', 1]);
  });
});
