// The sandbox's side of the inventory uploads 3501 盘存, 3502 库存变更, 3503 采购, 3504 采购退货 and
// 3507 删除 (one row per call, `infcode` only). The edition's field set was already checked by the
// gateway (openMessage against the selected profile); this records every accepted row and applies
// the rules a platform would (beyond the field list they are [U]; these are the ones the issue names):
//   - a message is keyed by institution + msgid: the same msgid again with the same row is answered
//     as accepted and stored once; the same msgid with another row is refused (the row's batch
//     serial is the stock batch, so it cannot key an upload);
//   - 3502 codes are 20 digits starting with 8, each once per row;
//   - a 3504 naming its purchase (medins_prod_purc_no) names a 3503 of that institution;
//   - 3507 deletes a live row of that batch serial and data type (1 盘存, 2 库存变更, 3 采购/退货,
//     4 销售); nothing to delete is refused.
import { createHash } from 'node:crypto';
import { type RequestEnvelope } from '../../core/centre/envelope';
import { type InventoryInfno } from '../../core/centre/tx/stock';
import { type Db } from '../db/open';
import { BusinessError } from './pricing';

const PLATFORM_CODE = /^8\d{19}$/;
const TYPE_OF: Record<Exclude<InventoryInfno, '3507'>, string> = { '3501': '1', '3502': '2', '3503': '3', '3504': '3' };

export interface InventorySummary {
  /** Live (not deleted) rows per infno. */
  readonly rows: Record<string, number>;
  readonly deleted: number;
  readonly repeatsAnswered: number;
  readonly refusals: number;
}

export class SandboxInventory {
  private readonly refuseOnce = new Map<string, number>();

  constructor(private readonly db: Db, private readonly clock: () => Date) {}

  /** Test hook: the next `times` rows of this batch serial are refused. */
  refuseBatchOnce(bchno: string, times = 1): void {
    this.refuseOnce.set(bchno, (this.refuseOnce.get(bchno) ?? 0) + times);
  }

  /** One classic call. Throws BusinessError (infcode -1) for a refused row; nothing of it is kept. */
  upload(env: RequestEnvelope, infno: InventoryInfno, row: Record<string, unknown>, refuse: () => boolean): null {
    const bchno = String(row.fixmedins_bchno ?? '');
    const refused = (message: string): never => {
      this.db.prepare('INSERT INTO inventory_refusal (fixmedins_code, msgid, infno, bchno, message, at) VALUES (?, ?, ?, ?, ?, ?)').run(env.fixmedins_code, env.msgid, infno, bchno, message, this.clock().toISOString());
      throw new BusinessError(message);
    };
    const hash = createHash('sha256').update(JSON.stringify({ infno, row })).digest('hex');
    const again = this.db.prepare('SELECT row_hash FROM inventory_row WHERE fixmedins_code = ? AND msgid = ?').get(env.fixmedins_code, env.msgid) as { row_hash: string } | undefined;
    if (again) {
      if (again.row_hash !== hash) refused(`报文ID ${env.msgid} 已使用，且内容与原报文不同`);
      this.db.prepare('UPDATE inventory_row SET repeats = repeats + 1 WHERE fixmedins_code = ? AND msgid = ?').run(env.fixmedins_code, env.msgid);
      return null;
    }
    const marked = this.refuseOnce.get(bchno);
    if (marked !== undefined) {
      if (marked > 1) this.refuseOnce.set(bchno, marked - 1); else this.refuseOnce.delete(bchno);
      refused('模拟行级拒绝（沙箱测试）');
    }
    if (refuse()) refused('模拟行级拒绝（沙箱故障注入）');
    const problem = this.check(env, infno, row);
    if (problem) refused(problem);
    const now = this.clock().toISOString();
    this.db.transaction(() => {
      if (infno === '3507') {
        const type = String(row.inv_data_type);
        // A deleted sale row (type 4) is only recorded here: the sales ledger keeps its packages.
        if (type !== '4') this.db.prepare("UPDATE inventory_row SET deleted_at = ? WHERE fixmedins_code = ? AND bchno = ? AND data_type = ? AND deleted_at IS NULL").run(now, env.fixmedins_code, bchno, type);
      }
      this.db.prepare(`INSERT INTO inventory_row (fixmedins_code, msgid, infno, bchno, data_type, row_hash, row_json, repeats, received_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)`).run(env.fixmedins_code, env.msgid, infno, bchno, infno === '3507' ? '' : TYPE_OF[infno], hash, JSON.stringify(row), now);
    })();
    return null;
  }

  private check(env: RequestEnvelope, infno: InventoryInfno, row: Record<string, unknown>): string | null {
    const bchno = String(row.fixmedins_bchno ?? '');
    switch (infno) {
      case '3502': {
        const codes = ((row.drugtracinfo ?? []) as Array<{ drug_trac_codg: string }>).map((c) => c.drug_trac_codg);
        const bad = codes.find((c) => !PLATFORM_CODE.test(c));
        if (bad !== undefined) return `追溯码 ${bad} 格式错误：应为以 8 开头的 20 位数字`;
        if (new Set(codes).size !== codes.length) return '同一行中追溯码重复';
        return null;
      }
      case '3504': {
        const purchase = String(row.medins_prod_purc_no ?? '');
        if (purchase !== '' && !this.db.prepare("SELECT 1 FROM inventory_row WHERE fixmedins_code = ? AND bchno = ? AND infno = '3503' AND deleted_at IS NULL").get(env.fixmedins_code, purchase)) {
          return `商品采购流水号 ${purchase} 没有已上传的采购记录`;
        }
        return null;
      }
      case '3507': {
        const type = String(row.inv_data_type);
        const live = type === '4'
          ? this.db.prepare("SELECT 1 FROM sales_report_row WHERE fixmedins_code = ? AND bchno = ? AND kind = 'sale'").get(env.fixmedins_code, bchno)
          : this.db.prepare('SELECT 1 FROM inventory_row WHERE fixmedins_code = ? AND bchno = ? AND data_type = ? AND deleted_at IS NULL').get(env.fixmedins_code, bchno, type);
        return live ? null : `批次流水号 ${bchno} 没有可删除的进销存记录（类型 ${type}）`;
      }
      default:
        return null;
    }
  }

  summary(fixmedinsCode: string): InventorySummary {
    const rows: Record<string, number> = {};
    for (const r of this.db.prepare("SELECT infno, count(*) AS n FROM inventory_row WHERE fixmedins_code = ? AND deleted_at IS NULL AND infno != '3507' GROUP BY infno").all(fixmedinsCode) as Array<{ infno: string; n: number }>) rows[r.infno] = r.n;
    const deleted = (this.db.prepare("SELECT count(*) AS n FROM inventory_row WHERE fixmedins_code = ? AND infno = '3507'").get(fixmedinsCode) as { n: number }).n;
    const repeats = (this.db.prepare('SELECT coalesce(sum(repeats), 0) AS n FROM inventory_row WHERE fixmedins_code = ?').get(fixmedinsCode) as { n: number }).n;
    const refusals = (this.db.prepare('SELECT count(*) AS n FROM inventory_refusal WHERE fixmedins_code = ?').get(fixmedinsCode) as { n: number }).n;
    return { rows, deleted, repeatsAnswered: repeats, refusals };
  }

  /** Every row received (deleted ones too), for tests. */
  received(fixmedinsCode: string): Array<{ infno: string; bchno: string; msgid: string; deleted: boolean; row: Record<string, unknown> }> {
    return (this.db.prepare('SELECT infno, bchno, msgid, deleted_at, row_json FROM inventory_row WHERE fixmedins_code = ? ORDER BY received_at, msgid').all(fixmedinsCode) as Array<{ infno: string; bchno: string; msgid: string; deleted_at: string | null; row_json: string }>)
      .map((r) => ({ infno: r.infno, bchno: r.bchno, msgid: r.msgid, deleted: r.deleted_at !== null, row: JSON.parse(r.row_json) as Record<string, unknown> }));
  }
}
