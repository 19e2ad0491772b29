// Property tests (fast-check) of the engine over random valid purchases in every seed region.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuoteResult } from '../../../core/copay/contract';
import { quote } from '../../../core/copay/engine';
import { decimal, money, round2, ZERO } from '../../../core/money/money';
import { embeddedPackages } from '../../../core/policy/embedded';
import { line, quoteInput } from './arbitraries';

const packages = embeddedPackages();
const REGIONS = ['420300', '360100', '140500', '500000', '532300', '110000'];
const runs = { numRuns: 400 };

describe('engine properties', () => {
  it('fund + account + cash = total; nothing negative; two decimals everywhere; fund ≤ in-scope; fund ≤ cap left', () => {
    let paying = 0;
    fc.assert(fc.property(quoteInput(REGIONS), (input) => {
      const r = QuoteResult.parse(quote(input, packages)); // the schema demands "d.dd" strings for every amount
      if (r.fund !== '0.00') paying++;
      const [fund, account, cash, total, inScope] = [r.fund, r.account, r.cash, r.total, r.inScope].map(money);
      expect(fund!.plus(account!).plus(cash!).equals(total!)).toBe(true);
      for (const v of [r.total, r.fullSelfPay, r.overLimit, r.preSelfPay, r.inScope, r.deductible, r.fund, r.account, r.cash]) {
        expect(money(v).greaterThanOrEqualTo(ZERO)).toBe(true);
      }
      expect(fund!.lessThanOrEqualTo(inScope!)).toBe(true);
      expect(money(r.total).equals(money(r.fullSelfPay).plus(r.overLimit).plus(r.preSelfPay).plus(r.inScope))).toBe(true);
      if (!input.account.use) expect(r.account).toBe('0.00');
      else expect(account!.lessThanOrEqualTo(money(input.account.balance))).toBe(true);
      // The cap: what is paid this time never exceeds what is left of it.
      const pkg = packages.find((p) => p.region.code.slice(0, 2) === input.region.slice(0, 2));
      const cap = pkg?.rules.cap[input.person.status];
      if (cap?.known) {
        const left = money(cap.value).minus(input.year.fundPaid);
        expect(fund!.lessThanOrEqualTo(left.isNegative() ? ZERO : left)).toBe(true);
      }
      expect(money(r.year.fundPaid).minus(input.year.fundPaid).equals(fund!)).toBe(true);
      if (r.reasons.some((x) => x !== 'CAP_REACHED')) expect(r.fund).toBe('0.00');
    }), runs);
    // The generators must reach the fund step often enough for the fund properties to mean something.
    expect(paying).toBeGreaterThan(runs.numRuns / 10);
  });

  it('non-medical goods are never paid from the personal account', () => {
    fc.assert(fc.property(quoteInput(REGIONS), (input) => {
      const r = quote(input, packages);
      const other = input.lines.filter((l) => l.kind === 'other').map((l) => round2(decimal(l.qty).times(decimal(l.price))));
      expect(money(r.cash).greaterThanOrEqualTo(other.reduce((a, b) => a.plus(b), ZERO))).toBe(true);
    }), runs);
  });

  it('annual-deductible regions: splitting a basket into two visits changes the fund by at most 0.01 per visit', () => {
    const basket = fc.array(line, { minLength: 2, maxLength: 20 });
    fc.assert(fc.property(quoteInput(['420300', '360100'], { lines: basket, eligible: true }), fc.nat(), (input, cut) => {
      const at = 1 + (cut % (input.lines.length - 1));
      const whole = quote(input, packages);
      const first = quote({ ...input, lines: input.lines.slice(0, at) }, packages);
      const second = quote({ ...input, year: first.year, lines: input.lines.slice(at) }, packages);
      const split = money(first.fund).plus(second.fund);
      expect(split.minus(whole.fund).abs().lessThanOrEqualTo('0.02')).toBe(true);
      expect(money(second.year.deductibleMet).equals(whole.year.deductibleMet)).toBe(true);
    }), runs);
  });

  it('the same input always gives the same result (no clock, no hidden state)', () => {
    fc.assert(fc.property(quoteInput(REGIONS), (input) => {
      expect(quote(input, packages)).toEqual(quote(structuredClone(input), packages));
    }), { numRuns: 100 });
  });
});
