// The policy store on real SQLite files: seeding, importing versions without rewriting history,
// immutability, reference data, and the store as the engine's policy lookup.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { quote } from '../../../core/copay/engine';
import { embeddedPackages } from '../../../core/policy/embedded';
import { type PolicyPackage } from '../../../core/policy/package';
import { openPolicyStore, PolicyImportError, type PolicyStore } from '../../../native/policy-store/store';
import { storeMigrations } from '../../../native/store/migrations';
import { input } from '../../unit/copay/build';

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ybjs-policy-'));
  dirs.push(dir);
  return join(dir, 'store.db');
}
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

const shiyan = embeddedPackages().find((p) => p.region.code === '420300')!;
/** A later 十堰 version, as an import would bring it (values changed so a quote can tell which applied). */
function shiyan2024(): PolicyPackage {
  const next = structuredClone(shiyan);
  next.id = '420300-shiyan-2024-test';
  next.effective = {
    from: { known: true, value: '2023-12-31', source: { from: 'product-rule', note: 'test version' } },
    to: { known: true, value: null, source: { from: 'product-rule', note: 'test version' } },
  };
  next.rules.ratio.active[1] = { known: true, value: '0.85', source: { from: 'product-rule', note: 'test version' } };
  return next;
}

/** The ratio a 一级, active 十堰 purchase gets on a date, through the store. */
const ratioOn = (store: PolicyStore, date: string): string => quote(input({ region: '420300', date, met: '500.00' }), store).ratio;

describe('policy store', () => {
  it('a new store is seeded from the embedded packages, in WAL mode with foreign keys, at the latest schema', () => {
    const { store, seed } = openPolicyStore(tempDb());
    expect([...seed.added].sort()).toEqual(embeddedPackages().map((p) => p.id).sort());
    expect(seed.refused).toEqual([]);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('user_version', { simple: true })).toBe(storeMigrations.length);
    const versions = store.versions();
    expect(versions).toHaveLength(5);
    expect(store.versions('532300')[0]).toMatchObject({ fromKnown: false, effectiveFrom: null, toKnown: false, origin: 'embedded' });
    expect(store.versions('420300')[0]).toMatchObject({ effectiveFrom: '2022-12-31', effectiveTo: '2023-12-30', draft: false });
    expect(store.versions('360100')[0]).toMatchObject({ draft: true, toKnown: true, effectiveTo: null });
    // provenance is kept per version for audits
    const prov = JSON.parse((store.db.prepare("SELECT provenance_json FROM policy_version WHERE id = ?").get(shiyan.id) as { provenance_json: string }).provenance_json);
    expect(prov.document.citeAs).toBe('十政办发〔2022〕61号');
    expect(prov.parameters.find((r: { path: string }) => r.path === 'rules.cap.active')).toMatchObject({ value: '3000 元', source: { article: '第五条第3项' } });
    store.db.close();
  });

  it('reopening does not seed twice', () => {
    const path = tempDb();
    openPolicyStore(path).store.db.close();
    const { store, seed } = openPolicyStore(path);
    expect(seed.added).toEqual([]);
    expect(seed.unchanged).toHaveLength(5);
    expect(store.versions()).toHaveLength(5);
    store.db.close();
  });

  it('importing the same version twice is a no-op; the same id with other content is refused', () => {
    const { store } = openPolicyStore(tempDb());
    const file = join(dirs.at(-1)!, 'same.json');
    writeFileSync(file, JSON.stringify(shiyan));
    expect(store.importFile(file)).toBe('unchanged');
    const changed = structuredClone(shiyan);
    changed.rules.cap.active = { known: true, value: '9999', source: { from: 'product-rule', note: 'tampered' } };
    expect(() => store.importPackage(changed, 'changed.json')).toThrow(/already stored with different content/);
    expect(store.package(shiyan.id)).toEqual(shiyan);
    store.db.close();
  });

  it('a newer version is added; quotes before its start still use the old one', () => {
    const { store } = openPolicyStore(tempDb());
    const file = join(dirs.at(-1)!, 'shiyan-2024.json');
    writeFileSync(file, JSON.stringify(shiyan2024()));
    expect(ratioOn(store, '2023-06-01')).toBe('0.80');
    expect(store.importFile(file)).toBe('added');
    expect(store.importFile(file)).toBe('unchanged');
    expect(store.versions('420300').map((v) => v.id)).toEqual([shiyan.id, '420300-shiyan-2024-test']);
    expect(ratioOn(store, '2023-06-01')).toBe('0.80');
    expect(ratioOn(store, '2023-12-31')).toBe('0.85');
    store.db.close();
  });

  it('a version starting on or before a stored one is refused: it would rewrite history', () => {
    const { store } = openPolicyStore(tempDb());
    const older = structuredClone(shiyan2024());
    older.id = '420300-shiyan-backdated';
    older.effective.from = { known: true, value: '2022-12-31', source: { from: 'product-rule', note: 'test' } };
    expect(() => store.importPackage(older, 'older.json')).toThrow(/rewrite history/);
    expect(store.versions('420300')).toHaveLength(1);
    store.db.close();
  });

  it('invalid packages are refused with the file and the field named', () => {
    const { store } = openPolicyStore(tempDb());
    const file = join(dirs.at(-1)!, 'bad.json');
    const bad = structuredClone(shiyan2024()) as unknown as { rules: { ratio: { active: Record<string, { value: string }> } } };
    bad.rules.ratio.active['2']!.value = '65%';
    writeFileSync(file, JSON.stringify(bad));
    expect(() => store.importFile(file)).toThrow(PolicyImportError);
    expect(() => store.importFile(file)).toThrow(/bad\.json.*rules\.ratio\.active\.2\.value/);
    writeFileSync(file, '{ not json');
    expect(() => store.importFile(file)).toThrow(/bad\.json/);
    expect(store.versions()).toHaveLength(5);
    store.db.close();
  });

  it('a package that disagrees about its region is refused', () => {
    const { store } = openPolicyStore(tempDb());
    const renamed = shiyan2024();
    renamed.region = { ...renamed.region, scope: 'province' };
    expect(() => store.importPackage(renamed, 'renamed.json')).toThrow(/region 420300 is stored as 十堰市 \(city\)/);
    store.db.close();
  });

  it('stored versions cannot be updated or deleted, even with SQL', () => {
    const { store } = openPolicyStore(tempDb());
    expect(() => store.db.prepare("UPDATE policy_version SET package_json = '{}' WHERE id = ?").run(shiyan.id)).toThrow(/never updated/);
    expect(() => store.db.prepare('DELETE FROM policy_version').run()).toThrow(/never deleted/);
    expect(() => store.db.prepare("INSERT INTO policy_version (id, seq, region_code, document, draft, from_known, to_known, package_json, provenance_json, origin, imported_at) VALUES ('x', 99, '999999', 'd', 0, 0, 0, '{}', '{}', 'o', 't')").run()).toThrow(/FOREIGN KEY/);
    store.db.close();
  });

  it('an embedded package that conflicts with history is reported, not imported, and does not stop the store opening', () => {
    const path = tempDb();
    openPolicyStore(path).store.db.close();
    const edited = structuredClone(shiyan);
    edited.document.notes = ['edited after release'];
    const { store, seed } = openPolicyStore(path, { embedded: [edited, shiyan2024()] });
    expect(seed.refused).toEqual([expect.objectContaining({ id: shiyan.id })]);
    expect(seed.added).toEqual(['420300-shiyan-2024-test']);
    expect(store.package(shiyan.id)!.document.notes).toEqual(shiyan.document.notes);
    store.db.close();
  });

  it('training institutions and catalogue load on request only, and read back typed', () => {
    const plain = openPolicyStore(tempDb()).store;
    expect(plain.institutions()).toEqual([]);
    plain.db.close();
    const { store } = openPolicyStore(tempDb(), { trainingData: true });
    expect(store.institutions('420302').map((i) => i.level).sort()).toEqual([1, 1, 2, 3]);
    expect(store.institution('TRAIN-H420302-NONDES')).toMatchObject({ designated: false, training: true, priceClass: null });
    expect(store.institution('TRAIN-H140502-L3')).toMatchObject({ level: 3, priceClass: 1 });
    expect(store.catalogueItem('TRAIN-D-B02')).toMatchObject({ listClass: 'B', selfPayRatio: '0.05', limitPrice: '45.50', kind: 'drug' });
    expect(store.catalogue().every((c) => c.training)).toBe(true);
    expect(store.seedTrainingData()).toEqual({ institutions: store.institutions().length, catalogue: store.catalogue().length });
    expect(() => store.upsertInstitution({ code: 'X', name: 'x', region: '420300', level: 4, priceClass: null, designated: true, training: false })).toThrow(/level/);
    store.db.close();
  });

  it('as the engine lookup, the store quotes exactly like the embedded packages', () => {
    const { store } = openPolicyStore(tempDb());
    const cases = [
      input({ region: '420300', met: '300.00', level: 2, lines: [{ code: 'A', qty: '4', price: '100.00', listClass: 'A' }] }),
      input({ region: '360102', date: '2023-06-01', status: 'retired', retiredOn: '2023-05-20' }),
      input({ region: '140500', date: '2023-05-10', level: 3 }),
      input({ region: '500000' }),
      input({ region: '532300' }),
      input({ region: '110000' }),
    ];
    for (const c of cases) expect(quote(c, store)).toEqual(quote(c, embeddedPackages()));
    expect(store.packagesFor('140500').map((p) => p.id)).toEqual(['140000-shanxi-2022-12']);
    expect(store.packagesFor('110000')).toEqual([]);
    store.db.close();
  });
});
