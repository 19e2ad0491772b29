// The embedded packages: valid, unique, and every quoted source excerpt really is in the source text.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { embeddedPackages } from '../../../core/policy/embedded';
import { type PolicyPackage, type Source } from '../../../core/policy/package';
import { parameterRows } from '../../../core/policy/provenance';

const packages = embeddedPackages();
const squash = (s: string): string => s.replace(/\s+/g, '');

function sources(value: unknown, path: string, out: Array<[string, Source]>): Array<[string, Source]> {
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (o.from === 'document' || o.from === 'product-rule') out.push([path, o as Source]);
    for (const [k, v] of Object.entries(o)) sources(v, `${path}.${k}`, out);
  }
  return out;
}

const byRegion = (code: string): PolicyPackage => packages.find((p) => p.region.code === code)!;

describe('embedded policy packages', () => {
  it('there is one per seed region, with unique ids', () => {
    expect(packages.map((p) => p.region.code).sort()).toEqual(['140000', '360100', '420300', '500000', '532300']);
    expect(new Set(packages.map((p) => p.id)).size).toBe(packages.length);
  });

  it.each(packages.map((p) => [p.id, p] as const))('%s: every document excerpt is verbatim in its source text', (_id, pkg) => {
    const text = squash(readFileSync(new URL(`../../../core/policy/sources/${pkg.document.sourceFile}`, import.meta.url), 'utf8'));
    const found = sources(pkg, pkg.id, []);
    expect(found.length).toBeGreaterThan(10);
    for (const [path, source] of found) {
      if (source.from === 'document') expect(text.includes(squash(source.text)), `${path}: ${source.text}`).toBe(true);
    }
  });

  it('what the documents give is recorded as the documents say it', () => {
    const shiyan = byRegion('420300').rules;
    expect(shiyan.deductible).toMatchObject({ basis: 'annual', amount: { active: { value: '500' }, retired: { value: '500' } } });
    expect(shiyan.cap.active).toMatchObject({ value: '3000' });
    const nanchang = byRegion('360100');
    expect(nanchang.document.status).toBe('draft');
    expect(nanchang.rules.retiredRatesFrom).toMatchObject({ value: 'monthAfterRetirement' });
    expect(byRegion('140000').rules.deductible).toMatchObject({ basis: 'perVisit', amount: { active: { 1: { value: '80' }, 2: { value: '50' }, 3: { value: '30' } } } });
  });

  it('what the documents do not give is unknown, with a reason — 重庆 everything, 楚雄 deductible and 三级 ratio', () => {
    const unknown = (pkg: PolicyPackage) => parameterRows(pkg).filter((r) => !r.known).map((r) => r.path);
    expect(unknown(byRegion('500000'))).toEqual(expect.arrayContaining([
      'effective.from', 'rules.deductible.amount.active', 'rules.ratio.active.1', 'rules.ratio.active.3', 'rules.cap.active', 'rules.cap.retired',
    ]));
    expect(parameterRows(byRegion('500000')).filter((r) => r.path.startsWith('rules.ratio') && r.known)).toEqual([]);
    const chuxiong = unknown(byRegion('532300'));
    expect(chuxiong).toEqual(expect.arrayContaining(['effective.from', 'rules.deductible.amount.active.1', 'rules.ratio.active.3', 'rules.ratio.retired.1']));
    expect(chuxiong).not.toContain('rules.ratio.active.1');
    expect(chuxiong).not.toContain('rules.cap.active');
    for (const pkg of packages) for (const row of parameterRows(pkg)) if (!row.known) expect(row.why!.length).toBeGreaterThan(4);
  });

  it('十堰 and 山西 set an end; 南昌 does not', () => {
    expect(byRegion('420300').effective.to).toMatchObject({ known: true, value: '2023-12-30' });
    expect(byRegion('140000').effective.to).toMatchObject({ known: true, value: '2027-12-31' });
    expect(byRegion('360100').effective.to).toMatchObject({ known: true, value: null });
  });
});
