// 1312 医保目录信息查询 and 1319 医保目录先自付比例信息查询: paged queries that give, per 医保目录编码,
// the 收费项目等级 (chrgitm_lv: 甲/乙/丙) and the 乙类 先自付比例 (selfpay_prop) for certain, where a
// province's 1301 file may not carry them (docs/centre-and-sync.md, "Catalogues and dictionaries").
// Confidence: [C] confirmed by a source, [P] probable (one source), [U] unknown (ours, and said so).
//
//   input   data: the fields of S1 ML1312.cs (In1312) / ML1319.cs (In1319) [C]. Required (是否非空):
//           updt_time, page_num, page_size [C S1; openhis Input_1319.cs marks the same three]. S1's
//           other "Y" (insu_admdvs, chrgitm_lv, vali_flag …) is the 代码标识 column, not 必填
//           [P: openhis Input_1319.cs "|6|Y||" puts it before the 非空 column]. updt_time travels
//           as yyyy-MM-dd [P: a public client sends DateTime.ToString("yyyy-MM-dd")].
//   output  the page at the output root: pageNum, pageSize, recordCounts, pages, firstPage,
//           lastPage, size, startRow, and the rows in `data` [P: one source, github newtouch-cloud/
//           openhis WinServiceAPI/NeiMengGuYiBaoApp/Models/Output/YiBao/Output_1312.cs, Output_1319.cs].
//           Any of the page fields may be absent: the download then stops at a page with fewer
//           than page_size rows [P].
//   rows    1312: hilist_code, hilist_name, insu_admdvs, begndate, enddate, med_chrgitm_type,
//           chrgitm_lv, …, vali_flag, rid, updt_time [C S1 Out1312]. 1319: hilist_code,
//           selfpay_prop_psn_type, selfpay_prop_type, insu_admdvs, begndate, enddate, selfpay_prop
//           (BigDecimal 5), vali_flag, rid, updt_time [C S1 Out1319]. rid is 唯一记录号 [C], so rows
//           are kept by rid. The rows come loose from the reply and are read here, one by one, so a
//           bad row refuses its whole page naming the row and the field.
import { z } from 'zod';
import { code, describeIssues, optionalCode } from '../fields';
import { isDateTimeText, isDayText } from '../time';

export const HILIST_QUERIES = {
  '1312': { name: '医保目录信息查询', gives: '甲乙丙类别' },
  '1319': { name: '医保目录先自付比例信息查询', gives: '先自付比例' },
} as const;
export type HilistInfno = keyof typeof HILIST_QUERIES;
export const HILIST_INFNOS = Object.keys(HILIST_QUERIES) as HilistInfno[];

/** The updt_time a first download asks from [U: the earliest date a platform accepts is not public]. */
export const HILIST_START_DAY = '2000-01-01';

/** Rows asked per page [U: no public limit; 1000 keeps a page's transaction short]. */
export const HILIST_PAGE_SIZE = 1000;

const day = z.string().refine(isDayText, { message: 'must be yyyy-MM-dd' });
const pageNumber = z.number().int().min(1).max(9999);

const common = {
  query_date: day.optional(),
  hilist_code: optionalCode(30).optional(),
  insu_admdvs: optionalCode(6).optional(),
  begndate: day.optional(),
  vali_flag: optionalCode(3).optional(),
  updt_time: day,
  page_num: pageNumber,
  page_size: pageNumber,
};

export const HilistQueryInput = z.object({
  data: z.object({
    ...common,
    hilist_name: optionalCode(200).optional(),
    wubi: optionalCode(30).optional(),
    pinyin: optionalCode(30).optional(),
    med_chrgitm_type: optionalCode(6).optional(),
    chrgitm_lv: optionalCode(3).optional(),
    lmt_used_flag: optionalCode(3).optional(),
    list_type: optionalCode(30).optional(),
    med_use_flag: optionalCode(3).optional(),
    matn_used_flag: optionalCode(3).optional(),
    hilist_use_type: optionalCode(3).optional(),
    lmt_cpnd_type: optionalCode(3).optional(),
  }),
});
export type HilistQueryInput = z.input<typeof HilistQueryInput>;

export const SelfPayQueryInput = z.object({
  data: z.object({
    ...common,
    selfpay_prop_psn_type: optionalCode(6).optional(),
    selfpay_prop_type: optionalCode(6).optional(),
    enddate: day.optional(),
    rid: optionalCode(40).optional(),
    tabname: optionalCode(100).optional(),
    poolarea_no: optionalCode(6).optional(),
  }),
});
export type SelfPayQueryInput = z.input<typeof SelfPayQueryInput>;

const count = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, 'must be a whole number').transform(Number), z.literal('').transform(() => undefined), z.null().transform(() => undefined)]).optional();

/** One page: the page fields (any may be absent) and the rows, read later row by row. */
export const HilistPageOutput = z.object({
  pageNum: count,
  pageSize: count,
  recordCounts: count,
  pages: count,
  firstPage: count,
  lastPage: count,
  size: count,
  startRow: count,
  data: z.array(z.lazy(() => LooseRow)).nullable().optional().transform((v) => v ?? []),
});
export type HilistPageOutput = z.infer<typeof HilistPageOutput>;

/** A row as it came, with only the fields the app reads (the rest dropped, as for every reply); checked later, row by row. */
const READ_FIELDS = ['hilist_code', 'hilist_name', 'insu_admdvs', 'begndate', 'enddate', 'chrgitm_lv', 'selfpay_prop_psn_type', 'selfpay_prop_type', 'selfpay_prop', 'vali_flag', 'rid', 'updt_time'] as const;
const LooseRow = z.object(Object.fromEntries(READ_FIELDS.map((f) => [f, z.unknown().optional()])) as Record<(typeof READ_FIELDS)[number], z.ZodOptional<z.ZodUnknown>>);

// ── the rows ───────────────────────────────────────────────────────────────────────────────────────

const dateOrTime = z.union([z.string(), z.null()]).optional().transform((v) => (v ?? '').trim())
  .refine((v) => v === '' || isDayText(v) || isDateTimeText(v) || isDayText(v.slice(0, 10)), { message: 'must be yyyy-MM-dd or yyyy-MM-dd HH:mm:ss' });
const requiredDate = dateOrTime.refine((v) => v !== '', { message: 'required' });
const validFlag = z.union([z.string(), z.number().int()]).transform(String).refine((v) => v === '0' || v === '1', { message: 'must be 0 or 1' });

/** 01 甲 / 02 乙 / 03 丙 [P nhsa-interface.md §4]. */
export const CHRGITM_LV = { '01': 'A', '02': 'B', '03': 'C' } as const;

export const HilistRow = z.object({
  hilist_code: code(30),
  hilist_name: optionalCode(200),
  insu_admdvs: optionalCode(6),
  begndate: requiredDate,
  enddate: dateOrTime,
  chrgitm_lv: z.union([z.string(), z.number().int()]).transform((v) => String(v).padStart(2, '0'))
    .refine((v) => v in CHRGITM_LV, { message: 'must be 01 (甲), 02 (乙) or 03 (丙)' }),
  vali_flag: validFlag,
  rid: code(40),
  updt_time: requiredDate,
});

const RATIO = /^(0(\.\d{1,6})?|1(\.0{1,6})?|\.\d{1,6})$/;

export const SelfPayRow = z.object({
  hilist_code: code(30),
  selfpay_prop_psn_type: optionalCode(6),
  selfpay_prop_type: optionalCode(6),
  insu_admdvs: optionalCode(6),
  begndate: requiredDate,
  enddate: dateOrTime,
  selfpay_prop: z.union([z.string(), z.number()]).transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
    .refine((v) => RATIO.test(v), { message: 'must be a ratio from 0 to 1 (e.g. 0.10)' }).transform((v) => (v.startsWith('.') ? `0${v}` : v)),
  vali_flag: validFlag,
  rid: code(40),
  updt_time: requiredDate,
});

/** What the app keeps of a 1312 row. */
export interface HilistClassRow {
  readonly rid: string;
  readonly code: string;
  readonly name: string;
  readonly admdvs: string;
  readonly listClass: 'A' | 'B' | 'C';
  /** yyyy-MM-dd (the day part of what the centre sent). */
  readonly begin: string;
  /** yyyy-MM-dd, '' for open-ended. */
  readonly end: string;
  readonly valid: boolean;
  readonly updatedAt: string;
}

/** What the app keeps of a 1319 row. */
export interface SelfPayRatioRow {
  readonly rid: string;
  readonly code: string;
  readonly psnType: string;
  readonly propType: string;
  readonly admdvs: string;
  readonly ratio: string;
  readonly begin: string;
  readonly end: string;
  readonly valid: boolean;
  readonly updatedAt: string;
}

export type HilistRowOf<I extends HilistInfno> = I extends '1312' ? HilistClassRow : SelfPayRatioRow;

export class HilistRowError extends Error {
  constructor(message: string, readonly row: number, readonly field: string) {
    super(message);
    this.name = 'HilistRowError';
  }
}

/** Reads a page's rows; the first bad row refuses them all, naming the page, row (1-based) and field. */
export function parseHilistRows<I extends HilistInfno>(infno: I, page: number, rows: readonly Record<string, unknown>[]): Array<HilistRowOf<I>> {
  return rows.map((raw, i) => {
    const parsed = (infno === '1312' ? HilistRow : SelfPayRow).safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = String(issue.path[0] ?? '');
      throw new HilistRowError(`${infno} 第 ${page} 页第 ${i + 1} 行 ${field}: ${describeIssues(parsed.error).replace(/^[^:]*: /, '')}`, i + 1, field);
    }
    const d = parsed.data;
    const base = { rid: d.rid, code: d.hilist_code, admdvs: d.insu_admdvs, begin: d.begndate.slice(0, 10), end: d.enddate.slice(0, 10), valid: d.vali_flag === '1', updatedAt: d.updt_time };
    if (infno === '1312') {
      const r = d as z.infer<typeof HilistRow>;
      return { ...base, name: r.hilist_name, listClass: CHRGITM_LV[r.chrgitm_lv as keyof typeof CHRGITM_LV] } as HilistRowOf<I>;
    }
    const r = d as z.infer<typeof SelfPayRow>;
    return { ...base, psnType: r.selfpay_prop_psn_type, propType: r.selfpay_prop_type, ratio: r.selfpay_prop } as HilistRowOf<I>;
  });
}

/** Rows in force on `day` (yyyy-MM-dd): valid, begun, not ended. */
export function inForce<R extends { valid: boolean; begin: string; end: string }>(rows: readonly R[], day: string): R[] {
  return rows.filter((r) => r.valid && r.begin <= day && (r.end === '' || r.end >= day));
}
