// The sandbox centre's 1312 医保目录信息查询 and 1319 医保目录先自付比例信息查询 (core/centre/tx/hilist.ts):
// paged answers from its catalogue (chrgitm_lv from list_class) and its 先自付比例 rows (sandbox
// migration 9, one per 乙类 code with a ratio, under the training person type TRAIN; tests add others).
//   updt_time  a catalogue row's 更新时间 is the day of its version (2024-01-01 + ver days), so a
//              row published later (publishCatalogueRow) is newer; a 先自付比例 row keeps the time it
//              was published. Rows are answered when updated on or after data.updt_time (a day)
//              [P: inclusive by day; the client re-reads that day and keeps rows by rid].
//   pages      ordered by updt_time then rid; pageNum, pageSize, recordCounts, pages and the rows in
//              data, as the one public output class has them [P S17].
import { type RequestEnvelope } from '../../core/centre/envelope';
import { formatDateTime } from '../../core/centre/time';
import { type HilistQueryInput, type SelfPayQueryInput } from '../../core/centre/tx/hilist';
import { type z } from 'zod';
import { type Db } from '../db/open';
import { BusinessError } from './pricing';

type Parsed<T extends z.ZodType> = z.output<T>;

const LV = { A: '01', B: '02', C: '03' } as const;
export const SANDBOX_PSN_TYPE = 'TRAIN';

/** 2024-01-01 + ver days, as yyyy-MM-dd HH:mm:ss. */
export function catalogueUpdatedAt(ver: number): string {
  const d = new Date(Date.UTC(2024, 0, 1) + ver * 86_400_000);
  return `${d.toISOString().slice(0, 10)} 08:00:00`;
}

function page<T>(rows: readonly T[], pageNum: number, pageSize: number) {
  const pages = Math.ceil(rows.length / pageSize);
  const start = (pageNum - 1) * pageSize;
  const data = rows.slice(start, start + pageSize);
  return {
    pageNum, pageSize, recordCounts: rows.length, pages, firstPage: 1, lastPage: Math.max(pages, 1), size: data.length, startRow: data.length ? start + 1 : 0, data,
  };
}

function checkPage(d: { page_num: number; page_size: number; updt_time: string }): void {
  if (d.page_size > 5000) throw new BusinessError(`page_size 过大: ${d.page_size}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.updt_time)) throw new BusinessError(`updt_time 格式错误: ${d.updt_time}`);
}

export class SandboxHilist {
  constructor(private readonly db: Db, private readonly clock: () => Date = () => new Date()) {}

  /** 1312: class rows of the catalogue updated on or after updt_time. */
  query(env: RequestEnvelope, input: Parsed<typeof HilistQueryInput>) {
    const d = input.data;
    checkPage(d);
    const admdvs = d.insu_admdvs || env.mdtrtarea_admvs;
    const rows = (this.db.prepare('SELECT code, name, list_class, ver, vali_flag FROM catalogue ORDER BY ver, code').all() as Array<{ code: string; name: string; list_class: 'A' | 'B' | 'C'; ver: number; vali_flag: string }>)
      .map((r) => ({ r, updt: catalogueUpdatedAt(r.ver) }))
      .filter(({ r, updt }) => updt.slice(0, 10) >= d.updt_time && (!d.hilist_code || r.code === d.hilist_code))
      .map(({ r, updt }) => ({
        hilist_code: r.code, hilist_name: r.name, insu_admdvs: admdvs, begndate: '2024-01-01', enddate: null, med_chrgitm_type: '09',
        chrgitm_lv: LV[r.list_class], lmt_used_flag: '0', list_type: '101', med_use_flag: '1', matn_used_flag: '0', hilist_use_type: '1',
        lmt_cpnd_type: '0', vali_flag: r.vali_flag, rid: `R1312${r.code}`.slice(0, 40), updt_time: updt, crte_time: updt,
      }));
    return page(rows, d.page_num, d.page_size);
  }

  /** 1319: 先自付比例 rows updated on or after updt_time. */
  selfPay(env: RequestEnvelope, input: Parsed<typeof SelfPayQueryInput>) {
    const d = input.data;
    checkPage(d);
    const rows = (this.db.prepare(`SELECT * FROM catalogue_selfpay WHERE substr(updt_time, 1, 10) >= ? AND (? = '' OR code = ?) ORDER BY updt_time, rid`)
      .all(d.updt_time, d.hilist_code ?? '', d.hilist_code ?? '') as Array<{ rid: string; code: string; psn_type: string; prop_type: string; ratio: string; begndate: string; enddate: string | null; vali_flag: string; updt_time: string }>)
      .map((r) => ({
        hilist_code: r.code, selfpay_prop_psn_type: r.psn_type, selfpay_prop_type: r.prop_type, insu_admdvs: d.insu_admdvs || env.mdtrtarea_admvs,
        begndate: r.begndate, enddate: r.enddate, selfpay_prop: r.ratio, vali_flag: r.vali_flag, rid: r.rid, updt_time: r.updt_time, crte_time: r.updt_time,
      }));
    return page(rows, d.page_num, d.page_size);
  }

  /** Training and tests: a 先自付比例 row (a new rid, or the same rid changed), updated now. */
  publishSelfPay(row: { code: string; psnType: string; ratio: string; begin?: string; end?: string | null; valid?: boolean; rid?: string }): string {
    const rid = row.rid ?? `R1319${row.code}-${row.psnType}-${formatDateTime(this.clock()).replace(/\D/g, '')}`.slice(0, 40);
    this.db.prepare(`INSERT INTO catalogue_selfpay (rid, code, psn_type, prop_type, ratio, begndate, enddate, vali_flag, updt_time) VALUES (?, ?, ?, '1', ?, ?, ?, ?, ?)
        ON CONFLICT (rid) DO UPDATE SET code = excluded.code, psn_type = excluded.psn_type, ratio = excluded.ratio, begndate = excluded.begndate,
          enddate = excluded.enddate, vali_flag = excluded.vali_flag, updt_time = excluded.updt_time`)
      .run(rid, row.code, row.psnType, row.ratio, row.begin ?? '2024-01-01', row.end ?? null, row.valid === false ? '0' : '1', formatDateTime(this.clock()));
    return rid;
  }
}

/** Sandbox migration 9 and the seed: one 先自付比例 row per 乙类 catalogue row with a ratio. */
export function seedSelfPayRows(db: Db): void {
  db.prepare(`INSERT OR IGNORE INTO catalogue_selfpay (rid, code, psn_type, prop_type, ratio, begndate, enddate, vali_flag, updt_time)
      SELECT 'R1319' || code, code, '${SANDBOX_PSN_TYPE}', '1', selfpay_ratio, '2024-01-01', NULL, '1', ? FROM catalogue WHERE list_class = 'B' AND selfpay_ratio IS NOT NULL`)
    .run(catalogueUpdatedAt(1));
}
