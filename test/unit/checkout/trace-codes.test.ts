// The checkout's 追溯码 checks as a module: local refusals name the field, the chain is asked only
// for whole-box codes, a sold-in-chain code is refused naming where, and a ledger that throws leaves
// 'unavailable' (the sale goes on with the till's own check).
import { describe, expect, it } from 'vitest';
import { BasketRequest } from '../../../core/contracts/checkout';
import { type ChainSoldCode } from '../../../core/ledger/port';
import { TraceCodeChecks } from '../../../electron/backend/checkout/trace-codes';

const code = (n: number): string => `8${String(n).padStart(19, '0')}`;
const basket = (lines: Array<{ split?: boolean; codes: string[] }>) => BasketRequest.parse({
  lines: lines.map((l) => ({ sku: '6901000000011', name: '药品A01', qty: String(Math.max(1, l.codes.length)), price: '6.50', split: l.split ?? false, traceCodes: l.codes })),
});

describe('TraceCodeChecks', () => {
  it('refuses a code this till sold, naming its field', () => {
    const checks = new TraceCodeChecks({ isSold: (c) => c === code(2) });
    expect(() => checks.checkLocal(basket([{ codes: [code(1)] }, { codes: [code(3), code(2)] }]))).toThrow(expect.objectContaining({ statusCode: 422, code: 'TRACE_CODE_ALREADY_SOLD', field: 'lines.1.traceCodes.1' }));
    expect(() => checks.checkLocal(basket([{ codes: [code(1)] }]))).not.toThrow();
  });

  it('asks the chain for whole-box codes only and refuses one sold elsewhere', async () => {
    const asked: string[][] = [];
    const where: ChainSoldCode = { code: code(5), fixmedinsCode: 'P36010200001', storeName: '一号店', tillId: 'T1', soldAt: '2026-12-01T02:00:00.000Z' };
    const checks = new TraceCodeChecks({ isSold: () => false, soldInChain: async (codes) => { asked.push([...codes]); return codes.includes(code(5)) ? where : null; } });
    expect(await checks.checkChain(basket([{ split: true, codes: [code(4)] }, { codes: [code(6)] }]).lines)).toEqual({ state: 'checked', message: expect.any(String) });
    expect(asked).toEqual([[code(6)]]);
    await expect(checks.checkChain(basket([{ codes: [code(6)] }, { codes: [code(7), code(5)] }]).lines))
      .rejects.toMatchObject({ statusCode: 422, code: 'TRACE_CODE_SOLD_IN_CHAIN', field: 'lines.1.traceCodes.1', message: expect.stringContaining('一号店（P36010200001）收银台 T1') });
    // Only 拆零 codes, or no ledger: nothing to ask, no chain check in the answer.
    expect(await checks.checkChain(basket([{ split: true, codes: [code(8)] }]).lines)).toBeUndefined();
    expect(await new TraceCodeChecks({ isSold: () => false }).checkChain(basket([{ codes: [code(9)] }]).lines)).toBeUndefined();
  });

  it('a ledger that fails leaves the local check only, and says so', async () => {
    const checks = new TraceCodeChecks({ isSold: () => false, soldInChain: () => Promise.reject(new Error('LEDGER_UNREACHABLE')) });
    expect(await checks.checkChain(basket([{ codes: [code(10)] }]).lines)).toMatchObject({ state: 'unavailable', message: expect.stringContaining('本收银台') });
  });
});
