// The sandbox centre's business logic, one method per transaction, over its own SQLite database.
// Transport-free: server.ts wraps it in HTTP and fault injection. Every money-moving transaction is
// one SQLite transaction, deduplicated by msgid (2102, 2103) or by the original msgid (2601).
import { institutionOfTrainingDoctor } from '../../core/policy/training-doctors';
import { createHash, randomBytes } from 'node:crypto';
import { type RequestEnvelope } from '../../core/centre/envelope';
import { formatCompact, formatDateTime, formatDay } from '../../core/centre/time';
import { hospLvOfLevel } from '../../core/centre/tx/institution';
import { type CancelInput, type ReverseInput } from '../../core/centre/tx/cancel';
import { type CumulativeInput } from '../../core/centre/tx/cumulative';
import {
  catalogueFileText, type CatalogueDownloadInput, type CatalogueInfno, type DictionaryInput,
} from '../../core/centre/tx/catalogue';
import {
  type EprescriptionDownloadInput, type EprescriptionQrInput, type EprescriptionQueryInput, type EprescriptionReviewInput, type EprescriptionRevocation, type EprescriptionWriteOffInput,
} from '../../core/centre/tx/eprescription';
import { addDays } from '../../core/checkout/prescription';
import { type InstitutionInfoInput } from '../../core/centre/tx/institution';
import { type PersonInfoInput } from '../../core/centre/tx/person';
import { type QuerySettlementInput } from '../../core/centre/tx/query';
import {
  parseDetailFile, resultFileText, type DetailInput, type DetailResultRow, type FileDownloadInput, type FileUploadInput, type TotalsInput,
} from '../../core/centre/tx/reconcile';
import { type SettleInput } from '../../core/centre/tx/settle';
import { type SignInInput, type SignOutInput } from '../../core/centre/tx/sign';
import { fmt, money, sum, ZERO } from '../../core/money/money';
import { parsePolicyPackage, type PolicyPackage } from '../../core/policy/package';
import { type z } from 'zod';
import { type Db } from '../db/open';
import { readZip, writeZip } from '../centre/zip';
import {
  parseTrainingQr, TRAINING_RX_ITEMS, TRAINING_RX_OLD_DAYS, TRAINING_RX_PRESCRIBER, TRAINING_RX_VALID_DAYS, trainingRxNo,
} from './eprescription';
import { SANDBOX_PSN_TYPE, SandboxHilist } from './hilist';
import { BusinessError, priceSettlement, settleOutput, type CatalogueRow, type InstitutionRow, type PersonRow } from './pricing';

type Parsed<T extends z.ZodType> = z.output<T>;

interface EprescriptionRow {
  epc_token: string; epc_qrcd: string; fixmedins_code: string; psn_no: string; issuer_code: string; hi_rxno: string;
  prsc_time: string; valid_days: number; items_json: string; decoded_at: string; kind: 'token' | 'auth'; used_at: string | null;
}

interface SettlementRow {
  setl_id: string; mdtrt_id: string; msgid: string; fixmedins_code: string; psn_no: string; request_hash: string; output_json: string;
  medfee_sumamt: string; fund_pay_sumamt: string; acct_pay: string; psn_cash_pay: string; insutype: string; clr_optins: string;
  setl_time: string; setl_day: string; year: number; deductible: string; status: 'settled' | 'cancelled' | 'reversed';
}

export class SandboxCentre {
  private packageCache: PolicyPackage[] | null = null;

  /** 1312 / 1319 (native/sandbox/hilist.ts). */
  readonly hilist: SandboxHilist;

  constructor(readonly db: Db, private readonly clock: () => Date = () => new Date()) {
    this.hilist = new SandboxHilist(db, clock);
  }

  // ── session ────────────────────────────────────────────────────────────────────────────────────
  signIn(env: RequestEnvelope, input: Parsed<typeof SignInInput>) {
    const now = this.clock();
    const signNo = `${formatCompact(now)}${randomBytes(8).toString('hex')}`.slice(0, 30);
    this.db.prepare('INSERT INTO sign_in (sign_no, fixmedins_code, opter_no, signed_in_at) VALUES (?, ?, ?, ?)').run(signNo, env.fixmedins_code, input.signIn.opter_no, now.toISOString());
    return { signinoutb: { sign_time: formatDateTime(now), sign_no: signNo } };
  }

  signOut(env: RequestEnvelope, input: Parsed<typeof SignOutInput>) {
    const now = this.clock();
    const done = this.db.prepare('UPDATE sign_in SET signed_out_at = ? WHERE sign_no = ? AND fixmedins_code = ? AND signed_out_at IS NULL').run(now.toISOString(), input.signOut.sign_no, env.fixmedins_code);
    if (done.changes === 0) throw new BusinessError('签到流水号不存在或已签退');
    return { signoutoutb: { sign_time: formatDateTime(now) } };
  }

  /**
   * Business transactions need a live sign-in of the same institution and operator, made today
   * (China time): a sign-in from an earlier day is stale, as on the platforms that expire it daily.
   */
  checkSignIn(env: RequestEnvelope): void {
    const row = this.db.prepare('SELECT opter_no, signed_in_at FROM sign_in WHERE sign_no = ? AND fixmedins_code = ? AND signed_out_at IS NULL').get(env.sign_no, env.fixmedins_code) as { opter_no: string; signed_in_at: string } | undefined;
    if (!row) throw new BusinessError('未签到或签到已失效，请先签到 (9001)');
    if (formatDay(new Date(row.signed_in_at)) !== formatDay(this.clock())) throw new BusinessError('签到已失效（非当日签到），请重新签到 (9001)');
    if (row.opter_no !== env.opter) throw new BusinessError(`签到流水号不属于经办人 ${env.opter}，请该经办人签到 (9001)`);
  }

  /** Training and tests: every live sign-in becomes yesterday's, so the next call is refused as stale. */
  ageSignIns(): number {
    const yesterday = new Date(this.clock().getTime() - 86_400_000).toISOString();
    return this.db.prepare('UPDATE sign_in SET signed_in_at = ? WHERE signed_out_at IS NULL').run(yesterday).changes;
  }

  /** Live sign-ins per operator (tests, the summary). */
  liveSignIns(): Array<{ sign_no: string; opter_no: string }> {
    return this.db.prepare('SELECT sign_no, opter_no FROM sign_in WHERE signed_out_at IS NULL ORDER BY signed_in_at').all() as Array<{ sign_no: string; opter_no: string }>;
  }

  // ── reference data ─────────────────────────────────────────────────────────────────────────────
  personInfo(_env: RequestEnvelope, input: Parsed<typeof PersonInfoInput>) {
    const d = input.data;
    const column = d.mdtrt_cert_type === '01' ? 'ec_token' : d.mdtrt_cert_type === '02' ? 'certno' : 'card_no';
    const person = this.db.prepare(`SELECT * FROM person WHERE ${column} = ?`).get(d.mdtrt_cert_no) as PersonRow | undefined;
    if (!person) throw new BusinessError('未查询到人员参保信息');
    if (d.mdtrt_cert_type === '03' && d.card_sn !== person.card_sn) throw new BusinessError('社会保障卡识别码不符');
    const today = formatDay(this.clock());
    return {
      baseinfo: {
        psn_no: person.psn_no, psn_cert_type: '01', certno: person.certno, psn_name: person.psn_name, gend: person.gend,
        naty: '01', brdy: person.brdy, age: String(ageOn(person.brdy, today)),
      },
      insuinfo: [{
        balc: person.balance, insutype: person.insutype, psn_type: person.psn_type,
        psn_insu_stas: person.suspended ? '2' : '1', psn_insu_date: '2015-01-01', paus_insu_date: person.suspended ? '2024-01-01' : '',
        cvlserv_flag: '0', insuplc_admdvs: person.insuplc_admdvs, emp_name: person.emp_name,
      }],
      idetinfo: [],
    };
  }

  institutionInfo(_env: RequestEnvelope, input: Parsed<typeof InstitutionInfoInput>) {
    const m = input.medinsinfo;
    const rows = (m.fixmedins_code !== ''
      ? this.db.prepare('SELECT * FROM institution WHERE code = ? AND designated = 1').all(m.fixmedins_code)
      : this.db.prepare("SELECT * FROM institution WHERE designated = 1 AND name LIKE '%' || ? || '%' ORDER BY code LIMIT 50").all(m.fixmedins_name)) as InstitutionRow[];
    return {
      medinsinfo: rows.map((r) => ({
        fixmedins_code: r.code, fixmedins_name: r.name, uscc: '', fixmedins_type: r.kind === 'pharmacy' ? '2' : '1',
        hosp_lv: r.level === null ? '11' : hospLvOfLevel(r.level),
      })),
    };
  }

  // ── settlement ─────────────────────────────────────────────────────────────────────────────────
  preSettle(_env: RequestEnvelope, input: SettleInput) {
    const person = this.person(input.druginfo.psn_no);
    const priced = priceSettlement(input, person, (c) => this.catalogueItem(c), this.issuer(input), this.packages());
    return settleOutput(input, person, priced, { setlId: null, mdtrtId: '', msgid: '', setlTime: formatDateTime(this.clock()) });
  }

  settle(env: RequestEnvelope, input: SettleInput) {
    const hash = requestHash(input);
    return this.db.transaction(() => {
      const existing = this.db.prepare('SELECT * FROM settlement WHERE msgid = ?').get(env.msgid) as SettlementRow | undefined;
      if (existing) {
        // The same message again (a retry after a lost reply): answer what was booked, book nothing.
        if (existing.request_hash !== hash) throw new BusinessError(`报文ID ${env.msgid} 已使用，且内容与原报文不同`);
        if (existing.status === 'reversed') throw new BusinessError(`报文ID ${env.msgid} 对应的结算已冲正`);
        return JSON.parse(existing.output_json) as unknown;
      }
      if (this.db.prepare('SELECT 1 FROM reversal WHERE omsgid = ?').get(env.msgid)) throw new BusinessError(`报文ID ${env.msgid} 已被冲正，不能再结算`);
      const person = this.person(input.druginfo.psn_no);
      const hiRxno = this.eprescriptionFilled(input);
      const priced = priceSettlement(input, person, (c) => this.catalogueItem(c), this.issuer(input), this.packages());
      const now = this.clock();
      const serial = this.next('settlement');
      const ids = { setlId: `S${formatCompact(now).slice(0, 8)}${String(serial).padStart(10, '0')}`, mdtrtId: `M${formatCompact(now).slice(0, 8)}${String(serial).padStart(10, '0')}`, msgid: env.msgid, setlTime: formatDateTime(now) };
      const output = settleOutput(input, person, priced, ids);
      const r = priced.result;
      this.db.prepare(`INSERT INTO settlement (setl_id, mdtrt_id, msgid, fixmedins_code, psn_no, request_hash, output_json, medfee_sumamt,
          fund_pay_sumamt, acct_pay, psn_cash_pay, insutype, clr_optins, setl_time, setl_day, year, deductible, status, hi_rxno)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'settled', ?)`)
        .run(ids.setlId, ids.mdtrtId, env.msgid, env.fixmedins_code, person.psn_no, hash, JSON.stringify(output), r.total, r.fund, r.account, r.cash,
          person.insutype, person.insuplc_admdvs, ids.setlTime, ids.setlTime.slice(0, 10), priced.year, r.deductible, hiRxno);
      this.db.prepare('UPDATE person SET balance = ?, ytd_year = ?, deductible_met = ?, fund_paid = ? WHERE psn_no = ?')
        .run(fmt(money(person.balance).minus(money(r.account))), priced.year, r.year.deductibleMet, r.year.fundPaid, person.psn_no);
      return output;
    }).immediate();
  }

  cancel(env: RequestEnvelope, input: Parsed<typeof CancelInput>) {
    const d = input.data;
    return this.db.transaction(() => {
      const again = this.db.prepare('SELECT output_json, setl_id FROM cancellation WHERE msgid = ?').get(env.msgid) as { output_json: string; setl_id: string } | undefined;
      if (again) {
        if (again.setl_id !== d.setl_id) throw new BusinessError(`报文ID ${env.msgid} 已使用，且内容与原报文不同`);
        return JSON.parse(again.output_json) as unknown;
      }
      if (this.db.prepare('SELECT 1 FROM reversal WHERE omsgid = ?').get(env.msgid)) throw new BusinessError(`报文ID ${env.msgid} 已被冲正`);
      const s = this.db.prepare('SELECT * FROM settlement WHERE setl_id = ? AND mdtrt_id = ? AND psn_no = ?').get(d.setl_id, d.mdtrt_id, d.psn_no) as SettlementRow | undefined;
      if (!s) throw new BusinessError('未找到对应的结算记录');
      if (s.status !== 'settled') throw new BusinessError(s.status === 'cancelled' ? '该结算已撤销' : '该结算已冲正');
      const now = this.clock();
      this.undoSettlement(s);
      this.db.prepare("UPDATE settlement SET status = 'cancelled' WHERE setl_id = ?").run(s.setl_id);
      const person = this.person(s.psn_no);
      const neg = (v: string): string => fmt(money(v).negated());
      const output = {
        setlinfo: {
          setl_id: s.setl_id, mdtrt_id: s.mdtrt_id, medfee_sumamt: neg(s.medfee_sumamt), fund_pay_sumamt: neg(s.fund_pay_sumamt),
          psn_pay: neg(fmt(money(s.acct_pay).plus(money(s.psn_cash_pay)))), acct_pay: neg(s.acct_pay), cash_payamt: neg(s.psn_cash_pay),
          balc: person.balance, setl_time: formatDateTime(now), medins_setl_id: env.msgid, clr_optins: s.clr_optins,
        },
        setldetail: [],
      };
      this.db.prepare("INSERT INTO cancellation (msgid, setl_id, output_json, cancelled_at, cancel_day, status) VALUES (?, ?, ?, ?, ?, 'done')")
        .run(env.msgid, s.setl_id, JSON.stringify(output), now.toISOString(), formatDay(now));
      return output;
    }).immediate();
  }

  /** 2601 by the original msgid. Reversing a message the centre never saw leaves a tombstone, so the
   *  original can never be booked if it arrives late; reversing twice is harmless. */
  reverse(env: RequestEnvelope, input: Parsed<typeof ReverseInput>) {
    const d = input.data;
    return this.db.transaction(() => {
      const done = this.db.prepare('SELECT oinfno, psn_no FROM reversal WHERE omsgid = ?').get(d.omsgid) as { oinfno: string; psn_no: string } | undefined;
      if (done) {
        if (done.oinfno !== d.oinfno || done.psn_no !== d.psn_no) throw new BusinessError('原报文已冲正，且冲正内容不符');
        return null;
      }
      const now = this.clock().toISOString();
      let effect: 'undone' | 'tombstone' = 'tombstone';
      if (d.oinfno === '2102') {
        const s = this.db.prepare('SELECT * FROM settlement WHERE msgid = ?').get(d.omsgid) as SettlementRow | undefined;
        if (s) {
          if (s.psn_no !== d.psn_no) throw new BusinessError('原交易人员编号不符');
          if (s.status === 'cancelled') throw new BusinessError('原结算已撤销，不能冲正');
          this.undoSettlement(s);
          this.db.prepare("UPDATE settlement SET status = 'reversed' WHERE setl_id = ?").run(s.setl_id);
          effect = 'undone';
        }
      } else if (d.oinfno === '2103') {
        const c = this.db.prepare('SELECT * FROM cancellation WHERE msgid = ?').get(d.omsgid) as { setl_id: string } | undefined;
        if (c) {
          const s = this.db.prepare('SELECT * FROM settlement WHERE setl_id = ?').get(c.setl_id) as SettlementRow;
          if (s.psn_no !== d.psn_no) throw new BusinessError('原交易人员编号不符');
          this.redoSettlement(s);
          this.db.prepare("UPDATE settlement SET status = 'settled' WHERE setl_id = ?").run(s.setl_id);
          this.db.prepare("UPDATE cancellation SET status = 'reversed' WHERE msgid = ?").run(d.omsgid);
          effect = 'undone';
        }
      } else {
        throw new BusinessError(`沙箱不支持冲正交易 ${d.oinfno}`);
      }
      this.db.prepare('INSERT INTO reversal (omsgid, oinfno, msgid, psn_no, effect, reversed_at) VALUES (?, ?, ?, ?, ?, ?)').run(d.omsgid, d.oinfno, env.msgid, d.psn_no, effect, now);
      return null;
    }).immediate();
  }

  querySettlement(_env: RequestEnvelope, input: Parsed<typeof QuerySettlementInput>) {
    const d = input.data;
    const s = (d.setl_id !== ''
      ? this.db.prepare("SELECT * FROM settlement WHERE setl_id = ? AND psn_no = ? AND status != 'reversed'").get(d.setl_id, d.psn_no)
      : this.db.prepare("SELECT * FROM settlement WHERE msgid = ? AND psn_no = ? AND status != 'reversed'").get(d.medins_setl_id, d.psn_no)) as SettlementRow | undefined;
    if (!s || (d.mdtrt_id !== '' && s.mdtrt_id !== d.mdtrt_id)) return { setlinfo: null, setldetail: [] };
    const output = JSON.parse(s.output_json) as { setlinfo: unknown; setldetail: unknown };
    return { setlinfo: output.setlinfo, setldetail: output.setldetail };
  }

  /**
   * 5206: the person's running totals as the centre holds them, from every pharmacy's settlements
   * (so a purchase elsewhere shows here). One row per figure for the current month, with the codes
   * of core/centre/tx/cumulative.ts: Q0000 起付线累计, D<insutype>101 统筹基金累计, S0000 费用累计.
   */
  cumulativeInfo(_env: RequestEnvelope, input: Parsed<typeof CumulativeInput>) {
    const person = this.person(input.data.psn_no);
    const now = this.clock();
    const year = Number(formatDay(now).slice(0, 4));
    const cumYm = input.data.cum_ym !== '' ? input.data.cum_ym : formatDay(now).slice(0, 7).replace('-', '');
    if (person.ytd_year !== year || Number(cumYm.slice(0, 4)) !== year) return { cuminfo: [] };
    const fees = this.db.prepare("SELECT medfee_sumamt FROM settlement WHERE psn_no = ? AND year = ? AND status = 'settled'").pluck().all(person.psn_no, year) as string[];
    const row = (code: string, cum: string) => ({ insutype: person.insutype, year: String(year), cum_ym: cumYm, cum_type_code: code, cum });
    return {
      cuminfo: [
        row('Q0000', person.deductible_met),
        row(`D${person.insutype}101`, person.fund_paid),
        row('S0000', fmt(sum(fees.map((f) => money(f))))),
      ],
    };
  }

  // ── reconciliation ─────────────────────────────────────────────────────────────────────────────
  reconcileTotals(env: RequestEnvelope, input: Parsed<typeof TotalsInput>) {
    const d = input.data;
    const centre = this.totals(env.fixmedins_code, d.insutype, d.setl_optins, d.stmt_begndate, d.stmt_enddate, d.refd_setl_flag !== '0');
    const balanced = centre.count === d.fixmedins_setl_cnt && centre.medfee.equals(money(d.medfee_sumamt))
      && centre.fund.equals(money(d.fund_pay_sumamt)) && centre.acct.equals(money(d.acct_pay));
    return {
      stmtinfo: {
        setl_optins: d.setl_optins,
        stmt_rslt: balanced ? '0' : '1',
        stmt_rslt_dscr: balanced ? '对账平' : `对账不平: 中心 ${centre.count} 笔, 医疗费总额 ${fmt(centre.medfee)}, 基金支付 ${fmt(centre.fund)}, 个人账户 ${fmt(centre.acct)}`,
      },
    };
  }

  uploadFile(env: RequestEnvelope, input: Parsed<typeof FileUploadInput>) {
    const bytes = Buffer.from(input.fsUploadIn.in, 'base64');
    const fileQuryNo = this.storeFile(input.fsUploadIn.filename, env.fixmedins_code, bytes);
    return { file_qury_no: fileQuryNo, filename: input.fsUploadIn.filename, dld_endtime: formatDateTime(new Date(this.clock().getTime() + 86_400_000)) };
  }

  /** 3202: compares the store's detail file with the centre's settlements and publishes a result file. */
  reconcileDetails(env: RequestEnvelope, input: Parsed<typeof DetailInput>) {
    const d = input.data;
    const file = this.db.prepare('SELECT bytes FROM file_store WHERE file_qury_no = ? AND fixmedins_code = ?').get(d.file_qury_no, env.fixmedins_code) as { bytes: Buffer } | undefined;
    if (!file) throw new BusinessError(`文件查询号不存在: ${d.file_qury_no}`);
    let storeRows;
    try {
      const entries = readZip(file.bytes);
      if (entries.length !== 1) throw new Error(`expected one file, found ${entries.length}`);
      storeRows = parseDetailFile(entries[0]!.data.toString('utf8'));
    } catch (error) {
      throw new BusinessError(`明细文件无法解析: ${error instanceof Error ? error.message : String(error)}`);
    }
    const centreRows = this.db.prepare(`SELECT * FROM settlement WHERE fixmedins_code = ? AND clr_optins = ? AND setl_day BETWEEN ? AND ?
        AND status != 'reversed' ORDER BY setl_id`).all(env.fixmedins_code, d.setl_optins, d.stmt_begndate, d.stmt_enddate) as SettlementRow[];
    const bySetlId = new Map(centreRows.map((r) => [r.setl_id, r]));
    const results: DetailResultRow[] = [];
    for (const row of storeRows) {
      const c = bySetlId.get(row.setl_id);
      bySetlId.delete(row.setl_id);
      if (!c) {
        results.push({ psn_no: row.psn_no, mdtrt_id: row.mdtrt_id, setl_id: row.setl_id, msgid: '', stmt_rslt: '2', refd_setl_flag: row.refd_setl_flag, memo: '医药机构多', medfee_sumamt: row.medfee_sumamt, fund_pay_sumamt: row.fund_pay_sumamt, acct_pay: row.acct_pay });
        continue;
      }
      const same = money(c.medfee_sumamt).equals(money(row.medfee_sumamt)) && money(c.fund_pay_sumamt).equals(money(row.fund_pay_sumamt)) && money(c.acct_pay).equals(money(row.acct_pay))
        && (c.status === 'cancelled') === (row.refd_setl_flag === '1');
      results.push({ psn_no: c.psn_no, mdtrt_id: c.mdtrt_id, setl_id: c.setl_id, msgid: c.msgid, stmt_rslt: same ? '0' : '3', refd_setl_flag: c.status === 'cancelled' ? '1' : '0', memo: same ? '对平' : '数据不一致', medfee_sumamt: c.medfee_sumamt, fund_pay_sumamt: c.fund_pay_sumamt, acct_pay: c.acct_pay });
    }
    for (const c of bySetlId.values()) {
      results.push({ psn_no: c.psn_no, mdtrt_id: c.mdtrt_id, setl_id: c.setl_id, msgid: c.msgid, stmt_rslt: '1', refd_setl_flag: c.status === 'cancelled' ? '1' : '0', memo: '中心多', medfee_sumamt: c.medfee_sumamt, fund_pay_sumamt: c.fund_pay_sumamt, acct_pay: c.acct_pay });
    }
    const filename = `3202-result-${d.stmt_begndate}-${d.stmt_enddate}.txt`;
    const zip = writeZip([{ name: filename, data: Buffer.from(resultFileText(results), 'utf8') }]);
    const fileQuryNo = this.storeFile(`${filename}.zip`, env.fixmedins_code, zip);
    return { fileinfo: { file_qury_no: fileQuryNo, filename: `${filename}.zip`, dld_endtime: formatDateTime(new Date(this.clock().getTime() + 86_400_000)) } };
  }

  /** 9102: the file's bytes (the server sends them as application/octet-stream). */
  downloadFile(env: RequestEnvelope, input: Parsed<typeof FileDownloadInput>): Buffer {
    const file = this.db.prepare('SELECT bytes FROM file_store WHERE file_qury_no = ? AND fixmedins_code = ?').get(input.fsDownloadIn.file_qury_no, env.fixmedins_code) as { bytes: Buffer } | undefined;
    if (!file) throw new BusinessError(`文件不存在或已过期: ${input.fsDownloadIn.file_qury_no}`);
    return file.bytes;
  }

  // ── catalogues (1301/1306, files through 9102) and dictionaries (1901) ────────────────────────────
  /**
   * 1301/1306: the rows of the first version newer than data.ver, as a zip of tab-separated rows in
   * the default layout (core/centre/tx/catalogue.ts); data_cnt 0 (and an empty file) when none is newer.
   */
  catalogueDownload(env: RequestEnvelope, infno: CatalogueInfno, input: Parsed<typeof CatalogueDownloadInput>) {
    const ver = input.data.ver;
    if (!/^\d{1,15}$/.test(ver)) throw new BusinessError(`版本号无效: ${ver}`);
    const kinds = infno === '1301' ? ['drug'] : ['consumable', 'device'];
    const marks = kinds.map(() => '?').join(', ');
    const next = (this.db.prepare(`SELECT min(ver) AS v FROM catalogue WHERE kind IN (${marks}) AND ver > ?`).get(...kinds, Number(ver)) as { v: number | null }).v;
    const rows = next === null ? [] : this.db.prepare(`SELECT * FROM catalogue WHERE kind IN (${marks}) AND ver = ? ORDER BY code`).all(...kinds, next) as Array<CatalogueRow & { ver: number; vali_flag: string }>;
    const text = catalogueFileText(infno, rows.map((r) => ({
      code: r.code, name: r.name, listClass: r.list_class, selfPayRatio: r.selfpay_ratio, valid: r.vali_flag !== '0', rid: `R${infno}${r.code}`.slice(0, 40), ver: String(r.ver),
    })));
    const filename = `${infno}-${next ?? ver}.txt`;
    const fileQuryNo = this.storeFile(`${filename}.zip`, env.fixmedins_code, writeZip([{ name: filename, data: Buffer.from(text, 'utf8') }]));
    return { file_qury_no: fileQuryNo, filename: `${filename}.zip`, dld_end_time: formatDateTime(new Date(this.clock().getTime() + 86_400_000)), data_cnt: rows.length };
  }

  /** Training and tests: a catalogue row published in a new version (the next 1301/1306 download gets it). */
  publishCatalogueRow(row: { code: string; name: string; listClass: 'A' | 'B' | 'C'; selfPayRatio: string | null; limitPrice?: string | null; kind: 'drug' | 'device' | 'consumable' | 'other' }): number {
    const ver = (this.db.prepare('SELECT coalesce(max(ver), 0) + 1 AS v FROM catalogue').get() as { v: number }).v;
    this.db.prepare(`INSERT INTO catalogue (code, name, list_class, selfpay_ratio, limit_price, kind, ver) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (code) DO UPDATE SET name = excluded.name, list_class = excluded.list_class, selfpay_ratio = excluded.selfpay_ratio,
          limit_price = excluded.limit_price, kind = excluded.kind, ver = excluded.ver`)
      .run(row.code, row.name, row.listClass, row.selfPayRatio, row.limitPrice ?? null, row.kind, ver);
    // Its 先自付比例 row (1319) follows: the ratio for 乙 with one, otherwise no longer valid.
    this.hilist.publishSelfPay({ code: row.code, psnType: SANDBOX_PSN_TYPE, ratio: row.selfPayRatio ?? '0', rid: `R1319${row.code}`, valid: row.listClass === 'B' && row.selfPayRatio !== null });
    return ver;
  }

  /** 1901: one type's entries (parentValue and valiFlag filter as given). */
  dictionary(_env: RequestEnvelope, input: Parsed<typeof DictionaryInput>) {
    const d = input.data;
    const rows = this.db.prepare(`SELECT * FROM dictionary WHERE type = ? AND (? = '' OR parent_value = ?) AND (? = '' OR vali_flag = ?) ORDER BY sort`)
      .all(d.type, d.parentValue, d.parentValue, d.valiFlag, d.valiFlag) as Array<{ type: string; value: string; label: string; parent_value: string; sort: number; vali_flag: string; version: string }>;
    return {
      list: rows.map((r) => ({
        type: r.type, label: r.label, value: r.value, parentValue: r.parent_value, sort: r.sort, valiFlag: r.vali_flag,
        createUser: 'sandbox', createDate: '2024-01-01 00:00:00', version: r.version,
      })),
    };
  }

  // ── electronic prescriptions (the training QR format is in ./eprescription.ts) ──────────────────
  /** 7201: a training QR → a fresh token for this pharmacy, remembered with the prescription it names. */
  decodeEprescriptionQr(env: RequestEnvelope, input: Parsed<typeof EprescriptionQrInput>) {
    const qr = input.data.epc_qrcd;
    const fixtures = this.db.prepare('SELECT fixture_id FROM person').pluck().all() as string[];
    const issuers = this.db.prepare('SELECT code FROM institution').pluck().all() as string[];
    const parsed = parseTrainingQr(qr, fixtures, issuers);
    if (!parsed) throw new BusinessError('电子处方二维码无效或已失效，请让患者刷新处方二维码后重新扫描');
    const person = this.db.prepare('SELECT * FROM person WHERE fixture_id = ?').get(parsed.fixtureId) as PersonRow;
    const now = this.clock();
    const issuedAt = parsed.old ? new Date(now.getTime() - TRAINING_RX_OLD_DAYS * 86_400_000) : now;
    const token = `EPC${formatCompact(now)}${randomBytes(12).toString('hex')}`;
    this.db.prepare(`INSERT INTO eprescription (epc_token, epc_qrcd, fixmedins_code, psn_no, issuer_code, hi_rxno, prsc_time, valid_days, items_json, decoded_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(token, qr, env.fixmedins_code, person.psn_no, parsed.issuerCode, trainingRxNo(qr), formatDateTime(issuedAt), TRAINING_RX_VALID_DAYS,
        JSON.stringify(TRAINING_RX_ITEMS), now.toISOString());
    return { epc_token: token, cert_type: '01', name: person.psn_name, certno: person.certno, insuplc_admdvs: person.insuplc_admdvs };
  }

  /**
   * 7202: the prescription waiting for the person the credential names (as 1101 finds them), under
   * a fresh one-time auth_rxno for this pharmacy. Training rule: the waiting prescription is the one
   * the QR `RX-<fixtureId>-<issuer>-7202` names, issued today by the highest-level designated training
   * institution of the person's city (docs/centre-and-sync.md); a person whose city has none has none.
   */
  queryEprescription(env: RequestEnvelope, input: Parsed<typeof EprescriptionQueryInput>) {
    const d = input.data;
    const column = d.mdtrt_cert_type === '01' ? 'ec_token' : d.mdtrt_cert_type === '02' ? 'certno' : 'card_no';
    const person = this.db.prepare(`SELECT * FROM person WHERE ${column} = ?`).get(d.mdtrt_cert_no) as PersonRow | undefined;
    if (!person) throw new BusinessError('未查询到人员参保信息');
    if (d.mdtrt_cert_type === '03' && d.card_sn !== person.card_sn) throw new BusinessError('社会保障卡识别码不符');
    if (person.insuplc_admdvs !== d.insuplc_admdvs) throw new BusinessError(`参保地医保区划 ${d.insuplc_admdvs} 与就诊凭证所属人员不符`);
    const issuer = this.db.prepare("SELECT * FROM institution WHERE designated = 1 AND substr(admdvs, 1, 4) = ? AND level IS NOT NULL ORDER BY level DESC, code LIMIT 1")
      .get(person.insuplc_admdvs.slice(0, 4)) as InstitutionRow | undefined;
    if (!issuer) throw new BusinessError('未查询到该参保人待取药的电子处方');
    const now = this.clock();
    const qr = `RX-${person.fixture_id}-${issuer.code}-7202`;
    const authRxno = `AUTH${formatCompact(now)}${randomBytes(6).toString('hex').toUpperCase()}`.slice(0, 30);
    const prscTime = `${formatDay(now)} 08:00:00`;
    this.db.prepare(`INSERT INTO eprescription (epc_token, epc_qrcd, fixmedins_code, psn_no, issuer_code, hi_rxno, prsc_time, valid_days, items_json, decoded_at, kind)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'auth')`)
      .run(authRxno, qr, env.fixmedins_code, person.psn_no, issuer.code, trainingRxNo(qr), prscTime, TRAINING_RX_VALID_DAYS, JSON.stringify(TRAINING_RX_ITEMS), now.toISOString());
    return {
      auth_rxno: authRxno, diag_name: '【培训】高血压', fixmedins_code: issuer.code, fixmedins_name: issuer.name, prsc_time: prscTime,
      dept_name: '【培训】全科', valid_end_time: `${addDays(formatDay(now), TRAINING_RX_VALID_DAYS - 1)} 23:59:59`,
    };
  }

  /**
   * 7203: the prescription behind a token this pharmacy decoded (7201) or an auth_rxno it was given
   * (7202). An auth_rxno is good for one download [P: "只一次使用"]; a token for as many as needed.
   */
  downloadEprescription(env: RequestEnvelope, input: Parsed<typeof EprescriptionDownloadInput>) {
    const d = input.data;
    const byAuth = d.epc_token === '';
    const rx = this.db.prepare('SELECT * FROM eprescription WHERE epc_token = ? AND fixmedins_code = ? AND kind = ?')
      .get(byAuth ? d.auth_rxno : d.epc_token, env.fixmedins_code, byAuth ? 'auth' : 'token') as EprescriptionRow | undefined;
    if (!rx) throw new BusinessError(byAuth ? '医保处方授权编号不存在，请重新查询电子处方 (7202)' : '电子处方令牌不存在或已失效，请重新扫描处方二维码');
    if (byAuth && rx.used_at !== null) throw new BusinessError('医保处方授权编号已使用（只能使用一次），请重新查询电子处方 (7202)');
    this.refuseRevoked(rx.hi_rxno);
    const person = this.person(rx.psn_no);
    if (person.insuplc_admdvs !== d.insuplc_admdvs) throw new BusinessError(`参保地医保区划 ${d.insuplc_admdvs} 与处方所属人员不符`);
    if (byAuth) this.db.prepare('UPDATE eprescription SET used_at = ? WHERE epc_token = ? AND kind = ?').run(this.clock().toISOString(), rx.epc_token, 'auth');
    const issuer = this.db.prepare('SELECT * FROM institution WHERE code = ?').get(rx.issuer_code) as InstitutionRow;
    const items = JSON.parse(rx.items_json) as string[];
    return {
      data: {
        hi_rxno: rx.hi_rxno, fixmedins_code: issuer.code, fixmedins_name: issuer.name, prsc_time: rx.prsc_time,
        valid_days: rx.valid_days, valid_end_time: `${addDays(rx.prsc_time.slice(0, 10), rx.valid_days - 1)} 23:59:59`,
        ...(() => { const f = this.fills(rx.hi_rxno); return { rept_flag: f.reptFlag, max_rept_cnt: f.maxReptCnt, reptd_cnt: f.writtenOff }; })(),
      },
      rxdrugdetail: items.map((code) => ({ med_list_codg: code, drug_genname: this.catalogueItem(code)?.name ?? '', drug_spec: '' })),
      mdtrtinfo: { psn_no: person.psn_no, certno: person.certno, prsc_dr_name: TRAINING_RX_PRESCRIBER, prsc_dept_name: '【培训】全科' },
      diseinfo: [],
    };
  }

  /**
   * The e-prescription a 2102 fills (a line's rxno with rx_circ_flag 1 naming a decoded prescription),
   * refused when its fills are used up: once for a single-use prescription, max_rept_cnt for a
   * reusable one (rept_flag 1). A settlement cancelled (2103) or reversed (2601) gives its fill back.
   */
  private eprescriptionFilled(input: SettleInput): string | null {
    const rxno = input.drugdetail.find((l) => l.rx_circ_flag === '1' && l.rxno !== '')?.rxno;
    if (!rxno) return null;
    const rx = this.db.prepare('SELECT psn_no FROM eprescription WHERE hi_rxno = ? LIMIT 1').get(rxno) as { psn_no: string } | undefined;
    if (!rx) return null; // a paper prescription number
    if (rx.psn_no !== input.druginfo.psn_no) throw new BusinessError(`电子处方 ${rxno} 不属于参保人 ${input.druginfo.psn_no}`);
    this.refuseRevoked(rxno);
    const { used, allowed } = this.fills(rxno);
    if (used >= allowed) throw new BusinessError(`电子处方 ${rxno} 已取药 ${used} 次（限 ${allowed} 次），不能再次结算`);
    return rxno;
  }

  /**
   * Training prescriptions are single-use (rept_flag 0). `used` counts the booked settlements against
   * the prescription (2102 reserves a fill, so a second settlement is refused before any write-off);
   * `writtenOff` counts the 7206 write-offs whose settlement still stands: that is reptd_cnt in 7203.
   * A refund (2103) or reversal (2601) of the settlement gives the fill back on both counts — the
   * sandbox's rule; how a real centre undoes a write-off is [U] (docs/centre-and-sync.md).
   */
  private fills(hiRxno: string): { used: number; writtenOff: number; allowed: number; reptFlag: '0' | '1'; maxReptCnt: number } {
    const used = (this.db.prepare("SELECT count(*) AS n FROM settlement WHERE hi_rxno = ? AND status = 'settled'").get(hiRxno) as { n: number }).n;
    const writtenOff = (this.db.prepare(`SELECT count(*) AS n FROM eprescription_writeoff w JOIN settlement s ON s.setl_id = w.setl_id AND s.fixmedins_code = w.fixmedins_code
      WHERE w.hi_rxno = ? AND s.status = 'settled'`).get(hiRxno) as { n: number }).n;
    return { used, writtenOff, allowed: 1, reptFlag: '0', maxReptCnt: 0 };
  }

  /**
   * 7206: a fill of a prescription this pharmacy downloaded, written off against one of its settlements
   * of that prescription. A repeated msgid, or the same settlement again with the same content, is
   * answered as the first time without counting twice; beyond the allowed fills it is refused.
   */
  writeOffEprescription(env: RequestEnvelope, input: Parsed<typeof EprescriptionWriteOffInput>) {
    const d = input.data;
    const hash = requestHash(input);
    const byMsgid = this.db.prepare('SELECT request_hash FROM eprescription_writeoff WHERE msgid = ?').get(env.msgid) as { request_hash: string } | undefined;
    const repeat = (): null => {
      this.db.prepare('UPDATE eprescription_writeoff SET repeats = repeats + 1 WHERE fixmedins_code = ? AND setl_id = ?').run(env.fixmedins_code, d.setl_id);
      return null;
    };
    if (byMsgid) {
      if (byMsgid.request_hash !== hash) throw new BusinessError(`报文ID ${env.msgid} 已使用，且内容与原报文不同`);
      return repeat();
    }
    const bySetl = this.db.prepare('SELECT request_hash FROM eprescription_writeoff WHERE fixmedins_code = ? AND setl_id = ?').get(env.fixmedins_code, d.setl_id) as { request_hash: string } | undefined;
    if (bySetl) {
      if (bySetl.request_hash !== hash) throw new BusinessError(`结算 ${d.setl_id} 已核销，且内容与原核销不同`);
      return repeat();
    }
    const rx = this.db.prepare('SELECT * FROM eprescription WHERE hi_rxno = ? AND fixmedins_code = ? LIMIT 1').get(d.hi_rxno, env.fixmedins_code) as EprescriptionRow | undefined;
    if (!rx) throw new BusinessError(`电子处方 ${d.hi_rxno} 不存在，或不是本机构下载的`);
    const downloaded = this.db.prepare('SELECT 1 FROM eprescription WHERE hi_rxno = ? AND fixmedins_code = ? AND epc_token = ?').get(d.hi_rxno, env.fixmedins_code, d.download_ide_code);
    if (!downloaded) throw new BusinessError('下载处方时的识别码 (download_ide_code) 与本机构下载该处方的令牌或授权编号不符');
    this.refuseRevoked(d.hi_rxno);
    const { writtenOff, allowed } = this.fills(d.hi_rxno);
    if (writtenOff >= allowed) throw new BusinessError(`电子处方 ${d.hi_rxno} 已核销 ${writtenOff} 次（限 ${allowed} 次），不能再次核销`);
    const setl = this.db.prepare('SELECT status, hi_rxno FROM settlement WHERE setl_id = ? AND fixmedins_code = ?').get(d.setl_id, env.fixmedins_code) as { status: string; hi_rxno: string | null } | undefined;
    if (!setl || setl.hi_rxno !== d.hi_rxno) throw new BusinessError(`结算 ${d.setl_id} 不存在，或不是电子处方 ${d.hi_rxno} 的结算`);
    if (setl.status !== 'settled') throw new BusinessError(`结算 ${d.setl_id} 已撤销，不能核销`);
    this.db.prepare(`INSERT INTO eprescription_writeoff (fixmedins_code, hi_rxno, setl_id, msgid, request_hash, input_json, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(env.fixmedins_code, d.hi_rxno, d.setl_id, env.msgid, hash, JSON.stringify(input), this.clock().toISOString());
    return null;
  }

  /**
   * 7204: the pharmacist's review of a prescription this pharmacy downloaded, kept as received (the
   * latest counts). Whether a centre refuses a settlement or a write-off without an accepted review
   * is [U] (no source says): the sandbox does not, the till does (docs/centre-and-sync.md).
   */
  reviewEprescription(env: RequestEnvelope, input: Parsed<typeof EprescriptionReviewInput>) {
    const d = input.data;
    const rx = this.db.prepare('SELECT 1 FROM eprescription WHERE hi_rxno = ? AND fixmedins_code = ? LIMIT 1').get(d.hi_rxno, env.fixmedins_code);
    if (!rx) throw new BusinessError(`电子处方 ${d.hi_rxno} 不存在，或不是本机构下载的`);
    this.db.prepare('INSERT INTO eprescription_review (fixmedins_code, hi_rxno, msgid, status, opinion, phar_name, reviewed_at, received_at, input_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(env.fixmedins_code, d.hi_rxno, env.msgid, d.rx_chk_stas_codg, d.rx_chk_opnn, d.phar_name, d.rx_chk_time, this.clock().toISOString(), JSON.stringify(input));
    return null;
  }

  /** Training and tests: the reviews this centre received for a prescription, oldest first. */
  reviews(hiRxno: string): Array<{ status: string; opinion: string; phar_name: string; reviewed_at: string }> {
    return this.db.prepare('SELECT status, opinion, phar_name, reviewed_at FROM eprescription_review WHERE hi_rxno = ? ORDER BY id').all(hiRxno) as Array<{ status: string; opinion: string; phar_name: string; reviewed_at: string }>;
  }

  /** Training and tests: the 7204 messages this centre received for a prescription, as received, oldest first. */
  reviewInputs(hiRxno: string): Array<Record<string, unknown>> {
    return (this.db.prepare('SELECT input_json FROM eprescription_review WHERE hi_rxno = ? ORDER BY id').all(hiRxno) as Array<{ input_json: string }>)
      .map((r) => JSON.parse(r.input_json) as Record<string, unknown>);
  }

  /**
   * Training control, playing the prescribing hospital: 7104 电子处方撤销 (fields S1 YG7104.cs [P]).
   * The prescription must be one this centre issued (a training QR decoded or looked up). Revoking
   * twice keeps the first revocation. From then on 7203, 2102 and 7206 of it are refused — the
   * sandbox's rule [U]: which of them a real centre refuses is not public.
   */
  revokeEprescription(input: EprescriptionRevocation): { hi_rxno: string; revoked_at: string } {
    const known = this.db.prepare('SELECT 1 FROM eprescription WHERE hi_rxno = ? LIMIT 1').get(input.hi_rxno);
    if (!known) throw new BusinessError(`电子处方 ${input.hi_rxno} 不存在`);
    this.db.prepare(`INSERT INTO eprescription_revocation (hi_rxno, prsc_dr_name, undo_dr_cert_type, undo_dr_certno, undo_rea, undo_time, received_at)
      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hi_rxno) DO NOTHING`)
      .run(input.hi_rxno, input.prsc_dr_name, input.undo_dr_cert_type, input.undo_dr_certno, input.undo_rea, input.undo_time, this.clock().toISOString());
    const row = this.db.prepare('SELECT undo_time FROM eprescription_revocation WHERE hi_rxno = ?').get(input.hi_rxno) as { undo_time: string };
    return { hi_rxno: input.hi_rxno, revoked_at: row.undo_time };
  }

  /** A revoked prescription: the centre's refusal names the revocation's reason and time. */
  private refuseRevoked(hiRxno: string): void {
    const r = this.db.prepare('SELECT undo_rea, undo_time FROM eprescription_revocation WHERE hi_rxno = ?').get(hiRxno) as { undo_rea: string; undo_time: string } | undefined;
    if (r) throw new BusinessError(`电子处方 ${hiRxno} 已被开方医院撤销（${r.undo_time}，原因：${r.undo_rea}），不能下载、结算或核销`);
  }

  /** Training and tests: the write-offs this centre holds for a prescription. */
  writeOffs(hiRxno: string): Array<{ setl_id: string; msgid: string; repeats: number; input: unknown }> {
    return (this.db.prepare('SELECT setl_id, msgid, repeats, input_json FROM eprescription_writeoff WHERE hi_rxno = ? ORDER BY id').all(hiRxno) as Array<{ setl_id: string; msgid: string; repeats: number; input_json: string }>)
      .map((r) => ({ setl_id: r.setl_id, msgid: r.msgid, repeats: r.repeats, input: JSON.parse(r.input_json) as unknown }));
  }

  // ── policy packages the sandbox publishes ──────────────────────────────────────────────────────
  publishPackage(json: unknown): PolicyPackage {
    const pkg = parsePolicyPackage(json, 'sandbox publish');
    this.db.prepare('INSERT OR REPLACE INTO policy_package (id, region, package_json, published_at) VALUES (?, ?, ?, ?)').run(pkg.id, pkg.region.code, JSON.stringify(pkg), this.clock().toISOString());
    this.packageCache = null;
    return pkg;
  }

  packages(): PolicyPackage[] {
    this.packageCache ??= (this.db.prepare('SELECT package_json FROM policy_package ORDER BY published_at, id').all() as Array<{ package_json: string }>)
      .map((r) => parsePolicyPackage(JSON.parse(r.package_json), 'sandbox'));
    return this.packageCache;
  }

  // ── helpers ────────────────────────────────────────────────────────────────────────────────────
  private person(psnNo: string): PersonRow {
    const person = this.db.prepare('SELECT * FROM person WHERE psn_no = ?').get(psnNo) as PersonRow | undefined;
    if (!person) throw new BusinessError(`人员编号不存在: ${psnNo}`);
    return person;
  }

  private catalogueItem(code: string): CatalogueRow | undefined {
    return this.db.prepare('SELECT * FROM catalogue WHERE code = ?').get(code) as CatalogueRow | undefined;
  }

  /**
   * The external prescription's issuer. An e-prescription names it through the fields every edition
   * defines: drugdetail.rxno = the 医保处方编号 (hi_rxno) this centre handed out in 7203, with
   * rx_circ_flag 1. A paper prescription names it through its prescriber: bilg_dr_codg, the 医保医师代码,
   * which this centre's training register ties to an institution (core/policy/training-doctors.ts). A
   * prescription with neither is no prescription to the fund.
   */
  private issuer(input: SettleInput): InstitutionRow | null {
    const circulated = input.drugdetail.find((l) => l.rx_circ_flag === '1');
    if (!circulated) return null;
    const registered = circulated.rxno === '' ? undefined
      : this.db.prepare('SELECT issuer_code FROM eprescription WHERE hi_rxno = ? AND psn_no = ? ORDER BY decoded_at DESC LIMIT 1').get(circulated.rxno, input.druginfo.psn_no) as { issuer_code: string } | undefined;
    let code = registered?.issuer_code ?? null;
    if (code === null && circulated.bilg_dr_codg !== '') {
      code = institutionOfTrainingDoctor(circulated.bilg_dr_codg);
      if (code === null) throw new BusinessError(`医保医师代码不存在: ${circulated.bilg_dr_codg}`);
    }
    if (code === null) return null;
    const row = this.db.prepare('SELECT * FROM institution WHERE code = ?').get(code) as InstitutionRow | undefined;
    if (!row) throw new BusinessError(`处方开具机构不存在: ${code}`);
    return row;
  }

  private next(name: string): number {
    const row = this.db.prepare('INSERT INTO counter (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value').get(name) as { value: number };
    return row.value;
  }

  private storeFile(filename: string, fixmedinsCode: string, bytes: Buffer): string {
    const fileQuryNo = `F${formatCompact(this.clock())}${String(this.next('file')).padStart(8, '0')}`;
    this.db.prepare('INSERT INTO file_store (file_qury_no, filename, fixmedins_code, bytes, created_at) VALUES (?, ?, ?, ?, ?)').run(fileQuryNo, filename, fixmedinsCode, bytes, this.clock().toISOString());
    return fileQuryNo;
  }

  /** Gives back what a settlement took from the person's account and year totals. */
  private undoSettlement(s: SettlementRow): void {
    const p = this.person(s.psn_no);
    const sameYear = p.ytd_year === s.year;
    this.db.prepare('UPDATE person SET balance = ?, deductible_met = ?, fund_paid = ? WHERE psn_no = ?').run(
      fmt(money(p.balance).plus(money(s.acct_pay))),
      sameYear ? fmt(maxZero(money(p.deductible_met).minus(money(s.deductible)))) : p.deductible_met,
      sameYear ? fmt(maxZero(money(p.fund_paid).minus(money(s.fund_pay_sumamt)))) : p.fund_paid,
      s.psn_no,
    );
  }

  private redoSettlement(s: SettlementRow): void {
    const p = this.person(s.psn_no);
    const sameYear = p.ytd_year === s.year;
    this.db.prepare('UPDATE person SET balance = ?, deductible_met = ?, fund_paid = ? WHERE psn_no = ?').run(
      fmt(money(p.balance).minus(money(s.acct_pay))),
      sameYear ? fmt(money(p.deductible_met).plus(money(s.deductible))) : p.deductible_met,
      sameYear ? fmt(money(p.fund_paid).plus(money(s.fund_pay_sumamt))) : p.fund_paid,
      s.psn_no,
    );
  }

  private totals(fixmedinsCode: string, insutype: string, setlOptins: string, from: string, to: string, includeRefunds: boolean) {
    const rows = this.db.prepare(`SELECT * FROM settlement WHERE fixmedins_code = ? AND insutype = ? AND clr_optins = ? AND setl_day BETWEEN ? AND ?
        AND status ${includeRefunds ? "IN ('settled', 'cancelled')" : "= 'settled'"}`).all(fixmedinsCode, insutype, setlOptins, from, to) as SettlementRow[];
    // With refunds, a cancelled settlement counts twice (sale and refund) and nets to zero.
    const sign = (r: SettlementRow) => (includeRefunds && r.status === 'cancelled' ? 0 : 1);
    return {
      count: rows.reduce((n, r) => n + (includeRefunds && r.status === 'cancelled' ? 2 : 1), 0),
      medfee: sum(rows.map((r) => money(r.medfee_sumamt).times(sign(r)))),
      fund: sum(rows.map((r) => money(r.fund_pay_sumamt).times(sign(r)))),
      acct: sum(rows.map((r) => money(r.acct_pay).times(sign(r)))),
    };
  }

  /** Counts and sums for tests and the CLI (amounts as two-decimal strings). */
  summary(): { settled: number; cancelled: number; reversed: number; medfee: string; fund: string; acct: string; cash: string; msgids: string[] } {
    const rows = this.db.prepare('SELECT msgid, status, medfee_sumamt, fund_pay_sumamt, acct_pay, psn_cash_pay FROM settlement ORDER BY setl_id').all() as SettlementRow[];
    const live = rows.filter((r) => r.status === 'settled');
    return {
      settled: live.length,
      cancelled: rows.filter((r) => r.status === 'cancelled').length,
      reversed: rows.filter((r) => r.status === 'reversed').length,
      medfee: fmt(sum(live.map((r) => money(r.medfee_sumamt)))),
      fund: fmt(sum(live.map((r) => money(r.fund_pay_sumamt)))),
      acct: fmt(sum(live.map((r) => money(r.acct_pay)))),
      cash: fmt(sum(live.map((r) => money(r.psn_cash_pay)))),
      msgids: live.map((r) => r.msgid),
    };
  }
}

function requestHash(input: unknown): string {
  return createHash('sha256').update(JSON.stringify(input)).digest('hex');
}

function maxZero(v: ReturnType<typeof money>) {
  return v.isNegative() ? ZERO : v;
}

function ageOn(brdy: string, today: string): number {
  const [by, bm, bd] = brdy.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

