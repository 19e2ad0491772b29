// 3201 对总账, 3202 对明细账 and the 9101/9102 file exchange it needs (nhsa-interface.md §2.7, §2.8).
// The detail file is a zip holding one tab-separated text (no header [P]); building and reading the
// rows is pure and lives here, zipping is a native job (see FileCodec in ../port).
import { z } from 'zod';
import { amount, code, dayText, flag01, optionalCode } from '../fields';

export const TotalsInput = z.object({
  data: z.object({
    insutype: code(6),
    /** 41 药店购药. */
    clr_type: code(6),
    setl_optins: code(6),
    stmt_begndate: dayText,
    stmt_enddate: dayText,
    medfee_sumamt: amount,
    fund_pay_sumamt: amount,
    acct_pay: amount,
    fixmedins_setl_cnt: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]),
    /** Empty or 1: totals include refunds; 0: exclude them. */
    refd_setl_flag: optionalCode(1),
  }),
});
export type TotalsInput = z.input<typeof TotalsInput>;

export const TotalsOutput = z.object({
  stmtinfo: z.object({
    setl_optins: code(6),
    /** 0 平 (balanced), 1 不平 (not balanced). */
    stmt_rslt: z.enum(['0', '1']),
    stmt_rslt_dscr: optionalCode(500),
  }),
});
export type TotalsOutput = z.infer<typeof TotalsOutput>;

export const FileUploadInput = z.object({
  fsUploadIn: z.object({
    /** The file's bytes, base64 [P: some clients send a byte array]. */
    in: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64').max(40_000_000),
    filename: code(200),
    fixmedins_code: code(30),
  }),
});
export type FileUploadInput = z.input<typeof FileUploadInput>;

export const FileUploadOutput = z.object({
  file_qury_no: code(200),
  filename: code(200),
  dld_endtime: optionalCode(19),
});
export type FileUploadOutput = z.infer<typeof FileUploadOutput>;

export const DetailInput = z.object({
  data: z.object({
    setl_optins: code(6),
    file_qury_no: code(200),
    stmt_begndate: dayText,
    stmt_enddate: dayText,
    medfee_sumamt: amount,
    fund_pay_sumamt: amount,
    cash_payamt: amount,
    fixmedins_setl_cnt: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]),
    clr_type: optionalCode(6),
    refd_setl_flag: optionalCode(1),
  }),
});
export type DetailInput = z.input<typeof DetailInput>;

export const DetailOutput = z.object({
  fileinfo: z.object({ file_qury_no: code(200), filename: code(200), dld_endtime: optionalCode(19) }),
});
export type DetailOutput = z.infer<typeof DetailOutput>;

export const FileDownloadInput = z.object({
  fsDownloadIn: z.object({ file_qury_no: code(200), filename: code(200), fixmedins_code: code(30) }),
});
export type FileDownloadInput = z.input<typeof FileDownloadInput>;

/** One row of the store's detail file. */
export const DetailRow = z.object({
  setl_id: code(30),
  mdtrt_id: code(30),
  psn_no: code(30),
  medfee_sumamt: amount,
  fund_pay_sumamt: amount,
  acct_pay: amount,
  refd_setl_flag: flag01,
});
export type DetailRow = z.infer<typeof DetailRow>;

/** 0 对平, 1 中心多 (centre only), 2 医药机构多 (store only), 3 数据不一致 (amounts differ). */
export const STMT_RESULTS = ['0', '1', '2', '3'] as const;

export const DetailResultRow = z.object({
  psn_no: z.string().max(30),
  mdtrt_id: z.string().max(30),
  setl_id: z.string().max(30),
  msgid: z.string().max(30),
  stmt_rslt: z.enum(STMT_RESULTS),
  refd_setl_flag: z.string().max(1),
  memo: z.string().max(500),
  medfee_sumamt: amount,
  fund_pay_sumamt: amount,
  acct_pay: amount,
});
export type DetailResultRow = z.infer<typeof DetailResultRow>;

const DETAIL_COLUMNS = ['setl_id', 'mdtrt_id', 'psn_no', 'medfee_sumamt', 'fund_pay_sumamt', 'acct_pay', 'refd_setl_flag'] as const;
const RESULT_COLUMNS = ['psn_no', 'mdtrt_id', 'setl_id', 'msgid', 'stmt_rslt', 'refd_setl_flag', 'memo', 'medfee_sumamt', 'fund_pay_sumamt', 'acct_pay'] as const;

function clean(value: string, column: string): string {
  if (/[\t\r\n]/.test(value)) throw new Error(`${column} may not contain tabs or line breaks: ${JSON.stringify(value)}`);
  return value;
}

export function detailFileText(rows: readonly DetailRow[]): string {
  return rows.map((row) => DETAIL_COLUMNS.map((c) => clean(row[c], c)).join('\t')).join('\n') + (rows.length ? '\n' : '');
}

export function resultFileText(rows: readonly DetailResultRow[]): string {
  return rows.map((row) => RESULT_COLUMNS.map((c) => clean(row[c], c)).join('\t')).join('\n') + (rows.length ? '\n' : '');
}

function parseTsv<T>(text: string, columns: readonly string[], schema: z.ZodType<T>, what: string): T[] {
  return text.split(/\r?\n/).filter((line) => line.length > 0).map((line, i) => {
    const cells = line.split('\t');
    if (cells.length !== columns.length) throw new Error(`${what} line ${i + 1}: expected ${columns.length} tab-separated columns, got ${cells.length}`);
    const parsed = schema.safeParse(Object.fromEntries(columns.map((c, k) => [c, cells[k]])));
    if (!parsed.success) throw new Error(`${what} line ${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    return parsed.data;
  });
}

export function parseDetailFile(text: string): DetailRow[] {
  return parseTsv(text, DETAIL_COLUMNS, DetailRow, 'detail file');
}

export function parseResultFile(text: string): DetailResultRow[] {
  return parseTsv(text, RESULT_COLUMNS, DetailResultRow, 'result file');
}
