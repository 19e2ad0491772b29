// The package loader is a boundary: anything but a valid package is refused with the field named,
// and no input — random JSON or a mutated real package — makes it fail any other way.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { embeddedPackages } from '../../../core/policy/embedded';
import { parsePolicyPackage, PolicyPackageError } from '../../../core/policy/package';

const shiyan = structuredClone(embeddedPackages().find((p) => p.region.code === '420300')!) as unknown as Record<string, unknown>;

function errorOf(json: unknown): string {
  try {
    parsePolicyPackage(json, 'test.json');
    return 'ACCEPTED';
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyPackageError);
    return (error as Error).message;
  }
}

function mutated(edit: (p: any) => void): unknown {
  const copy = structuredClone(shiyan);
  edit(copy);
  return copy;
}

describe('parsePolicyPackage', () => {
  it('accepts the embedded packages and a round trip through JSON', () => {
    for (const pkg of embeddedPackages()) expect(parsePolicyPackage(JSON.parse(JSON.stringify(pkg)))).toEqual(pkg);
  });

  it.each<[string, (p: any) => void, string]>([
    ['ratio with three decimals', (p) => { p.rules.ratio.active[1].value = '0.805'; }, 'rules.ratio.active.1.value'],
    ['ratio above 1', (p) => { p.rules.ratio.retired[2].value = '1.10'; }, 'rules.ratio.retired.2.value'],
    ['ratio as a number', (p) => { p.rules.ratio.retired[3].value = 0.6; }, 'rules.ratio.retired.3.value'],
    ['negative cap', (p) => { p.rules.cap.active.value = '-3000'; }, 'rules.cap.active.value'],
    ['unknown without a reason', (p) => { p.rules.cap.retired = { known: false }; }, 'rules.cap.retired.why'],
    ['known without a source', (p) => { delete p.rules.deductible.amount.active.source; }, 'rules.deductible.amount.active.source'],
    ['document source without the quoted text', (p) => { delete p.rules.tierBasis.source.text; }, 'rules.tierBasis.source.text'],
    ['a tier missing', (p) => { delete p.rules.ratio.active[2]; }, 'rules.ratio.active.2'],
    ['end before start', (p) => { p.effective.to.value = '2022-01-01'; }, 'effective.to.value'],
    ['impossible date', (p) => { p.effective.from.value = '2022-02-30'; }, 'effective.from.value'],
    ['unknown deductible basis', (p) => { p.rules.deductible.basis = 'monthly'; }, 'rules.deductible.basis'],
    ['bad region code', (p) => { p.region.code = '4203'; }, 'region.code'],
    ['wrong format tag', (p) => { p.format = 'something/2'; }, 'format'],
    ['an extra field', (p) => { p.rules.bonus = 1; }, 'bonus'],
    ['a bad id', (p) => { p.id = 'Has Spaces'; }, 'id'],
  ])('%s → names %s', (_name, edit, field) => {
    const message = errorOf(mutated(edit));
    expect(message).toContain('test.json');
    expect(message).toContain(field);
  });

  it('fuzz: random JSON never crashes the loader other than with a PolicyPackageError', () => {
    fc.assert(fc.property(fc.jsonValue(), (json) => {
      expect(() => parsePolicyPackage(json)).toThrow(PolicyPackageError);
    }), { numRuns: 500 });
  });

  it('fuzz: a real package with one field replaced or removed is accepted or refused cleanly', () => {
    const paths: string[][] = [];
    const walk = (v: unknown, path: string[]) => {
      if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) { paths.push([...path, k]); walk(c, [...path, k]); }
    };
    walk(shiyan, []);
    const replacement = fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.constantFrom('', '0.80', '2023-01-01', 'known', null, [], {}));
    fc.assert(fc.property(fc.constantFrom(...paths), replacement, (path, value) => {
      const copy = structuredClone(shiyan);
      let at: Record<string, unknown> = copy;
      for (const k of path.slice(0, -1)) at = at[k] as Record<string, unknown>;
      if (value === undefined) delete at[path.at(-1)!];
      else at[path.at(-1)!] = value;
      try {
        parsePolicyPackage(copy);
      } catch (error) {
        expect(error).toBeInstanceOf(PolicyPackageError);
        expect((error as PolicyPackageError).issues.length).toBeGreaterThan(0);
      }
    }), { numRuns: 1000 });
  });
});
