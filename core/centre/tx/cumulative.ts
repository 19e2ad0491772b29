// 5206 人员累计信息查询: the centre's running totals for an insured person (nhsa-interface.md §2.6).
//   input  data.psn_no (30, required), data.cum_ym (累计年月 yyyyMM, 6, optional) — restated from
//          newtouch-cloud/openhis WinServiceAPI/NeiMengGuYiBaoApp/Models/Post/YiBao/Post_5206.cs
//          (内蒙古 edition), which also marks insuplc_admdvs as required in the envelope [C].
//   output cuminfo[]: insutype, year, cum_ym, cum_type_code (累计类别代码), cum (累计值) — research S7 [C].
// What a cum_type_code means is a 1901 dictionary entry, not fixed by the interface. Public HIS code
// (repos not resolvable, research S14-style sources) reads: Q0000 = 起付线累计, D310101 = 职工统筹基金,
// D390101 = 居民统筹基金, S0000/F0000 = 费用累计, C0000 = 次数; a suffix `_BIZxx` restricts the
// total to one med_type (e.g. `_BIZ41` 定点药店购药) [P]. We read only those prefixes and ignore the rest.
import { z } from 'zod';
import { fmt, money, sum, type Money } from '../../money/money';
import { amount, code, optionalCode } from '../fields';

export const CumulativeInput = z.object({
  data: z.object({
    psn_no: code(30),
    cum_ym: optionalCode(6).refine((v) => v === '' || /^\d{4}(0[1-9]|1[0-2])$/.test(v), { message: 'must be yyyyMM or empty' }),
  }),
});
export type CumulativeInput = z.input<typeof CumulativeInput>;

export const CumInfoRow = z.object({
  insutype: code(6),
  year: z.union([z.string(), z.number().int()]).transform(String).pipe(z.string().regex(/^\d{4}$/, 'must be a 4-digit year')),
  cum_ym: optionalCode(6),
  cum_type_code: code(50),
  cum: amount,
});
export type CumInfoRow = z.infer<typeof CumInfoRow>;

export const CumulativeOutput = z.object({
  cuminfo: z.array(CumInfoRow).default([]),
});
export type CumulativeOutput = z.infer<typeof CumulativeOutput>;

/** The prefix of the pooled-fund total for an insurance type: 310 职工 → D310101, 390 居民 → D390101. */
function fundCode(insutype: string): string {
  return `D${insutype}101`;
}

const baseOf = (code: string): string => code.split('_')[0]!;

export interface CentreYearFigures {
  readonly deductibleMet: string;
  readonly fundPaid: string;
  /** The cum_type_codes the figures were summed from, for the explanation. */
  readonly codes: readonly string[];
}

/**
 * The year-to-date deductible met and pooled fund paid for one insurance type and year. Rows are
 * summed over months and med_types (a `_BIZ` split adds up to the plain total, so when the plain
 * total is present the split rows are not added again).
 */
export function yearFigures(output: CumulativeOutput, insutype: string, year: number): CentreYearFigures {
  const rows = output.cuminfo.filter((r) => r.insutype === insutype && Number(r.year) === year);
  const codes = new Set<string>();
  const total = (base: string): Money => {
    const plain = rows.filter((r) => r.cum_type_code === base);
    const chosen = plain.length > 0 ? plain : rows.filter((r) => baseOf(r.cum_type_code) === base);
    for (const r of chosen) codes.add(r.cum_type_code);
    return sum(chosen.map((r) => money(r.cum)));
  };
  const deductibleMet = total('Q0000');
  const fundPaid = total(fundCode(insutype));
  return { deductibleMet: fmt(deductibleMet), fundPaid: fmt(fundPaid), codes: [...codes].sort() };
}
