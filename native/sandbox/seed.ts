// What the sandbox centre knows on first start: one insured person per training card (so the
// virtual reader's cards are known), the training institutions and catalogue of the policy store,
// and the embedded policy packages. Everything here is made up for training. The person table is
// documented in docs/centre-and-sync.md.
import { seedSelfPayRows } from './hilist';
import { embeddedPackages } from '../../core/policy/embedded';
import { type PolicyPackage } from '../../core/policy/package';
import { trainingCatalogue, trainingInstitutions } from '../../core/policy/reference';
import { TRAINING_CARDS, type TrainingCard, type TrainingScenario } from '../reader-sim/training-cards';
import { type Db } from '../db/open';

export interface PersonSeed {
  readonly psnNo: string;
  readonly fixtureId: string;
  readonly certno: string;
  readonly cardNo: string;
  readonly cardSn: string;
  readonly ecToken: string;
  readonly name: string;
  readonly gend: string;
  readonly brdy: string;
  readonly insutype: '310';
  readonly psnType: string;
  readonly insuplcAdmdvs: string;
  readonly status: 'active' | 'retired';
  readonly retiredOn: string | null;
  readonly hospitalized: boolean;
  readonly suspended: boolean;
  readonly cardGeneration: 2 | 3;
  readonly balance: string;
  readonly deductibleMet: string;
  readonly fundPaid: string;
  readonly note: string;
}

interface ScenarioTerms {
  readonly balance: string;
  readonly deductibleMet: string;
  readonly fundPaid: string;
  readonly note: string;
}

/** Year-to-date figures per scenario. Near the cap: 南昌's active cap is 1800 and deductible 600. */
const SCENARIOS: Record<TrainingScenario, ScenarioTerms> = {
  active: { balance: '1000.00', deductibleMet: '0.00', fundPaid: '0.00', note: '在职，正常参保' },
  retired: { balance: '3000.00', deductibleMet: '0.00', fundPaid: '0.00', note: '退休，正常参保' },
  'near-annual-cap': { balance: '2000.00', deductibleMet: '600.00', fundPaid: '1750.00', note: '本年度起付线已付满，统筹基金已支付 1750.00 元，接近年度限额' },
  inpatient: { balance: '800.00', deductibleMet: '0.00', fundPaid: '0.00', note: '住院中：门诊统筹不予支付' },
  suspended: { balance: '300.00', deductibleMet: '0.00', fundPaid: '0.00', note: '暂停参保：统筹基金不予支付' },
};

/** The date a training retiree's retirement was completed (their 60th birthday, at the end of the month). */
function retiredOn(card: TrainingCard): string {
  const [y, m] = card.profile.birthDate.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y + 60, m, 0)).getUTCDate();
  return `${y + 60}-${String(m).padStart(2, '0')}-${String(last).padStart(2, '0')}`;
}

export function personSeedOf(card: TrainingCard): PersonSeed {
  const terms = SCENARIOS[card.scenario];
  const retired = card.scenario === 'retired';
  return {
    psnNo: `PSN${card.profile.cardNo.replace(/^T/, '')}`,
    fixtureId: card.fixtureId,
    certno: card.profile.ssn,
    cardNo: card.profile.cardNo,
    cardSn: card.cardId,
    ecToken: `TRAIN-EC-${card.fixtureId}`,
    name: card.profile.name,
    gend: card.profile.sex,
    brdy: card.profile.birthDate,
    insutype: '310',
    psnType: retired ? '1201' : '1101',
    insuplcAdmdvs: card.profile.region,
    status: retired ? 'retired' : 'active',
    retiredOn: retired ? retiredOn(card) : null,
    hospitalized: card.scenario === 'inpatient',
    suspended: card.scenario === 'suspended',
    cardGeneration: card.generation,
    ...terms,
  };
}

export function trainingPersons(): PersonSeed[] {
  return TRAINING_CARDS.map(personSeedOf);
}

/**
 * What the sandbox's 1901 answers: values as public code restates them (nhsa-interface.md §4:
 * list_type [C S13], clr_type [C S4], chrgitm_lv [P]); a real platform's 1901 is the authority.
 */
/** Inserted by sandbox migration 5, so a sandbox seeded before it has them too. */
export function seedTrainingDictionary(db: Db): void {
  const dict = db.prepare('INSERT OR IGNORE INTO dictionary (type, value, label, parent_value, sort, vali_flag, version) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const d of TRAINING_DICTIONARY) d.entries.forEach(([value, label], i) => dict.run(d.type, value, label, '', i + 1, '1', '1'));
}

export const TRAINING_DICTIONARY: ReadonlyArray<{ type: string; entries: ReadonlyArray<readonly [string, string]> }> = [
  { type: 'chrgitm_lv', entries: [['01', '甲类'], ['02', '乙类'], ['03', '丙类']] },
  { type: 'list_type', entries: [['101', '西药中成药'], ['102', '中药饮片'], ['103', '自制剂'], ['104', '民族药'], ['201', '医疗服务项目'], ['301', '医用耗材']] },
  { type: 'clr_type', entries: [['11', '门诊'], ['21', '住院'], ['41', '药店购药'], ['99', '其他']] },
];

export interface SeedOptions {
  readonly persons?: readonly PersonSeed[];
  readonly packages?: readonly PolicyPackage[];
  /** The calendar year the seeded year-to-date totals belong to. */
  readonly year: number;
  readonly now: Date;
}

/** Seeds an empty sandbox database; a seeded one is left alone (its state is the centre's history). */
export function seedSandbox(db: Db, options: SeedOptions): boolean {
  const seeded = (db.prepare('SELECT count(*) AS n FROM person').get() as { n: number }).n > 0;
  if (seeded) return false;
  db.transaction(() => {
    const person = db.prepare(`INSERT INTO person (psn_no, fixture_id, certno, card_no, card_sn, ec_token, psn_name, gend, brdy, insutype, psn_type,
        insuplc_admdvs, status, retired_on, hospitalized, suspended, card_generation, balance, ytd_year, deductible_met, fund_paid, emp_name, note)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const p of options.persons ?? trainingPersons()) {
      person.run(p.psnNo, p.fixtureId, p.certno, p.cardNo, p.cardSn, p.ecToken, p.name, p.gend, p.brdy, p.insutype, p.psnType, p.insuplcAdmdvs,
        p.status, p.retiredOn, p.hospitalized ? 1 : 0, p.suspended ? 1 : 0, p.cardGeneration, p.balance, options.year, p.deductibleMet, p.fundPaid,
        '【培训】示例单位', p.note);
    }
    const institution = db.prepare('INSERT INTO institution (code, name, admdvs, level, price_class, designated, kind) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const i of trainingInstitutions()) institution.run(i.code, i.name, i.region, i.level, i.priceClass, i.designated ? 1 : 0, 'hospital');
    // Two rows per catalogue version, so a first 1301/1306 download comes in several files.
    const item = db.prepare('INSERT INTO catalogue (code, name, list_class, selfpay_ratio, limit_price, kind, ver) VALUES (?, ?, ?, ?, ?, ?, ?)');
    trainingCatalogue().forEach((c, i) => item.run(c.code, c.name, c.listClass, c.selfPayRatio, c.limitPrice, c.kind, 1 + Math.floor(i / 2)));
    seedSelfPayRows(db);
    const pkg = db.prepare('INSERT INTO policy_package (id, region, package_json, published_at) VALUES (?, ?, ?, ?)');
    for (const p of options.packages ?? embeddedPackages()) pkg.run(p.id, p.region.code, JSON.stringify(p), options.now.toISOString());
  })();
  return true;
}
