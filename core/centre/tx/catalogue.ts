// 1301 西药中成药目录下载, 1306 医用耗材目录下载 and 1901 字典表查询 (docs/centre-and-sync.md,
// "Catalogues and dictionaries"). Confidence as in the edition notes: [C] confirmed by a source,
// [P] probable (one source or by analogy), [U] unknown (no source; ours to decide, and said so).
//
//   1301/1306  input data.ver = the highest version stored locally ("0" before the first download)
//              [C S1 ML1301.cs: ver 字符型 20 必填, "本地最大版本号"]; output file_qury_no, filename,
//              dld_end_time, data_cnt [C S1 ML1301.cs]; the rows then come as a zip through 9102
//              [C nhsa-interface.md §2.7]. 1306 takes the same shape [P: listed beside 1301 as a
//              version-numbered catalogue download in the Hubei yb_interface tables, S16].
//   1901       input type, parentValue, admdvs, date, valiFlag; rows type, label, value, parentValue,
//              sort, valiFlag, createUser, createDate, version [C S1 Dic1901.cs]. The node names
//              (data in, list out) are [U]: S1 shows the classes, not the wrapper.
//
// The catalogue file: one tab-separated text in the zip, no header, one row per catalogue entry
// [P: the Hubei tables keep the raw "TAB分隔" row]. Which column holds what differs by edition (a
// national 1301 file has some 97 columns) [U], so the parser takes a layout — the column names in
// order — and reads only the columns it needs by name. The class (chrgitm_lv: 01 甲 / 02 乙 / 03 丙
// [P nhsa-interface.md §4]) and the 乙类 self-pay ratio (selfpay_prop) are named as in 1312 / 1319
// [C S1 ML1312.cs, ML1319.cs]; a layout without them (or an empty cell) gives none, and the app then
// keeps its own catalogue's class and ratio and says so.
import { z } from 'zod';
import { code, describeIssues, optionalCode } from '../fields';

/** The catalogue kinds this app downloads: infno → what it is. */
export const CATALOGUE_KINDS = {
  '1301': { name: '西药中成药目录', itemKind: 'drug' },
  '1306': { name: '医用耗材目录', itemKind: 'consumable' },
} as const;
export type CatalogueInfno = keyof typeof CATALOGUE_KINDS;
export const CATALOGUE_INFNOS = Object.keys(CATALOGUE_KINDS) as CatalogueInfno[];

/** "0" before the first download [P: the initial value public clients store]. */
export const INITIAL_VERSION = '0';

export const CatalogueDownloadInput = z.object({
  data: z.object({ ver: code(20) }),
});
export type CatalogueDownloadInput = z.input<typeof CatalogueDownloadInput>;

const count = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, 'must be a whole number').transform(Number)]);

export const CatalogueDownloadOutput = z.object({
  file_qury_no: code(40),
  filename: code(100),
  dld_end_time: optionalCode(20),
  data_cnt: count,
});
export type CatalogueDownloadOutput = z.infer<typeof CatalogueDownloadOutput>;

export const DictionaryInput = z.object({
  data: z.object({
    type: code(30),
    parentValue: optionalCode(10),
    admdvs: z.string().regex(/^\d{6}$/, 'must be a 6-digit administrative division code'),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be yyyy-MM-dd'),
    /** 1 valid entries only [P]. */
    valiFlag: code(3),
  }),
});
export type DictionaryInput = z.input<typeof DictionaryInput>;

export const DictionaryRow = z.object({
  type: code(30),
  label: code(50),
  value: code(20),
  parentValue: optionalCode(10),
  sort: z.union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number), z.null()]).optional().transform((v) => v ?? 0),
  valiFlag: optionalCode(3),
  createUser: optionalCode(30),
  createDate: optionalCode(19),
  version: optionalCode(20),
});
export type DictionaryRow = z.infer<typeof DictionaryRow>;

export const DictionaryOutput = z.object({ list: z.array(DictionaryRow) });
export type DictionaryOutput = z.infer<typeof DictionaryOutput>;

// ── the catalogue file ─────────────────────────────────────────────────────────────────────────────

/** The columns a layout must name (the rest are carried but not read). */
export const REQUIRED_COLUMNS = ['med_list_codg', 'ver'] as const;

/**
 * The layout the sandbox writes and the app reads by default: the national names of the columns
 * the app uses [C for the names: med_list_codg, drug_genname, vali_flag, rid, ver from the Hubei
 * 1301 table S16; chrgitm_lv, selfpay_prop from S1 ML1312.cs / ML1319.cs]. Their positions in a
 * real province's file are [U]: a technician connecting a real province checks them against the
 * province's file description (docs/centre-and-sync.md).
 */
export const DEFAULT_LAYOUT: Readonly<Record<CatalogueInfno, readonly string[]>> = {
  '1301': ['med_list_codg', 'drug_genname', 'chrgitm_lv', 'selfpay_prop', 'vali_flag', 'rid', 'ver'],
  '1306': ['med_list_codg', 'cons_name', 'chrgitm_lv', 'selfpay_prop', 'vali_flag', 'rid', 'ver'],
};

const NAME_COLUMN: Readonly<Record<CatalogueInfno, string>> = { '1301': 'drug_genname', '1306': 'cons_name' };

/** 01 甲 / 02 乙 / 03 丙 [P nhsa-interface.md §4]; empty: the file gives no class. */
const CLASS_OF: Readonly<Record<string, 'A' | 'B' | 'C'>> = { '01': 'A', '02': 'B', '03': 'C' };

export const CatalogueFileRow = z.object({
  med_list_codg: code(50),
  name: z.string().max(500),
  chrgitm_lv: z.string().refine((v) => v === '' || v in CLASS_OF, { message: 'must be 01 (甲), 02 (乙), 03 (丙) or empty' }),
  selfpay_prop: z.string().refine((v) => v === '' || /^(0(\.\d{1,6})?|1(\.0{1,6})?)$/.test(v), { message: 'must be a ratio from 0 to 1 (e.g. 0.10) or empty' }),
  vali_flag: z.string().refine((v) => v === '' || v === '0' || v === '1', { message: 'must be 0, 1 or empty' }),
  rid: z.string().max(40),
  ver: code(20).refine((v) => /^[0-9A-Za-z._-]+$/.test(v), { message: 'must be a version number' }),
});
export type CatalogueFileRow = z.infer<typeof CatalogueFileRow>;

/** What the app keeps of one row. */
export interface CatalogueEntry {
  readonly code: string;
  readonly name: string;
  /** null: the file gives no class. */
  readonly listClass: 'A' | 'B' | 'C' | null;
  /** 乙类 先自付 ratio as given; null: none given. */
  readonly selfPayRatio: string | null;
  readonly valid: boolean;
  readonly rid: string;
  readonly ver: string;
}

export class CatalogueFileError extends Error {
  constructor(message: string, readonly line: number | null, readonly field: string | null) {
    super(message);
    this.name = 'CatalogueFileError';
  }
}

/**
 * Reads a whole catalogue file; the first bad row refuses the whole file (the error names the line
 * and the field), so a chunk is stored entirely or not at all.
 */
export function parseCatalogueFile(infno: CatalogueInfno, text: string, layout: readonly string[] = DEFAULT_LAYOUT[infno]): CatalogueEntry[] {
  for (const c of REQUIRED_COLUMNS) if (!layout.includes(c)) throw new CatalogueFileError(`${infno} layout: no column ${c}`, null, c);
  const at = (cells: string[], name: string): string => {
    const i = layout.indexOf(name);
    return i < 0 ? '' : (cells[i] ?? '').trim();
  };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const out: CatalogueEntry[] = [];
  lines.forEach((line, index) => {
    if (line.length === 0) return;
    const n = index + 1;
    const cells = line.split('\t');
    if (cells.length !== layout.length) {
      throw new CatalogueFileError(`${infno} 目录文件第 ${n} 行: 应有 ${layout.length} 列（制表符分隔），实为 ${cells.length} 列`, n, null);
    }
    const parsed = CatalogueFileRow.safeParse({
      med_list_codg: at(cells, 'med_list_codg'), name: at(cells, NAME_COLUMN[infno]), chrgitm_lv: at(cells, 'chrgitm_lv'),
      selfpay_prop: at(cells, 'selfpay_prop'), vali_flag: at(cells, 'vali_flag'), rid: at(cells, 'rid'), ver: at(cells, 'ver'),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = String(issue.path[0] ?? '');
      const column = field === 'name' ? NAME_COLUMN[infno] : field;
      throw new CatalogueFileError(`${infno} 目录文件第 ${n} 行 ${column}: ${describeIssues(parsed.error).replace(/^[^:]*: /, '')}`, n, column);
    }
    const r = parsed.data;
    out.push({
      code: r.med_list_codg, name: r.name, listClass: CLASS_OF[r.chrgitm_lv] ?? null,
      selfPayRatio: r.selfpay_prop === '' ? null : r.selfpay_prop, valid: r.vali_flag !== '0', rid: r.rid, ver: r.ver,
    });
  });
  return out;
}

/** The sandbox's side: rows in the default layout. */
export function catalogueFileText(infno: CatalogueInfno, rows: readonly CatalogueEntry[]): string {
  const classCode = (c: CatalogueEntry['listClass']): string => (c === null ? '' : ({ A: '01', B: '02', C: '03' } as const)[c]);
  const cell = (v: string, column: string): string => {
    if (/[\t\r\n]/.test(v)) throw new Error(`${column} may not contain tabs or line breaks: ${JSON.stringify(v)}`);
    return v;
  };
  const values = (r: CatalogueEntry): Record<string, string> => ({
    med_list_codg: r.code, [NAME_COLUMN[infno]]: r.name, chrgitm_lv: classCode(r.listClass), selfpay_prop: r.selfPayRatio ?? '',
    vali_flag: r.valid ? '1' : '0', rid: r.rid, ver: r.ver,
  });
  return rows.map((r) => { const v = values(r); return DEFAULT_LAYOUT[infno].map((c) => cell(v[c] ?? '', c)).join('\t'); }).join('\n') + (rows.length ? '\n' : '');
}

/** Version order: numbers by value (longer is newer), otherwise text order [U: platforms send digits]. */
export function compareVersions(a: string, b: string): number {
  const digits = /^\d+$/;
  if (digits.test(a) && digits.test(b)) {
    const x = a.replace(/^0+(?=\d)/, '');
    const y = b.replace(/^0+(?=\d)/, '');
    return x.length !== y.length ? x.length - y.length : x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}
