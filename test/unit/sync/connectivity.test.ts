import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { backoffDelay, initialConnectivity, mayCall, onAnswer, onFailure } from '../../../core/sync/connectivity';
import { centreSplit, Split, splitDifference } from '../../../core/sync/split';
import { SetlInfo } from '../../../core/centre/tx/settle';

const policy = { baseMs: 1000, maxMs: 60_000, jitter: 0 };

describe('backoff', () => {
  test('doubles from the base and stops at the cap', () => {
    expect([0, 1, 2, 3, 4, 7, 8, 50].map((n) => backoffDelay(n, policy, 0.5))).toEqual([0, 1000, 2000, 4000, 8000, 60_000, 60_000, 60_000]);
  });

  test('property: jitter stays within ±jitter of the nominal delay', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, r) => {
      const nominal = backoffDelay(n, policy, 0.5);
      const jittered = backoffDelay(n, { ...policy, jitter: 0.3 }, r);
      expect(jittered).toBeGreaterThanOrEqual(Math.floor(nominal * 0.7));
      expect(jittered).toBeLessThanOrEqual(Math.ceil(nominal * 1.3));
    }));
  });
});

describe('online/offline', () => {
  test('failures go offline with growing waits; any answer comes back online at once', () => {
    let c = initialConnectivity(0);
    expect(c.online).toBe(true);
    c = onFailure(c, 'ECONNREFUSED', 100, policy, 0.5);
    expect(c).toMatchObject({ online: false, failures: 1, retryAt: 1100, lastError: 'ECONNREFUSED', since: 100 });
    expect(mayCall(c, 1099)).toBe(false);
    expect(mayCall(c, 1100)).toBe(true);
    c = onFailure(c, 'timeout', 1100, policy, 0.5);
    expect(c).toMatchObject({ failures: 2, retryAt: 3100, since: 100 });
    c = onAnswer(c, 3200);
    expect(c).toMatchObject({ online: true, failures: 0, retryAt: 0, since: 3200 });
  });
});

describe('provisional vs centre split', () => {
  test('the difference is centre − provisional per part', () => {
    const info = SetlInfo.parse({ psn_no: 'P', medfee_sumamt: '100.00', hifp_pay: '30.00', fund_pay_sumamt: '30.00', psn_part_amt: '70.00', acct_pay: '50.00', psn_cash_pay: '20.00' });
    const centre = centreSplit(info);
    expect(centre).toEqual({ total: '100.00', fund: '30.00', account: '50.00', cash: '20.00' });
    expect(splitDifference({ total: '100.00', fund: '40.00', account: '50.00', cash: '10.00' }, centre)).toEqual({ fund: '-10.00', account: '0.00', cash: '10.00', any: true });
    expect(splitDifference(centre, centre).any).toBe(false);
  });

  test('a split whose parts do not add up is refused', () => {
    expect(Split.safeParse({ total: '10.00', fund: '1.00', account: '1.00', cash: '1.00' }).success).toBe(false);
    expect(Split.safeParse({ total: '10.00', fund: '1.00', account: '1.00', cash: '8' }).success).toBe(false);
  });
});
