// The quote input boundary: malformed input is refused with the offending field named.
import { describe, expect, it } from 'vitest';
import { describeIssues, isCalendarDate, QuoteInput } from '../../../core/copay/contract';
import { quote, QuoteInputError } from '../../../core/copay/engine';
import { embeddedPackages } from '../../../core/policy/embedded';
import { input } from './build';

const valid = input({});
type Mutate = (i: Record<string, any>) => void;

function errorFor(mutate: Mutate): string {
  const copy = structuredClone(valid) as Record<string, any>;
  mutate(copy);
  const parsed = QuoteInput.safeParse(copy);
  if (parsed.success) return 'ACCEPTED';
  return describeIssues(parsed.error);
}

describe('QuoteInput', () => {
  it('accepts the issue example with optional fields left out and fills defaults', () => {
    const parsed = QuoteInput.parse({ ...valid, person: { status: 'retired' }, lines: [{ code: 'X', qty: '1', price: '1', listClass: 'A' }] });
    expect(parsed.person).toEqual({ status: 'retired', hospitalized: false, suspended: false });
    expect(parsed.lines[0]!.kind).toBe('drug');
    expect(parsed.prescription?.issuerDesignated).toBe(true);
  });

  it.each<[string, Mutate, string]>([
    ['bad date', (i) => { i.date = '2023-02-29'; }, 'date:'],
    ['date in another format', (i) => { i.date = '15/03/2023'; }, 'date:'],
    ['retiredOn not a date', (i) => { i.person.retiredOn = '2023-13-01'; }, 'person.retiredOn:'],
    ['negative qty', (i) => { i.lines[0].qty = '-2'; }, 'lines.0.qty:'],
    ['zero qty', (i) => { i.lines[0].qty = '0'; }, 'lines.0.qty:'],
    ['non-numeric price', (i) => { i.lines[0].price = 'abc'; }, 'lines.0.price:'],
    ['price as a JSON number', (i) => { i.lines[0].price = 12.5; }, 'lines.0.price:'],
    ['qty as a JSON number', (i) => { i.lines[0].qty = 2; }, 'lines.0.qty:'],
    ['unknown class', (i) => { i.lines[0].listClass = 'D'; }, 'lines.0.listClass:'],
    ['ratio above 1', (i) => { i.lines[0].selfPayRatio = '1.5'; }, 'lines.0.selfPayRatio:'],
    ['negative ratio', (i) => { i.lines[0].selfPayRatio = '-0.1'; }, 'lines.0.selfPayRatio:'],
    ['negative limit', (i) => { i.lines[0].limitPrice = '-1'; }, 'lines.0.limitPrice:'],
    ['unknown kind', (i) => { i.lines[0].kind = 'food'; }, 'lines.0.kind:'],
    ['no lines', (i) => { i.lines = []; }, 'lines:'],
    ['lines not an array', (i) => { i.lines = {}; }, 'lines:'],
    ['status unknown', (i) => { i.person.status = 'student'; }, 'person.status:'],
    ['hospitalized as a string', (i) => { i.person.hospitalized = 'yes'; }, 'person.hospitalized:'],
    ['three decimals in an amount', (i) => { i.year.deductibleMet = '1.005'; }, 'year.deductibleMet:'],
    ['negative balance', (i) => { i.account.balance = '-1.00'; }, 'account.balance:'],
    ['use not boolean', (i) => { i.account.use = 1; }, 'account.use:'],
    ['issuer level 4', (i) => { i.prescription.issuerLevel = 4; }, 'prescription.issuerLevel:'],
    ['issuer level as a string', (i) => { i.prescription.issuerLevel = '1'; }, 'prescription.issuerLevel:'],
    ['prescription missing (null is the way to say none)', (i) => { delete i.prescription; }, 'prescription:'],
    ['region not six digits', (i) => { i.region = '4203'; }, 'region:'],
    ['a misspelt field', (i) => { i.lines[0].qtty = '1'; }, 'qtty'],
  ])('%s → names %s', (_name, mutate, field) => {
    expect(errorFor(mutate)).toContain(field);
  });

  it('calendar dates: leap years and month lengths', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('1900-02-29')).toBe(false);
    expect(isCalendarDate('2000-02-29')).toBe(true);
    expect(isCalendarDate('2023-04-31')).toBe(false);
    expect(isCalendarDate('2023-00-10')).toBe(false);
  });

  it('quote() validates too and throws QuoteInputError naming the field', () => {
    const bad = { ...valid, lines: [{ code: 'X', qty: 'x', price: '1', listClass: 'A' as const }] };
    expect(() => quote(bad, embeddedPackages())).toThrow(QuoteInputError);
    expect(() => quote(bad, embeddedPackages())).toThrow(/lines\.0\.qty/);
  });
});
