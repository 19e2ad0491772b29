// The insured person as the checkout needs them: from the centre's 1101 reply when online, or from
// this store's cache of an earlier online visit when offline (with the age of that data shown).
import { type PersonView } from '../../../core/contracts/checkout';
import { type PersonInfoOutput } from '../../../core/centre/tx/person';
import { daysBetween } from '../../../core/checkout/prescription';
import { businessDate, maskIdNumber } from '../../../core/checkout/business-date';
import { z } from 'zod';
import { type CentreYear, type YearBasis } from './ytd';

/** How the person was identified; the same credential goes into 2101/2102 (mdtrt_cert_type/no). */
export const Credential = z.object({
  certType: z.enum(['01', '02', '03']),
  certNo: z.string(),
  cardSn: z.string().nullable(),
});
export type Credential = z.infer<typeof Credential>;

export const PersonRecord = z.object({
  psnNo: z.string(),
  name: z.string(),
  idNumber: z.string(),
  cardNo: z.string().nullable(),
  insutype: z.string(),
  region: z.string(),
  status: z.enum(['active', 'retired']),
  retiredOn: z.string().nullable(),
  hospitalized: z.boolean(),
  suspended: z.boolean(),
  balance: z.string(),
  year: z.object({ year: z.number().int(), deductibleMet: z.string(), fundPaid: z.string() }),
  /** The centre's 5206 figures as read at identify (checkout/ytd.ts); null where none was read. */
  centreYear: z.object({ year: z.number().int(), deductibleMet: z.string(), fundPaid: z.string(), readAt: z.string() }).nullable().default(null),
  asOf: z.string(),
});
export type PersonRecord = z.infer<typeof PersonRecord>;

export class NoInsuranceError extends Error {}

/** 1101 reply → the person, choosing the employee insurance row (310) first. */
export function personFromCentre(output: PersonInfoOutput, asOf: Date, cardNo: string | null, previous: PersonRecord | undefined, centreYear: CentreYear | null = null): PersonRecord {
  const rows = output.insuinfo;
  const row = rows.find((r) => r.insutype === '310') ?? rows[0];
  if (!row) throw new NoInsuranceError('中心返回的参保信息为空：此人没有可结算的险种，请按自费销售');
  const year = Number(businessDate(asOf).slice(0, 4));
  // 1101 carries no year-to-date totals: the centre's 5206 figures when read, else the running totals
  // this store learned from the centre's settlements this year (a new year starts from zero).
  const totals = centreYear && centreYear.year === year ? { year, deductibleMet: centreYear.deductibleMet, fundPaid: centreYear.fundPaid }
    : previous && previous.year.year === year ? previous.year : { year, deductibleMet: '0.00', fundPaid: '0.00' };
  return {
    psnNo: output.baseinfo.psn_no,
    name: output.baseinfo.psn_name,
    idNumber: output.baseinfo.certno,
    cardNo: cardNo ?? previous?.cardNo ?? null,
    insutype: row.insutype,
    region: row.insuplc_admdvs,
    // 人员类别 12xx (or the older 12) is retired (nhsa-interface.md §4).
    status: /^12/.test(row.psn_type) ? 'retired' : 'active',
    retiredOn: previous?.retiredOn ?? null,
    hospitalized: previous?.hospitalized ?? false,
    suspended: row.psn_insu_stas !== '1',
    balance: row.balc,
    year: totals,
    centreYear: centreYear ?? (previous?.centreYear && previous.centreYear.year === year ? previous.centreYear : null),
    asOf: asOf.toISOString(),
  };
}

export function personView(person: PersonRecord, source: 'centre' | 'cache', now: Date, regionName: (code: string) => string | null, basis?: YearBasis, capLeft: string | null = null): PersonView {
  return {
    psnNo: person.psnNo,
    name: person.name,
    idNumberMasked: maskIdNumber(person.idNumber),
    insutype: person.insutype,
    region: person.region,
    regionName: regionName(person.region),
    status: person.status,
    retiredOn: person.retiredOn,
    hospitalized: person.hospitalized,
    suspended: person.suspended,
    balance: person.balance,
    year: basis
      ? { deductibleMet: basis.deductibleMet, fundPaid: basis.fundPaid, capLeft, source: basis.source, readAt: basis.readAt }
      : { deductibleMet: person.year.deductibleMet, fundPaid: person.year.fundPaid, capLeft, source: person.centreYear ? 'centre' : 'store', readAt: person.centreYear?.readAt ?? null },
    source,
    asOf: person.asOf,
    ageDays: Math.max(0, daysBetween(businessDate(new Date(person.asOf)), businessDate(now))),
  };
}
