// Which version applies on a date: next version supersedes, documents may set an end, unknown dates
// make the answer unknown rather than "not in force", and a city beats its province.
import { describe, expect, it } from 'vitest';
import { embeddedPackages } from '../../../core/policy/embedded';
import { type PolicyPackage } from '../../../core/policy/package';
import { selectVersion, type PolicyLookup } from '../../../core/policy/select';

const base = embeddedPackages().find((p) => p.region.code === '360100')!;
const known = <T>(value: T) => ({ known: true as const, value, source: { from: 'product-rule' as const, note: 'test' } });
const unknown = { known: false as const, why: 'test' };

function version(id: string, from: string | null, to: string | null | undefined, region = base.region): PolicyPackage {
  return { ...structuredClone(base), id, region, effective: { from: from === null ? unknown : known(from), to: to === undefined ? unknown : known(to) } };
}

const pick = (list: PolicyPackage[], date: string, region = '360100') => {
  const s = selectVersion(list, region, date);
  return s.kind === 'regionUnknown' ? s.kind : `${s.kind}:${s.kind === 'notInForce' ? s.nearest.id : s.pkg.id}`;
};

describe('selectVersion', () => {
  const v1 = version('v1', '2023-01-01', null);
  const v2 = version('v2', '2024-07-01', null);
  it('a version stays in force until the next starts', () => {
    expect(pick([v2, v1], '2022-12-31')).toBe('notInForce:v1');
    expect(pick([v2, v1], '2023-01-01')).toBe('inForce:v1');
    expect(pick([v2, v1], '2024-06-30')).toBe('inForce:v1');
    expect(pick([v2, v1], '2024-07-01')).toBe('inForce:v2');
    expect(pick([v2, v1], '2099-01-01')).toBe('inForce:v2');
  });

  it('unless its document sets an end: after it, nothing is in force until the next version', () => {
    const trial = version('trial', '2023-01-01', '2023-12-30');
    expect(pick([trial], '2023-12-30')).toBe('inForce:trial');
    expect(pick([trial], '2023-12-31')).toBe('notInForce:trial');
    expect(pick([trial, v2], '2024-03-01')).toBe('notInForce:trial');
    expect(pick([trial, v2], '2024-07-01')).toBe('inForce:v2');
  });

  it('an unknown start: effectiveUnknown on any date no dated version covers', () => {
    const undated = version('undated', null, null);
    expect(pick([undated], '1999-01-01')).toBe('effectiveUnknown:undated');
    expect(pick([undated, v2], '2024-07-02')).toBe('inForce:v2');
    expect(pick([undated, v2], '2024-06-30')).toBe('effectiveUnknown:undated');
  });

  it('a known start with an unknown end: effectiveUnknown from its start', () => {
    const open = version('open', '2023-01-01', undefined);
    expect(pick([open], '2022-06-01')).toBe('notInForce:open');
    expect(pick([open], '2023-06-01')).toBe('effectiveUnknown:open');
  });

  it('a city package beats its province; other codes fall back to the province', () => {
    const province = version('prov', '2023-01-01', null, { code: '140000', name: '山西省', scope: 'province' });
    const city = version('city', '2023-01-01', null, { code: '140500', name: '晋城市', scope: 'city' });
    expect(pick([province, city], '2023-06-01', '140502')).toBe('inForce:city');
    expect(pick([province, city], '2023-06-01', '140100')).toBe('inForce:prov');
    expect(pick([province, city], '2023-06-01', '150100')).toBe('regionUnknown');
  });

  it('accepts a lookup instead of a list', () => {
    const asked: string[] = [];
    const lookup: PolicyLookup = { packagesFor: (code) => { asked.push(code); return [v1]; } };
    expect(selectVersion(lookup, '360102', '2023-02-01')).toMatchObject({ kind: 'inForce', pkg: { id: 'v1' } });
    expect(asked).toEqual(['360102']);
  });
});
