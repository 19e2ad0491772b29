// The sandbox's side of 3505/3506 (and the batch forms 3505A/3506A): it records every accepted row
// and tracks each 追溯码 across all the pharmacies it serves, the way the platform hunts for a box
// sold twice (倒卖/串换). Each row is judged on its own; a refused row leaves nothing behind.
//
// Rules it enforces (the platform's own rules are [U] beyond the field list; these are the ones the
// issue and nhsa-interface.md §5 describe):
//   - a row is keyed by institution + fixmedins_bchno: the same row again (same content) is answered
//     as accepted and stored once; the same key with other content is refused;
//   - an insured sale row names a settlement the centre booked for that institution and person;
//   - codes are 20 digits starting with 8, one per package: a whole-box row carries exactly
//     sel_retn_cnt codes; a code still sold elsewhere is refused (拆零 rows may share their box);
//   - a return row names its sale row (medins_prod_sel_no), the settlement was refunded (2103), and
//     its codes are that sale's; the codes become sellable again.
import { createHash } from 'node:crypto';
import { type RequestEnvelope } from '../../core/centre/envelope';
import { type SalesReturnRow, type SalesRow } from '../../core/centre/tx/inventory';
import { type Db } from '../db/open';
import { BusinessError } from './pricing';

const PLATFORM_CODE = /^8\d{19}$/;

export interface SalesReportSummary {
  readonly saleRows: number;
  readonly returnRows: number;
  /** Codes in accepted sale rows (a 拆零 box counts once per row that opened it). */
  readonly codesReported: number;
  readonly codesReturned: number;
  readonly packagesSold: number;
  readonly repeatsAnswered: number;
  readonly refusals: number;
}

type Verdict = { fixmedins_bchno: string; retRslt: '0' | '1'; msgRslt: string };

export class SandboxSalesReports {
  private readonly rejectOnce = new Map<string, number>();

  constructor(private readonly db: Db, private readonly clock: () => Date) {}

  /** Test hook: forget the refusals asked for. */
  clearRefusals(): void {
    this.rejectOnce.clear();
  }

  /** Test hook: the next rows carrying each of these codes are refused (retRslt 0), `times` times each. */
  refuseCodesOnce(codes: Iterable<string>, times = 1): void {
    for (const c of codes) this.rejectOnce.set(c, (this.rejectOnce.get(c) ?? 0) + times);
  }

  sale(env: RequestEnvelope, row: SalesRow, refuse: () => boolean): Verdict {
    return this.judge(env, '3505', row, refuse, () => this.acceptSale(env, row));
  }

  saleReturn(env: RequestEnvelope, row: SalesReturnRow, refuse: () => boolean): Verdict {
    return this.judge(env, '3506', row, refuse, () => this.acceptReturn(env, row));
  }

  /** A batch in one transaction, each row in its own savepoint: a refused row undoes only itself. */
  batch<T>(rows: readonly T[], one: (row: T) => Verdict): { result: Verdict[] } {
    return this.db.transaction(() => ({ result: rows.map(one) })).immediate();
  }

  /** A classic single-row call: a refusal is the call's business error. */
  single(verdict: Verdict): null {
    if (verdict.retRslt === '0') throw new BusinessError(verdict.msgRslt);
    return null;
  }

  summary(fixmedinsCode?: string): SalesReportSummary {
    const where = fixmedinsCode ? 'WHERE fixmedins_code = ?' : '';
    const args = fixmedinsCode ? [fixmedinsCode] : [];
    const rows = this.db.prepare(`SELECT kind, count(*) AS n, sum(codes) AS codes, sum(repeats) AS repeats FROM sales_report_row ${where} GROUP BY kind`).all(...args) as Array<{ kind: string; n: number; codes: number; repeats: number }>;
    const of = (kind: string) => rows.find((r) => r.kind === kind) ?? { n: 0, codes: 0, repeats: 0 };
    const sold = (this.db.prepare(`SELECT count(*) AS n FROM traced_package ${where ? `${where} AND` : 'WHERE'} state = 'sold'`).get(...args) as { n: number }).n;
    const refusals = (this.db.prepare(`SELECT count(*) AS n FROM sales_report_refusal ${where}`).get(...args) as { n: number }).n;
    return {
      saleRows: of('sale').n, returnRows: of('return').n, codesReported: of('sale').codes, codesReturned: of('return').codes,
      packagesSold: sold, repeatsAnswered: of('sale').repeats + of('return').repeats, refusals,
    };
  }

  /** Every accepted sale row's codes, for tests: code → how many accepted sale rows carry it. */
  codeCounts(fixmedinsCode: string): Map<string, number> {
    const counts = new Map<string, number>();
    const rows = this.db.prepare("SELECT row_json FROM sales_report_row WHERE fixmedins_code = ? AND kind = 'sale'").all(fixmedinsCode) as Array<{ row_json: string }>;
    for (const r of rows) for (const c of (JSON.parse(r.row_json) as SalesRow).drugtracinfo) counts.set(c.drug_trac_codg, (counts.get(c.drug_trac_codg) ?? 0) + 1);
    return counts;
  }

  /** 3513-style look-up of one code: its state at the platform. */
  codeState(code: string): { state: 'sold' | 'returned' | 'unknown'; split: boolean; timesSold: number } {
    const row = this.db.prepare('SELECT state, split, times_sold FROM traced_package WHERE code = ?').get(code) as { state: 'sold' | 'returned'; split: number; times_sold: number } | undefined;
    return row ? { state: row.state, split: row.split === 1, timesSold: row.times_sold } : { state: 'unknown', split: false, timesSold: 0 };
  }

  private judge(env: RequestEnvelope, infno: string, row: SalesRow | SalesReturnRow, refuse: () => boolean, accept: () => void): Verdict {
    const bchno = row.fixmedins_bchno;
    const refused = (message: string): Verdict => {
      this.db.prepare('INSERT INTO sales_report_refusal (fixmedins_code, bchno, infno, message, at) VALUES (?, ?, ?, ?, ?)').run(env.fixmedins_code, bchno, infno, message, this.clock().toISOString());
      return { fixmedins_bchno: bchno, retRslt: '0', msgRslt: message };
    };
    const marked = row.drugtracinfo.find((c) => this.rejectOnce.has(c.drug_trac_codg));
    if (marked) {
      const left = this.rejectOnce.get(marked.drug_trac_codg)! - 1;
      if (left > 0) this.rejectOnce.set(marked.drug_trac_codg, left);
      else this.rejectOnce.delete(marked.drug_trac_codg);
      return refused('模拟行级拒绝（沙箱测试）');
    }
    if (refuse()) return refused('模拟行级拒绝（沙箱故障注入）');
    try {
      this.db.transaction(accept)();
      return { fixmedins_bchno: bchno, retRslt: '1', msgRslt: '' };
    } catch (error) {
      if (error instanceof BusinessError) return refused(error.message);
      throw error;
    }
  }

  /** True when this exact row was accepted before (answered again, stored once). */
  private repeat(env: RequestEnvelope, bchno: string, hash: string): boolean {
    const existing = this.db.prepare('SELECT row_hash FROM sales_report_row WHERE fixmedins_code = ? AND bchno = ?').get(env.fixmedins_code, bchno) as { row_hash: string } | undefined;
    if (!existing) return false;
    if (existing.row_hash !== hash) throw new BusinessError(`定点医药机构批次流水号 ${bchno} 已上传，且内容与原记录不同`);
    this.db.prepare('UPDATE sales_report_row SET repeats = repeats + 1 WHERE fixmedins_code = ? AND bchno = ?').run(env.fixmedins_code, bchno);
    return true;
  }

  private codesOf(row: SalesRow | SalesReturnRow): string[] {
    const codes = row.drugtracinfo.map((c) => c.drug_trac_codg);
    for (const c of codes) if (!PLATFORM_CODE.test(c)) throw new BusinessError(`追溯码 ${c} 格式错误：应为以 8 开头的 20 位数字`);
    if (new Set(codes).size !== codes.length) throw new BusinessError('同一行中追溯码重复');
    if (row.trdn_flag === '0' && codes.length > 0 && (!/^\d+(\.0+)?$/.test(row.sel_retn_cnt) || Number(row.sel_retn_cnt) !== codes.length)) {
      throw new BusinessError(`整盒销售的追溯码个数 ${codes.length} 与数量 ${row.sel_retn_cnt} 不符`);
    }
    if (row.trdn_flag === '1' && codes.length > 1) throw new BusinessError('拆零销售只能有一个追溯码（所拆的那一盒）');
    return codes;
  }

  private acceptSale(env: RequestEnvelope, row: SalesRow): void {
    const hash = rowHash(row);
    if (this.repeat(env, row.fixmedins_bchno, hash)) return;
    if (row.setl_id === '' && row.mdtrt_setl_type !== '2') throw new BusinessError('医保结算的销售必须填写结算ID (setl_id)');
    if (row.setl_id !== '') {
      const s = this.db.prepare('SELECT psn_no, status FROM settlement WHERE setl_id = ? AND fixmedins_code = ?').get(row.setl_id, env.fixmedins_code) as { psn_no: string; status: string } | undefined;
      if (!s) throw new BusinessError(`结算ID ${row.setl_id} 不存在：不能上报未结算的销售`);
      if (s.status === 'reversed') throw new BusinessError(`结算ID ${row.setl_id} 已冲正`);
      if (row.psn_no !== '' && row.psn_no !== s.psn_no) throw new BusinessError('人员编号与结算记录不符');
    }
    const codes = this.codesOf(row);
    const now = this.clock().toISOString();
    const find = this.db.prepare('SELECT state, split, bchno, fixmedins_code FROM traced_package WHERE code = ?');
    for (const c of codes) {
      const known = find.get(c) as { state: string; split: number; bchno: string; fixmedins_code: string } | undefined;
      if (known?.state === 'sold' && !(row.trdn_flag === '1' && known.split === 1 && known.fixmedins_code === env.fixmedins_code)) {
        throw new BusinessError(`追溯码 ${c} 已有销售记录且未退货（疑似重复销售/串换）`);
      }
      this.db.prepare(`INSERT INTO traced_package (code, state, split, fixmedins_code, bchno, times_sold, updated_at) VALUES (?, 'sold', ?, ?, ?, 1, ?)
        ON CONFLICT (code) DO UPDATE SET state = 'sold', split = excluded.split, fixmedins_code = excluded.fixmedins_code, bchno = excluded.bchno,
          times_sold = times_sold + 1, updated_at = excluded.updated_at`).run(c, row.trdn_flag === '1' ? 1 : 0, env.fixmedins_code, row.fixmedins_bchno, now);
    }
    this.db.prepare(`INSERT INTO sales_report_row (fixmedins_code, bchno, kind, setl_id, row_hash, row_json, codes, msgid, received_at)
      VALUES (?, ?, 'sale', ?, ?, ?, ?, ?, ?)`).run(env.fixmedins_code, row.fixmedins_bchno, row.setl_id, hash, JSON.stringify(row), codes.length, env.msgid, now);
  }

  private acceptReturn(env: RequestEnvelope, row: SalesReturnRow): void {
    const hash = rowHash(row);
    if (this.repeat(env, row.fixmedins_bchno, hash)) return;
    const sale = this.db.prepare("SELECT setl_id, row_json FROM sales_report_row WHERE fixmedins_code = ? AND bchno = ? AND kind = 'sale'").get(env.fixmedins_code, row.medins_prod_sel_no) as { setl_id: string; row_json: string } | undefined;
    if (!sale) throw new BusinessError(`商品销售流水号 ${row.medins_prod_sel_no || '(空)'} 没有已上报的销售记录`);
    if (sale.setl_id !== row.setl_id) throw new BusinessError('退货的结算ID与原销售不符');
    if (row.setl_id !== '') {
      const s = this.db.prepare('SELECT status FROM settlement WHERE setl_id = ?').get(row.setl_id) as { status: string } | undefined;
      if (s?.status !== 'cancelled') throw new BusinessError(`结算ID ${row.setl_id} 尚未撤销 (2103)：先退费再上报退货`);
    }
    const codes = this.codesOf(row);
    const soldCodes = new Set((JSON.parse(sale.row_json) as SalesRow).drugtracinfo.map((c) => c.drug_trac_codg));
    const now = this.clock().toISOString();
    for (const c of codes) {
      if (!soldCodes.has(c)) throw new BusinessError(`追溯码 ${c} 不属于原销售记录`);
      this.db.prepare("UPDATE traced_package SET state = 'returned', updated_at = ? WHERE code = ? AND split = 0").run(now, c);
    }
    this.db.prepare(`INSERT INTO sales_report_row (fixmedins_code, bchno, kind, setl_id, row_hash, row_json, codes, msgid, received_at)
      VALUES (?, ?, 'return', ?, ?, ?, ?, ?, ?)`).run(env.fixmedins_code, row.fixmedins_bchno, row.setl_id, hash, JSON.stringify(row), codes.length, env.msgid, now);
  }
}

function rowHash(row: unknown): string {
  return createHash('sha256').update(JSON.stringify(row)).digest('hex');
}
