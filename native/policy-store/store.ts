// The policy store: policy versions (history, never rewritten), institutions and the catalogue, in the
// terminal's store.db. A new store is seeded from the packages embedded in the app; importing a newer
// package adds a version. It doubles as the engine's PolicyLookup.
import { readFileSync } from 'node:fs';
import { embeddedPackages } from '../../core/policy/embedded';
import { parsePolicyPackage, PolicyPackageError, type PolicyPackage } from '../../core/policy/package';
import { parameterRows } from '../../core/policy/provenance';
import { CatalogueItem, Institution, trainingCatalogue, trainingInstitutions } from '../../core/policy/reference';
import { type PolicyLookup } from '../../core/policy/select';
import { effectiveWithQueries, type EffectiveEntry } from '../../core/catalogue/effective';
import { formatDay } from '../../core/centre/time';
import { HilistStore } from '../catalogue/hilist-store';
import { CatalogueStore } from '../catalogue/store';
import { openDatabase, statement, type Db } from '../db/open';
import { storeMigrations } from '../store/migrations';
import { canonicalJson } from './canonical';

export class PolicyImportError extends Error {}

export type ImportOutcome = 'added' | 'unchanged';

export interface SeedReport {
  readonly added: readonly string[];
  readonly unchanged: readonly string[];
  /** Embedded versions the store refused (their id is taken by different content, or they would rewrite history). */
  readonly refused: ReadonlyArray<{ readonly id: string; readonly reason: string }>;
}

export interface VersionInfo {
  readonly id: string;
  readonly regionCode: string;
  readonly document: string;
  readonly draft: boolean;
  /** null with fromKnown false: the document does not say. */
  readonly effectiveFrom: string | null;
  readonly fromKnown: boolean;
  /** Last day in force; null with toKnown true: open-ended. */
  readonly effectiveTo: string | null;
  readonly toKnown: boolean;
  readonly origin: string;
  readonly importedAt: string;
}

interface VersionRow {
  id: string; region_code: string; document: string; draft: number; from_known: number; effective_from: string | null;
  to_known: number; effective_to: string | null; package_json: string; origin: string; imported_at: string;
}

export class PolicyStore implements PolicyLookup {
  /** Parsed packages by version id; versions never change, so the cache never goes stale. */
  private readonly parsed = new Map<string, PolicyPackage>();

  /** The downloaded national catalogues (1301/1306) in the same database. */
  readonly downloaded: CatalogueStore;
  /** The 1312 (class) and 1319 (先自付比例) rows in the same database. */
  readonly queried: HilistStore;

  constructor(readonly db: Db, private readonly now: () => Date = () => new Date()) {
    this.downloaded = new CatalogueStore(db);
    this.queried = new HilistStore(db);
  }

  /** Adds every embedded version the store lacks; on a new store that is the first seeding. */
  seedEmbedded(packages: readonly PolicyPackage[] = embeddedPackages()): SeedReport {
    const added: string[] = [];
    const unchanged: string[] = [];
    const refused: Array<{ id: string; reason: string }> = [];
    // Oldest first, so a region's versions arrive in the order history allows.
    const ordered = [...packages].sort((a, b) => startKey(a).localeCompare(startKey(b)));
    for (const pkg of ordered) {
      try {
        (this.importPackage(pkg, 'embedded') === 'added' ? added : unchanged).push(pkg.id);
      } catch (error) {
        if (!(error instanceof PolicyImportError)) throw error;
        refused.push({ id: pkg.id, reason: error.message });
      }
    }
    return { added, unchanged, refused };
  }

  /**
   * Validates and stores one package version. The same version again is a no-op; a different package
   * under an existing id, or a version starting on or before one already stored for its region, is refused.
   */
  importPackage(json: unknown, origin: string): ImportOutcome {
    let pkg: PolicyPackage;
    try {
      pkg = parsePolicyPackage(json, origin);
    } catch (error) {
      if (error instanceof PolicyPackageError) throw new PolicyImportError(error.message);
      throw error;
    }
    const canonical = canonicalJson(pkg);
    return this.db.transaction((): ImportOutcome => {
      const existing = statement(this.db, 'SELECT package_json FROM policy_version WHERE id = ?').get(pkg.id) as { package_json: string } | undefined;
      if (existing) {
        if (existing.package_json === canonical) return 'unchanged';
        throw new PolicyImportError(`${origin}: version ${pkg.id} is already stored with different content; a changed policy needs a new version id`);
      }
      this.ensureRegion(pkg, origin);
      this.refuseRewritingHistory(pkg, origin);
      const seq = (statement(this.db, 'SELECT coalesce(max(seq), 0) + 1 AS next FROM policy_version').get() as { next: number }).next;
      const { from, to } = pkg.effective;
      statement(this.db, `INSERT INTO policy_version (id, seq, region_code, document, draft, from_known, effective_from, to_known, effective_to,
          package_json, provenance_json, origin, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(pkg.id, seq, pkg.region.code, pkg.document.citeAs, pkg.document.status === 'draft' ? 1 : 0,
          from.known ? 1 : 0, from.known ? from.value : null, to.known ? 1 : 0, to.known ? to.value : null,
          canonical, JSON.stringify({ document: pkg.document, parameters: parameterRows(pkg) }), origin, this.now().toISOString());
      return 'added';
    }).immediate();
  }

  /** Reads a package file (JSON) and imports it; errors name the file and the field. */
  importFile(path: string): ImportOutcome {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new PolicyImportError(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return this.importPackage(json, path);
  }

  versions(regionCode?: string): VersionInfo[] {
    const rows = (regionCode
      ? statement(this.db, 'SELECT * FROM policy_version WHERE region_code = ? ORDER BY seq').all(regionCode)
      : statement(this.db, 'SELECT * FROM policy_version ORDER BY seq').all()) as VersionRow[];
    return rows.map((r) => ({
      id: r.id, regionCode: r.region_code, document: r.document, draft: r.draft === 1,
      effectiveFrom: r.effective_from, fromKnown: r.from_known === 1, effectiveTo: r.effective_to, toKnown: r.to_known === 1,
      origin: r.origin, importedAt: r.imported_at,
    }));
  }

  /** PolicyLookup: every version of every region whose scope covers the insured region code. */
  packagesFor(regionCode: string): readonly PolicyPackage[] {
    const rows = statement(this.db, `SELECT v.id, v.package_json FROM policy_version v JOIN policy_region r ON r.code = v.region_code
        WHERE r.code = ? OR (r.scope = 'city' AND substr(r.code, 1, 4) = substr(?, 1, 4))
           OR (r.scope = 'province' AND substr(r.code, 1, 2) = substr(?, 1, 2))
        ORDER BY v.seq`).all(regionCode, regionCode, regionCode) as Array<{ id: string; package_json: string }>;
    return rows.map((r) => this.packageOf(r.id, r.package_json));
  }

  package(id: string): PolicyPackage | undefined {
    const row = statement(this.db, 'SELECT package_json FROM policy_version WHERE id = ?').get(id) as { package_json: string } | undefined;
    return row ? this.packageOf(id, row.package_json) : undefined;
  }

  upsertInstitution(value: unknown): Institution {
    const i = Institution.parse(value);
    statement(this.db, `INSERT INTO institution (code, name, region_code, level, price_class, designated, training) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (code) DO UPDATE SET name = excluded.name, region_code = excluded.region_code, level = excluded.level,
        price_class = excluded.price_class, designated = excluded.designated, training = excluded.training`)
      .run(i.code, i.name, i.region, i.level, i.priceClass, i.designated ? 1 : 0, i.training ? 1 : 0);
    return i;
  }

  institution(code: string): Institution | undefined {
    const r = statement(this.db, 'SELECT * FROM institution WHERE code = ?').get(code) as InstitutionRow | undefined;
    return r ? institutionOf(r) : undefined;
  }

  institutions(regionCode?: string): Institution[] {
    const rows = (regionCode
      ? statement(this.db, 'SELECT * FROM institution WHERE region_code = ? ORDER BY code').all(regionCode)
      : statement(this.db, 'SELECT * FROM institution ORDER BY code').all()) as InstitutionRow[];
    return rows.map(institutionOf);
  }

  upsertCatalogueItem(value: unknown): CatalogueItem {
    const c = CatalogueItem.parse(value);
    statement(this.db, `INSERT INTO catalogue_item (code, name, list_class, self_pay_ratio, limit_price, kind, training) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (code) DO UPDATE SET name = excluded.name, list_class = excluded.list_class, self_pay_ratio = excluded.self_pay_ratio,
        limit_price = excluded.limit_price, kind = excluded.kind, training = excluded.training`)
      .run(c.code, c.name, c.listClass, c.selfPayRatio, c.limitPrice, c.kind, c.training ? 1 : 0);
    return c;
  }

  /**
   * The entry a mapped code prices with on `at` (default now): the class from 1312 and the 乙类 ratio
   * from 1319 where they decide it, else the downloaded catalogue file's, else the app's own
   * (core/catalogue/effective.ts).
   */
  catalogueItem(code: string, at: Date = this.now()): CatalogueItem | undefined {
    return this.catalogueExplained(code, at).item;
  }

  /** catalogueItem with where its class and ratio came from, in a sentence for the technician. */
  catalogueExplained(code: string, at: Date = this.now()): EffectiveEntry {
    return effectiveWithQueries(this.localCatalogueItem(code), this.downloaded.entry(code), {
      classRows: this.queried.classRows(code), ratioRows: this.queried.ratioRows(code), day: formatDay(at),
    });
  }

  /** The app's own catalogue (embedded, training, or entered), without the downloaded one. */
  localCatalogueItem(code: string): CatalogueItem | undefined {
    const r = statement(this.db, 'SELECT * FROM catalogue_item WHERE code = ?').get(code) as CatalogueRow | undefined;
    return r ? catalogueOf(r) : undefined;
  }

  catalogue(): CatalogueItem[] {
    return (statement(this.db, 'SELECT * FROM catalogue_item ORDER BY code').all() as CatalogueRow[]).map(catalogueOf);
  }

  /** Loads the made-up training institutions and catalogue items (codes "TRAIN-…"); never on by default. */
  seedTrainingData(): { institutions: number; catalogue: number } {
    return this.db.transaction(() => {
      const inst = trainingInstitutions();
      const cat = trainingCatalogue();
      inst.forEach((i) => this.upsertInstitution(i));
      cat.forEach((c) => this.upsertCatalogueItem(c));
      return { institutions: inst.length, catalogue: cat.length };
    }).immediate();
  }

  private packageOf(id: string, json: string): PolicyPackage {
    let pkg = this.parsed.get(id);
    if (!pkg) {
      pkg = parsePolicyPackage(JSON.parse(json), `stored policy version ${id}`);
      this.parsed.set(id, pkg);
    }
    return pkg;
  }

  private ensureRegion(pkg: PolicyPackage, origin: string): void {
    const region = statement(this.db, 'SELECT name, scope FROM policy_region WHERE code = ?').get(pkg.region.code) as { name: string; scope: string } | undefined;
    if (!region) {
      statement(this.db, 'INSERT INTO policy_region (code, name, scope) VALUES (?, ?, ?)').run(pkg.region.code, pkg.region.name, pkg.region.scope);
    } else if (region.scope !== pkg.region.scope || region.name !== pkg.region.name) {
      throw new PolicyImportError(`${origin}: region ${pkg.region.code} is stored as ${region.name} (${region.scope}); the package says ${pkg.region.name} (${pkg.region.scope})`);
    }
  }

  /** A new version must start after every dated version of its region, or quotes for past dates would change. */
  private refuseRewritingHistory(pkg: PolicyPackage, origin: string): void {
    if (!pkg.effective.from.known) return;
    const latest = statement(this.db, `SELECT id, effective_from FROM policy_version WHERE region_code = ? AND from_known = 1
        ORDER BY effective_from DESC LIMIT 1`).get(pkg.region.code) as { id: string; effective_from: string } | undefined;
    if (latest && pkg.effective.from.value <= latest.effective_from) {
      throw new PolicyImportError(`${origin}: version ${pkg.id} starts ${pkg.effective.from.value}, not after ${latest.id} (${latest.effective_from}); importing it would rewrite history`);
    }
  }
}

function startKey(pkg: PolicyPackage): string {
  return pkg.effective.from.known ? pkg.effective.from.value : '';
}

interface InstitutionRow { code: string; name: string; region_code: string; level: number; price_class: number | null; designated: number; training: number }
interface CatalogueRow { code: string; name: string; list_class: string; self_pay_ratio: string | null; limit_price: string | null; kind: string; training: number }

function institutionOf(r: InstitutionRow): Institution {
  return Institution.parse({ code: r.code, name: r.name, region: r.region_code, level: r.level, priceClass: r.price_class, designated: r.designated === 1, training: r.training === 1 });
}

function catalogueOf(r: CatalogueRow): CatalogueItem {
  return CatalogueItem.parse({ code: r.code, name: r.name, listClass: r.list_class, selfPayRatio: r.self_pay_ratio, limitPrice: r.limit_price, kind: r.kind, training: r.training === 1 });
}

/**
 * Opens (creating if needed) the store database and adds the embedded policy versions it lacks.
 * Pass trainingData to also load the made-up institutions and catalogue (training terminals, tests).
 */
export function openPolicyStore(path: string, options: { trainingData?: boolean; embedded?: readonly PolicyPackage[] } = {}): { store: PolicyStore; seed: SeedReport } {
  const db = openDatabase(path, storeMigrations);
  try {
    const store = new PolicyStore(db);
    const seed = store.seedEmbedded(options.embedded);
    if (options.trainingData) store.seedTrainingData();
    return { store, seed };
  } catch (error) {
    db.close();
    throw error;
  }
}
