// The cashier's job as use cases: identify → prescription → basket → pre-settle → settle → refund.
// Online, the centre is the authority (1101, 2101, 2102, 2103). Offline, the store prices with its
// cached policy and the person's last known totals, books a provisional settlement under its risk
// limits (or sells as self-pay), and the sync engine takes it to the centre exactly once later.
import { randomBytes } from 'node:crypto';
import { type CardReaderPort } from '../../../core/card/port';
import { settleInputFromBasket } from '../../../core/centre/build';
import { CentreInputError } from '../../../core/centre/client';
import { type CentreOutcome } from '../../../core/centre/outcome';
import { type CentrePort } from '../../../core/centre/port';
import { levelOfHospLv } from '../../../core/centre/tx/institution';
import { type SettleOutput } from '../../../core/centre/tx/settle';
import { RX_REVIEW_PASSED, RX_REVIEW_REFUSED } from '../../../core/centre/tx/eprescription';
import { formatDateTime } from '../../../core/centre/time';
import { resolveBasket, type ResolvedLine } from '../../../core/checkout/basket';
import { businessDate } from '../../../core/checkout/business-date';
import { checkPrescription, paperPrescriberProblem, type Institution } from '../../../core/checkout/prescription';
import { receiptHtml } from '../../../core/checkout/receipt';
import { checkProvisionalRisk, type RiskLimits } from '../../../core/checkout/risk';
import { allCash, splitFromQuote, withCashLines } from '../../../core/checkout/split';
import { type Principal } from '../../../core/contracts/auth';
import {
  type BasketRequest, type EprescriptionLookup, type EprescriptionReviewRequest, type IdentifyRequest, PrescriptionRequest, type SaleState, type SaleView, type SplitView, SALE_PAGE_DEFAULT,
} from '../../../core/contracts/checkout';
import { annualCapLeft } from '../../../core/copay/cap';
import { quote } from '../../../core/copay/engine';
import { decimal, fmt, money, sum } from '../../../core/money/money';
import { type Split } from '../../../core/sync/split';
import { relaxedCommit, type Db } from '../../../native/db/open';
import { type PolicyStore } from '../../../native/policy-store/store';
import { type Journal } from '../../../native/store/journal';
import { type SaleRow, type SaleStore, TraceCodeSoldError } from '../../../native/store/sale-store';
import { type SyncEngine } from '../../../native/sync/engine';
import { type SettlementRecord, type SettlementStore } from '../../../native/sync/settlement-store';
import { ApiError } from '../http/errors';
import { OneAtATime } from './one-at-a-time';
import { CHAIN_UNCHECKED, TraceCodeChecks } from './trace-codes';
import { type SaleReporting } from '../trace/reporting';
import { type Credential, NoInsuranceError, PersonRecord, personFromCentre, personView } from './person';
import { readCentreYear, yearBasis, yearBasisLine } from './ytd';
import { type ChainSoldCode } from '../../../core/ledger/port';
import { rxFillsUsedUp } from '../../../core/checkout/eprescription-fills';

export interface CheckoutDeps {
  readonly db: Db;
  readonly sales: SaleStore;
  readonly policy: PolicyStore;
  readonly settlements: SettlementStore;
  readonly sync: SyncEngine;
  readonly centre: CentrePort;
  readonly journal: Journal;
  readonly reader: () => CardReaderPort | null;
  readonly terminalId: string;
  readonly store: { readonly code: string; readonly name: string };
  readonly riskLimits: () => RiskLimits;
  /** Days an external prescription may be filled, by the patient's insured region. */
  readonly rxValidityDays: (region: string) => number;
  readonly now: () => Date;
  /** Published after every change of a sale (for the live event stream). */
  readonly onChange?: (sale: SaleView) => void;
  /** 进销存 sales reporting (3505/3506): rows queued with the settlement, voided or returned with it. */
  readonly reports?: SaleReporting;
  /** The edition has 7204: a downloaded e-prescription is settled only after an accepted 审方. */
  readonly requireRxReview?: boolean;
  /**
   * With a store ledger: of these codes, the first sold by another till of the chain and not
   * returned (null: none). Rejects when the ledger does not answer in time; absent without a ledger.
   */
  readonly soldInChain?: (codes: readonly string[]) => Promise<ChainSoldCode | null>;
}

interface PrescriptionState {
  entry: PrescriptionRequest;
  valid: boolean;
  issuer: Institution | null;
  validUntil: string;
  problems: Array<{ code: string; message: string }>;
  /** Absent on sales saved before scanning existed: paper. */
  source?: 'paper' | 'scanned';
  /** A downloaded e-prescription: the epc_token or auth_rxno it was downloaded with (7206 download_ide_code). */
  downloadId?: string;
  /** Its 审方 as uploaded (7204); a new download starts without one. */
  review?: { approved: boolean; opinion: string; pharmacist: string; recheckPharmacist?: string; at: string };
}

/** What a sale row's JSON columns hold. */
interface SaleData {
  person: { record: PersonRecord; credential: Credential; source: 'centre' | 'cache' } | null;
  prescription: PrescriptionState | null;
  lines: ResolvedLine[];
  split: (SplitView & { mode: 'online' | 'offline'; useAccount: boolean }) | null;
  problems: Array<{ code: string; message: string }>;
}

const EDITABLE: ReadonlySet<string> = new Set(['open', 'presettled']);
const BOOKED: ReadonlySet<string> = new Set(['settled', 'provisional', 'selfpay']);

export class CheckoutService {
  private offlineUntil = 0;
  private readonly settling = new OneAtATime<SaleView>();
  private readonly traceCodes: TraceCodeChecks;

  constructor(private readonly deps: CheckoutDeps) {
    this.traceCodes = new TraceCodeChecks({ isSold: (c) => deps.sales.isSold(c), ...(deps.soldInChain && { soldInChain: deps.soldInChain }) });
  }

  // ── identify ────────────────────────────────────────────────────────────────
  async start(request: IdentifyRequest, principal: Principal): Promise<SaleView> {
    const now = this.deps.now();
    const credential = await this.credentialFor(request);
    const problems: Array<{ code: string; message: string }> = [];
    let person: SaleData['person'] = null;
    let online = false;
    const previous = this.cached(credential);
    if (this.centreMayBeReachable()) {
      const outcome = await this.deps.centre.personInfo({
        data: { mdtrt_cert_type: credential.certType, mdtrt_cert_no: credential.certNo, card_sn: credential.cardSn ?? '' },
      });
      if (outcome.kind === 'ok') {
        online = true;
        this.markReachable();
        try {
          const cardNo = credential.certType === '03' ? credential.certNo : null;
          const bare = personFromCentre(outcome.output, now, cardNo, previous?.record);
          const centreYear = await readCentreYear(this.deps.centre, bare, now);
          const record = centreYear ? personFromCentre(outcome.output, now, cardNo, previous?.record, centreYear) : bare;
          this.deps.sales.cachePerson(record.psnNo, record.idNumber, record.cardNo, record, record.asOf);
          person = { record, credential, source: 'centre' };
        } catch (error) {
          if (error instanceof NoInsuranceError) throw new ApiError(422, 'NO_INSURANCE', error.message);
          throw error;
        }
      } else if (outcome.kind === 'rejected') {
        this.markReachable();
        throw new ApiError(422, 'CENTRE_REJECTED', `医保中心未能识别此人：${outcome.message}。请核对凭证，或按自费销售`);
      } else {
        this.markUnreachable();
      }
    }
    if (!online) {
      if (previous) person = { record: previous.record, credential, source: 'cache' };
      else problems.push({ code: 'PERSON_UNKNOWN_OFFLINE', message: '当前离线，且本店没有此人的联网记录：不能离线暂估医保支付，只能按自费销售，联网后可补结算' });
    }
    const id = `S${businessDate(now).replace(/-/g, '')}-${randomBytes(4).toString('hex').toUpperCase()}`;
    // A new sale is a draft (nothing is owed on it yet): relaxedCommit, see native/db/open.ts.
    relaxedCommit(this.deps.db, () => {
      this.deps.sales.insert({
        id, terminal_id: this.deps.terminalId, operator_id: principal.id, created_at: now.toISOString(), business_date: businessDate(now),
        state: 'open', online: online ? 1 : 0, psn_no: person?.record.psnNo ?? null, person_json: person ? JSON.stringify(person) : null,
      });
      this.deps.sales.update(id, { problems_json: JSON.stringify(problems) });
    });
    return this.view(id);
  }

  private async credentialFor(request: IdentifyRequest): Promise<Credential> {
    if (request.method === 'voucher') return { certType: '01', certNo: request.token, cardSn: null };
    if (request.method === 'idNumber') return { certType: '02', certNo: request.idNumber, cardSn: null };
    const reader = this.deps.reader();
    if (!reader) throw new ApiError(503, 'READER_NOT_CONFIGURED', '本机没有配置读卡器：请技术员在“读卡器设置”中选择端口，或改用电子凭证/身份证号');
    const outcome = await reader.readCard();
    if (!outcome.ok) {
      const status = outcome.error === 'NO_CARD' || outcome.error === 'CARD_REMOVED' || outcome.error === 'NOT_SSCARD' || outcome.error === 'PSAM_REQUIRED' ? 422 : 503;
      throw new ApiError(status, outcome.error, `${readerAdvice(outcome.error)}（${outcome.message}）`);
    }
    return { certType: '03', certNo: outcome.holder.cardNo, cardSn: outcome.holder.cardId };
  }

  private cached(credential: Credential): { record: PersonRecord } | undefined {
    const hit = credential.certType === '03' ? this.deps.sales.cachedPerson({ cardNo: credential.certNo })
      : credential.certType === '02' ? this.deps.sales.cachedPerson({ idNumber: credential.certNo }) : undefined;
    if (!hit) return undefined;
    const parsed = PersonRecord.safeParse(hit.record);
    return parsed.success ? { record: parsed.data } : undefined;
  }

  // ── prescription ────────────────────────────────────────────────────────────
  async setPrescription(id: string, entry: PrescriptionRequest | null): Promise<SaleView> {
    return this.applyPrescription(id, entry, 'paper');
  }

  /**
   * A scanned e-prescription QR: 7201 (QR → token) and 7203 (download) turn it into the same entry a
   * cashier would type from paper, which then gets the same checks. Needs the centre: without it the
   * cashier is told to type the paper prescription instead.
   */
  async setScannedPrescription(id: string, qr: string): Promise<SaleView> {
    const { data } = this.editable(id);
    const unavailable = eprescriptionUnavailable;
    const rejected = (message: string): ApiError => new ApiError(422, 'CENTRE_REJECTED', `医保中心未能识别此电子处方：${message}`);
    if (!this.centreMayBeReachable()) throw unavailable();
    const decoded = await editionRefusal(() => this.deps.centre.decodeEprescriptionQr({ data: { epc_qrcd: qr } }));
    if (decoded.kind === 'rejected') { this.markReachable(); throw rejected(decoded.message); }
    if (decoded.kind !== 'ok') { this.markUnreachable(); throw unavailable(); }
    const person = data.person?.record;
    if (person && decoded.output.certno !== '' && decoded.output.certno !== person.idNumber) {
      throw new ApiError(422, 'RX_PERSON_MISMATCH', '这张电子处方不是当前参保人的：请核对患者，或为处方上的患者另开一单');
    }
    return this.downloadAndApply(id, { epc_token: decoded.output.epc_token, insuplc_admdvs: decoded.output.insuplc_admdvs });
  }

  /**
   * 7202: the e-prescription waiting for the patient identified on this sale, looked up by the
   * credential read at identify (no QR). Nothing is saved: the cashier downloads it next with its
   * one-time auth_rxno (setDownloadedPrescription).
   */
  async queryEprescription(id: string): Promise<EprescriptionLookup> {
    const { data } = this.editable(id);
    const person = data.person;
    if (!person) throw new ApiError(409, 'NO_PERSON', '此单没有识别参保人：请先读卡或扫电子凭证，再查询电子处方');
    if (!this.centreMayBeReachable()) throw eprescriptionUnavailable();
    const outcome = await editionRefusal(() => this.deps.centre.queryEprescription({
      data: { mdtrt_cert_type: person.credential.certType, mdtrt_cert_no: person.credential.certNo, card_sn: person.credential.cardSn ?? '', insuplc_admdvs: person.record.region },
    }));
    if (outcome.kind === 'rejected') { this.markReachable(); throw new ApiError(422, 'CENTRE_REJECTED', `医保中心未查到此参保人的电子处方：${outcome.message}`); }
    if (outcome.kind !== 'ok') { this.markUnreachable(); throw eprescriptionUnavailable(); }
    this.markReachable();
    const o = outcome.output;
    return {
      authRxno: o.auth_rxno, issuerCode: o.fixmedins_code, issuerName: o.fixmedins_name, issuedAt: o.prsc_time,
      validEnd: o.valid_end_time, diagnosis: o.diag_name, department: o.dept_name,
    };
  }

  /** 7203 by the auth_rxno a 7202 lookup gave: the same checks as a scanned prescription. */
  async setDownloadedPrescription(id: string, authRxno: string): Promise<SaleView> {
    const { data } = this.editable(id);
    if (!data.person) throw new ApiError(409, 'NO_PERSON', '此单没有识别参保人：请先读卡或扫电子凭证，再下载电子处方');
    if (!this.centreMayBeReachable()) throw eprescriptionUnavailable();
    return this.downloadAndApply(id, { auth_rxno: authRxno, insuplc_admdvs: data.person.record.region });
  }

  /**
   * 7204 审方: the sale operator's 执业药师 (the per-operator setting 3505 uses) reviews the downloaded
   * e-prescription; the result is uploaded before anything is saved. An approved review is what
   * settlement needs (requireRxReview); a refusal is recorded and the sale cannot be settled against it.
   */
  async reviewPrescription(id: string, request: EprescriptionReviewRequest): Promise<SaleView> {
    const { row, data } = this.editable(id);
    const rx = data.prescription;
    if (!rx?.downloadId) throw new ApiError(409, 'RX_NOT_DOWNLOADED', '此单没有下载的电子处方：纸质处方不需要上传审方结果', 'prescription');
    const people = this.deps.reports?.store;
    const pharmacist = people?.pharmacistOf(row.operator_id) ?? null;
    if (!pharmacist) throw new ApiError(409, 'NO_PHARMACIST', `操作员 ${row.operator_id} 没有设置执业药师：请店长在操作员设置中填写后再审方`);
    // 复核药师: the one picked in the review dialog, else the store's default; another operator with a pharmacist setting.
    const recheckId = request.recheckOperatorId === undefined ? people?.recheckPharmacist() ?? null : request.recheckOperatorId;
    const recheck = recheckId === null ? null : people?.pharmacistOf(recheckId) ?? null;
    if (recheckId !== null && !recheck) throw new ApiError(409, 'NO_PHARMACIST', `复核药师 ${recheckId} 没有执业药师设置：请店长在操作员设置中填写，或另选复核药师`, 'recheckOperatorId');
    if (recheckId !== null && recheckId === row.operator_id) throw new ApiError(422, 'RECHECK_SAME_PHARMACIST', '复核药师须是审核药师以外的另一位药师', 'recheckOperatorId');
    if (!this.centreMayBeReachable()) throw new ApiError(503, 'CENTRE_UNAVAILABLE', '医保中心暂时无法连接，不能上传审方结果：请稍后重试');
    const at = formatDateTime(this.deps.now());
    const outcome = await editionRefusal(() => this.deps.centre.reviewEprescription({
      data: {
        hi_rxno: rx.entry.rxNo, phar_name: pharmacist.name, phar_prac_cert_no: pharmacist.certNo,
        phar_cert_type: pharmacist.idType ?? '', phar_certno: pharmacist.idNo ?? '',
        rchk_phar_cert_type: recheck?.idType ?? '', rchk_phar_certno: recheck?.idNo ?? '', rchk_phar_name: recheck?.name.slice(0, 40) ?? '',
        rx_chk_opnn: request.opinion, rx_chk_stas_codg: request.approved ? RX_REVIEW_PASSED : RX_REVIEW_REFUSED, rx_chk_time: at,
      },
    }));
    if (outcome.kind === 'rejected') { this.markReachable(); throw new ApiError(422, 'CENTRE_REJECTED', `医保中心未接受审方结果：${outcome.message}`); }
    if (outcome.kind !== 'ok') { this.markUnreachable(); throw new ApiError(503, 'CENTRE_UNAVAILABLE', '医保中心暂时无法连接，审方结果未确认上传：请稍后重试'); }
    this.markReachable();
    const current = this.editable(id).data.prescription;
    // The prescription changed while the review was on its way: the review was for the old one.
    if (current?.downloadId !== rx.downloadId) throw new ApiError(409, 'RX_CHANGED', '审方期间处方已更换：请对新处方重新审方');
    const review = { approved: request.approved, opinion: request.opinion, pharmacist: pharmacist.name, ...(recheck && { recheckPharmacist: recheck.name }), at };
    this.deps.db.transaction(() => {
      this.deps.sales.update(row.id, { prescription_json: JSON.stringify({ ...current, review }) });
      // Names only: the pharmacists' ID numbers never go to the journal.
      this.deps.journal.append('sale.rx.reviewed', { sale: row.id, rxNo: rx.entry.rxNo, approved: request.approved, pharmacist: pharmacist.name, recheck: recheck?.name ?? null });
    })();
    return this.view(id);
  }

  /** 7203, then the reuse counters, then the paper path's checks. */
  private async downloadAndApply(id: string, by: { epc_token?: string; auth_rxno?: string; insuplc_admdvs: string }): Promise<SaleView> {
    const rejected = (message: string): ApiError => new ApiError(422, 'CENTRE_REJECTED', `医保中心未能识别此电子处方：${message}`);
    const downloaded = await editionRefusal(() => this.deps.centre.downloadEprescription({ data: by }));
    if (downloaded.kind === 'rejected') { this.markReachable(); throw rejected(downloaded.message); }
    if (downloaded.kind !== 'ok') { this.markUnreachable(); throw eprescriptionUnavailable(); }
    this.markReachable();
    const rx = downloaded.output;
    // The centre counts a fill at its write-off (7206); this store's own fills count before theirs arrives.
    const local = this.deps.reports?.writeOffs?.localFills(rx.data.hi_rxno) ?? 0;
    const used = rxFillsUsedUp(local > (rx.data.reptd_cnt ?? 0) ? { ...rx.data, reptd_cnt: local } : rx.data);
    if (used) throw new ApiError(422, 'RX_USED_UP', used);
    // The centre allows a longer prescriber name (50) than the paper form keeps (30).
    const entry = PrescriptionRequest.safeParse({
      issuerCode: rx.data.fixmedins_code, rxNo: rx.data.hi_rxno, issuedOn: rx.data.prsc_time.slice(0, 10),
      prescriber: rx.mdtrtinfo.prsc_dr_name.slice(0, 30), items: [...new Set(rx.rxdrugdetail.map((d) => d.med_list_codg))],
    });
    if (!entry.success) {
      const field = entry.error.issues[0]?.path.join('.') ?? '';
      throw new ApiError(422, 'RX_UNUSABLE', `电子处方的内容无法用于结算（${field}）：请按纸质处方手工录入`);
    }
    return this.applyPrescription(id, entry.data, 'scanned', rx.data.valid_end_time.slice(0, 10), by.epc_token || by.auth_rxno);
  }

  /**
   * The paper path's checks (issuer from the directory or 1201, validity window, designation), then
   * saved. A scanned prescription also has the centre's last valid day: the earlier of the two ends it.
   */
  private async applyPrescription(id: string, entry: PrescriptionRequest | null, source: 'paper' | 'scanned', centreLastDay: string | null = null, downloadId?: string): Promise<SaleView> {
    const { row, data } = this.editable(id);
    let prescription: PrescriptionState | null = null;
    if (entry) {
      const today = businessDate(this.deps.now());
      const issuer = await this.issuer(entry.issuerCode);
      const region = data.person?.record.region ?? '';
      const check = checkPrescription(entry, issuer, today, this.deps.rxValidityDays(region));
      const problems = [...check.problems];
      const paper = source === 'paper' ? paperPrescriberProblem(entry.prescriberCode) : null;
      if (paper) problems.push(paper);
      if (centreLastDay !== null && centreLastDay < today && !problems.some((p) => p.code === 'RX_EXPIRED')) {
        problems.push({ code: 'RX_EXPIRED', message: `电子处方已过医保中心规定的有效期（至 ${centreLastDay}）` });
      }
      const validUntil = centreLastDay !== null && centreLastDay < check.validUntil ? centreLastDay : check.validUntil;
      prescription = { entry, valid: problems.length === 0, issuer: check.issuer, validUntil, problems, source, ...(downloadId && { downloadId }) };
    }
    const lines = data.lines.length ? this.resolve(data.lines, prescription) : [];
    this.deps.sales.updateDraft(row.id, { prescription_json: JSON.stringify(prescription), lines_json: JSON.stringify(lines), state: 'open', split_json: null });
    return this.view(id);
  }

  /** The issuer from the cached directory, refreshed from the centre (1201) when it answers. */
  private async issuer(code: string): Promise<Institution | undefined> {
    const cached = this.deps.policy.institution(code);
    if (cached || !this.centreMayBeReachable()) return cached;
    const outcome = await this.deps.centre.institutionInfo({ medinsinfo: { fixmedins_code: code } });
    if (outcome.kind !== 'ok') {
      if (outcome.kind !== 'rejected') this.markUnreachable();
      return undefined;
    }
    const row = outcome.output.medinsinfo.find((m) => m.fixmedins_code === code);
    const level = row ? levelOfHospLv(row.hosp_lv) : null;
    if (!row || level === null) return undefined;
    // 1201 does not say the price class or the region; a designated institution is what 1201 lists.
    return this.deps.policy.upsertInstitution({ code, name: row.fixmedins_name, region: this.deps.store.code.slice(1, 7).padEnd(6, '0'), level, priceClass: null, designated: true, training: false });
  }

  // ── basket ──────────────────────────────────────────────────────────────────
  async setBasket(id: string, basket: BasketRequest): Promise<SaleView> {
    this.editable(id);
    this.traceCodes.checkLocal(basket);
    const chainCheck = await this.traceCodes.checkChain(basket.lines);
    // Read again after the ledger's answer: the sale may have moved on meanwhile.
    const { row, data } = this.editable(id);
    const lines = this.resolve(basket.lines.map((l) => ({ ...l, traceCodes: [...l.traceCodes] })), data.prescription);
    this.deps.sales.updateDraft(row.id, { lines_json: JSON.stringify(lines), state: 'open', split_json: null });
    return chainCheck ? { ...this.view(id), chainCheck } : this.view(id);
  }

  private resolve(lines: ReadonlyArray<Omit<ResolvedLine, 'amount' | 'catalogueCode' | 'listClass' | 'flags' | 'insured' | 'quoteLine'>>, prescription: PrescriptionState | null): ResolvedLine[] {
    const prescribed = prescription?.valid ? new Set(prescription.entry.items) : null;
    return resolveBasket(lines, (sku) => this.deps.sales.catalogueCodeOf(sku), (code) => this.deps.policy.catalogueItem(code), prescribed);
  }

  // ── pre-settle ──────────────────────────────────────────────────────────────
  async presettle(id: string, useAccount: boolean): Promise<SaleView> {
    const { row, data } = this.editable(id);
    if (data.lines.length === 0) throw new ApiError(409, 'BASKET_EMPTY', '购物车为空：请先扫描商品', 'lines');
    const split = await this.price(data, useAccount);
    this.deps.sales.updateDraft(row.id, { split_json: JSON.stringify(split), state: 'presettled', online: split.mode === 'online' ? 1 : 0 });
    return this.view(id);
  }

  /** The split: the centre's 2101 when online, the local engine otherwise; flagged lines in cash. */
  private async price(data: SaleData, useAccount: boolean): Promise<NonNullable<SaleData['split']>> {
    const insured = data.lines.filter((l) => l.insured);
    if (!data.person || insured.length === 0) {
      const why = data.person ? '没有可由医保结算的商品' : '未能确认参保身份';
      return { ...allCash(data.lines, why), mode: this.centreMayBeReachable() ? 'online' : 'offline', useAccount: false };
    }
    const local = this.localQuote(data, useAccount);
    if (this.centreMayBeReachable()) {
      const outcome = await this.deps.centre.preSettle(this.settleRequest(data, useAccount), { insuplcAdmdvs: data.person.record.region });
      if (outcome.kind === 'ok') {
        this.markReachable();
        const centre = centreSplitView(outcome.output, local);
        return { ...withCashLines(centre, data.lines), mode: 'online', useAccount };
      }
      if (outcome.kind === 'rejected') {
        this.markReachable();
        throw new ApiError(422, 'CENTRE_REJECTED', `医保中心预结算未通过：${outcome.message}`);
      }
      this.markUnreachable();
    }
    return { ...withCashLines(local, data.lines), mode: 'offline', useAccount };
  }

  private localQuote(data: SaleData, useAccount: boolean): SplitView {
    const person = data.person!.record;
    const rx = data.prescription?.valid && data.prescription.issuer ? data.prescription.issuer : null;
    const basis = yearBasis(this.deps.db, person, this.deps.now());
    const result = quote({
      region: person.region,
      date: businessDate(this.deps.now()),
      person: { status: person.status, ...(person.retiredOn && { retiredOn: person.retiredOn }), hospitalized: person.hospitalized, suspended: person.suspended },
      year: { deductibleMet: basis.deductibleMet, fundPaid: basis.fundPaid },
      account: { balance: person.balance, use: useAccount },
      prescription: rx ? { issuerLevel: rx.level, ...(rx.priceClass && { issuerPriceClass: rx.priceClass }), issuerDesignated: rx.designated } : null,
      lines: data.lines.filter((l) => l.insured).map((l) => l.quoteLine),
    }, this.deps.policy);
    return splitFromQuote({ ...result, explain: [yearBasisLine(basis, this.deps.now()), ...result.explain] });
  }

  private settleRequest(data: SaleData, useAccount: boolean) {
    const person = data.person!;
    const rx = data.prescription?.valid ? data.prescription : null;
    return settleInputFromBasket({
      psnNo: person.record.psnNo, certType: person.credential.certType, certNo: person.credential.certNo, insutype: person.record.insutype,
      saleTime: this.deps.now(), useAccount, rx: rx ? { prescriber: rx.entry.prescriber, prescriberCode: rx.entry.prescriberCode ?? null } : null,
      lines: data.lines.filter((l) => l.insured).map((l) => ({ medListCodg: l.catalogueCode!, medinsListCodg: l.sku, qty: l.qty, price: fmt(decimal(l.price)), ...(rx && { rxno: rx.entry.rxNo }) })),
    });
  }

  // ── settle ──────────────────────────────────────────────────────────────────
  /** A settle racing another for the same sale answers with that one's outcome: one booking, one truth. */
  settle(id: string, options: { useAccount: boolean; acceptSelfPay: boolean }): Promise<SaleView> {
    return this.settling.run(id, () => this.settleNow(id, options), () => this.get(id));
  }

  private async settleNow(id: string, options: { useAccount: boolean; acceptSelfPay: boolean }): Promise<SaleView> {
    // Settling a sale that is already booked answers with the booking: a POS retrying after a lost
    // reply (or after this process restarted) sees success, and nothing is booked twice.
    if (BOOKED.has(this.row(id).state)) return this.get(id);
    const { row, data } = this.editable(id, true);
    if (data.lines.length === 0) throw new ApiError(409, 'BASKET_EMPTY', '购物车为空：请先扫描商品', 'lines');
    const rxReview = data.prescription?.valid && data.prescription.downloadId && this.deps.requireRxReview ? data.prescription.review : undefined;
    if (data.prescription?.valid && data.prescription.downloadId && this.deps.requireRxReview && !rxReview?.approved) {
      throw new ApiError(409, 'RX_NOT_REVIEWED', rxReview ? `药师审方未通过（${rxReview.opinion}）：不能按此电子处方结算` : '电子处方需执业药师审方（上传审方结果 7204）后才能结算', 'prescription');
    }
    const split = data.split && data.split.useAccount === options.useAccount ? data.split : await this.price(data, options.useAccount);
    // Just before booking, the whole-box codes are asked of the chain again: another till may have sold
    // one since the basket (422, nothing booked). A ledger that does not answer leaves the sale going on,
    // and the sale says its codes were not re-checked.
    const recheck = await this.traceCodes.checkChain(data.lines);
    data.problems = [...data.problems.filter((p) => p.code !== CHAIN_UNCHECKED.code), ...(recheck?.state === 'unavailable' ? [CHAIN_UNCHECKED] : [])];
    const insured = data.lines.some((l) => l.insured) && data.person !== null;
    if (!insured) return this.finishWithoutInsurance(row, data, split, 'selfpay');

    if (split.mode === 'offline') {
      const refusals = this.riskRefusals(row, data, split);
      if (refusals.length) {
        if (!options.acceptSelfPay) {
          throw new ApiError(409, refusals[0]!.code, `${refusals.map((r) => r.message).join('；')}。可改为自费销售（联网后补结算），或等待联网`);
        }
        return this.finishWithoutInsurance(row, data, { ...allCash(data.lines, '离线暂估超出本店风险限额，联网后可补结算'), mode: 'offline', useAccount: false }, 'selfpay', refusals);
      }
    }
    // A sale the centre refused may be settled again: each attempt is its own settlement record.
    let attempt = 1;
    while (this.deps.settlements.bySaleRef(`${row.id}/${attempt}`)) attempt++;
    const request = this.settleRequest(data, options.useAccount);
    const insuredSplit = this.insuredPart(split, data.lines);
    const recordSettlement = (sending: boolean): SettlementRecord => this.recordOrRefuse(() => this.deps.settlements.record({
      saleRef: `${row.id}/${attempt}`, insuplcAdmdvs: data.person!.record.region, request, provisional: insuredSplit, quote: split,
    }, (rec) => {
      this.deps.sales.markSold(row.id, data.lines);
      this.deps.reports?.queueSale({
        saleId: row.id, operatorId: row.operator_id, businessDate: row.business_date, settlementId: rec.id, saleRef: rec.saleRef,
        psnNo: data.person!.record.psnNo, insuredRegion: data.person!.record.region, lines: data.lines,
        prescription: data.prescription?.valid ? { rxNo: data.prescription.entry.rxNo, prescriber: data.prescription.entry.prescriber, items: data.prescription.entry.items } : null,
        eprescription: data.prescription?.valid && data.prescription.downloadId ? { hiRxno: data.prescription.entry.rxNo, downloadId: data.prescription.downloadId } : null,
      });
      this.deps.sales.update(row.id, { state: 'provisional', provisional: split.mode === 'offline' ? 1 : 0, settlement_id: String(rec.id), split_json: JSON.stringify(split), problems_json: JSON.stringify(data.problems) });
      this.deps.journal.append('sale.recorded', {
        sale: row.id, msgid: rec.msgid, mode: split.mode, total: split.total, fund: split.fund, account: split.account, cash: split.cash,
        ...(recheck?.state === 'unavailable' ? { traceCodesRechecked: false } : {}),
      });
    }, { sending }));
    if (split.mode === 'online') {
      // Recorded already `sending` (one commit before the 2102, not two), and the sale is marked
      // settled in the confirmation's own commit: two waits for the disk per online settle.
      const synced = await this.deps.sync.sendRecorded(() => recordSettlement(true), { onConfirmed: (confirmed) => this.bookSettled(row.id, confirmed) });
      return this.afterOnlineSettle(row.id, synced, split);
    }
    recordSettlement(false);
    this.deps.sync.kick();
    return this.view(id);
  }

  /** A traceability code sold by another till since the basket was checked rolls the whole sale back. */
  private recordOrRefuse<T>(write: () => T): T {
    try {
      return write();
    } catch (error) {
      if (error instanceof TraceCodeSoldError) throw new ApiError(422, 'TRACE_CODE_ALREADY_SOLD', `${error.message}：请核对药盒后重新扫码`, 'lines');
      throw error;
    }
  }

  private insuredPart(split: SplitView, lines: readonly ResolvedLine[]): Split {
    const cashOnly = sum(lines.filter((l) => !l.insured).map((l) => money(l.amount)));
    return { total: fmt(money(split.total).minus(cashOnly)), fund: split.fund, account: split.account, cash: fmt(money(split.cash).minus(cashOnly)) };
  }

  private afterOnlineSettle(saleId: string, record: SettlementRecord, split: NonNullable<SaleData['split']>): SaleView {
    if (record.centre) {
      // Normally already booked with the confirmation (sendRecorded's onConfirmed); if that part failed, now.
      if (this.deps.sales.get(saleId)?.state !== 'settled') this.deps.db.transaction(() => this.bookSettled(saleId, record))();
      this.deps.reports?.kick();
      return this.view(saleId);
    }
    if (record.outbox.state === 'parked') {
      // The centre refused: nothing was booked there. The sale goes back to the cashier.
      this.deps.db.transaction(() => {
        this.deps.db.prepare("DELETE FROM trace_code WHERE sale_id = ?").run(saleId);
        this.deps.reports?.voidSale(saleId, `the centre refused the settlement: ${record.outbox.note}`);
        this.deps.sales.update(saleId, { state: 'presettled', settlement_id: null, provisional: 0 });
        this.deps.journal.append('sale.rejected', { sale: saleId, msgid: record.msgid, note: record.outbox.note });
      })();
      throw new ApiError(422, 'CENTRE_REJECTED', `医保中心拒绝结算：${record.outbox.note || '未说明原因'}。可修改后重试，或按自费销售`);
    }
    // Unknown outcome (timeout, dropped reply): the sync engine resolves it with the same msgid.
    this.deps.sales.update(saleId, { provisional: 1, split_json: JSON.stringify({ ...split, mode: 'offline' }) });
    return this.view(saleId);
  }

  /** The sale is settled: its state, the person's running totals and the journal line (inside a transaction). */
  private bookSettled(saleId: string, record: SettlementRecord): void {
    const centre = record.centre!;
    this.deps.sales.update(saleId, { state: 'settled' });
    this.learnTotals(saleId, centre.output);
    this.deps.journal.append('sale.settled', { sale: saleId, setlId: centre.setlId, fund: centre.split.fund, account: centre.split.account, cash: centre.split.cash });
  }

  /** After the centre books a settlement, this store's running totals for the person follow it. */
  private learnTotals(saleId: string, output: SettleOutput): void {
    const row = this.deps.sales.get(saleId);
    const data = row ? this.data(row) : undefined;
    const person = data?.person?.record;
    if (!person) return;
    const year = Number(businessDate(this.deps.now()).slice(0, 4));
    const base = person.year.year === year ? person.year : { year, deductibleMet: '0.00', fundPaid: '0.00' };
    const next: PersonRecord = {
      ...person,
      balance: output.setlinfo.balc ?? person.balance,
      year: { year, deductibleMet: fmt(money(base.deductibleMet).plus(money(output.setlinfo.act_pay_dedc))), fundPaid: fmt(money(base.fundPaid).plus(money(output.setlinfo.hifp_pay))) },
    };
    this.deps.sales.cachePerson(next.psnNo, next.idNumber, next.cardNo, next, new Date().toISOString());
  }

  private riskRefusals(row: SaleRow, data: SaleData, split: SplitView) {
    const person = data.person!;
    const usage = this.deps.sales.provisionalUsage(row.business_date, person.record.psnNo);
    const ageDays = personView(person.record, person.source, this.deps.now(), () => null).ageDays;
    return checkProvisionalRisk(money(split.fund), this.deps.riskLimits(), {
      dayFund: sum(usage.dayFund.map((f) => money(f))), personSalesToday: usage.personSales, personDataAgeDays: ageDays,
    });
  }

  private finishWithoutInsurance(row: SaleRow, data: SaleData, split: NonNullable<SaleData['split']>, state: 'selfpay', problems: Array<{ code: string; message: string }> = []): SaleView {
    this.recordOrRefuse(() => this.deps.db.transaction(() => {
      this.deps.sales.markSold(row.id, data.lines);
      this.deps.sales.update(row.id, { state, split_json: JSON.stringify(split), problems_json: JSON.stringify([...data.problems, ...problems]) });
      this.deps.journal.append('sale.selfpay', {
        sale: row.id, total: split.total, cash: split.cash, insuredPerson: data.person !== null,
        ...(data.problems.some((p) => p.code === CHAIN_UNCHECKED.code) ? { traceCodesRechecked: false } : {}),
      });
    })());
    return this.view(row.id);
  }

  // ── refund ──────────────────────────────────────────────────────────────────
  async refund(id: string, reason: string, principal: Principal): Promise<SaleView> {
    const row = this.row(id);
    const settlement = row.settlement_id ? this.deps.settlements.get(Number(row.settlement_id)) : undefined;
    if (row.state === 'selfpay') {
      // No 2103 and no 3505 rows: the sale's boxes are freed here, as a confirmed insured refund frees them.
      this.deps.db.transaction(() => {
        this.deps.sales.freeCodes(row.id);
        this.finish(row.id, 'refunded', 'sale.refunded', { sale: row.id, reason, by: principal.id, cashOnly: true });
      })();
      return this.view(id);
    }
    if (row.state === 'provisional' && settlement && !settlement.centre) {
      if (settlement.outbox.state !== 'pending') {
        throw new ApiError(409, 'SYNC_IN_PROGRESS', '这笔暂估结算正在与医保中心同步，结果确认后再退费（可稍后重试）');
      }
      this.deps.db.transaction(() => {
        this.deps.settlements.apply(settlement.id, { type: 'withdrawn' });
        this.deps.reports?.withdrawSale(row.id);
        this.finish(row.id, 'cancelled', 'sale.cancelled', { sale: row.id, msgid: settlement.msgid, reason, by: principal.id });
      })();
      return this.view(id);
    }
    if ((row.state === 'settled' || row.state === 'provisional') && settlement?.centre) {
      const msgid = this.persistRefundIntent(row, reason, principal);
      const outcome = await this.sendRefund(row.id, settlement, msgid);
      if (outcome.kind === 'ok') return this.view(id);
      throw refundFailure(outcome);
    }
    throw new ApiError(409, 'NOT_REFUNDABLE', `此单状态为 ${row.state}，不能退费`);
  }

  /**
   * The 2103's msgid is committed before it is sent; a retry (the cashier again, or start-up
   * recovery) sends it again under the same msgid, which the centre answers with its first result.
   */
  private persistRefundIntent(row: SaleRow, reason: string, principal: Principal): string {
    if (row.refund_msgid) return row.refund_msgid;
    const msgid = this.deps.settlements.allocateMsgid();
    this.deps.db.transaction(() => {
      this.deps.sales.update(row.id, { refund_msgid: msgid, refund_reason: reason });
      this.deps.journal.append('sale.refund.requested', { sale: row.id, msgid, reason, by: principal.id });
    })();
    return msgid;
  }

  private async sendRefund(saleId: string, settlement: SettlementRecord, msgid: string): Promise<CentreOutcome<unknown>> {
    const centre = settlement.centre!;
    const outcome = await this.deps.centre.cancel(
      { data: { setl_id: centre.setlId, mdtrt_id: centre.mdtrtId, psn_no: settlement.psnNo } },
      { msgid, insuplcAdmdvs: settlement.insuplcAdmdvs },
    );
    if (outcome.kind === 'ok') {
      const row = this.deps.sales.get(saleId)!;
      this.deps.db.transaction(() => {
        this.finish(saleId, 'refunded', 'sale.refunded', { sale: saleId, setlId: centre.setlId, msgid, reason: row.refund_reason });
        this.deps.reports?.queueReturn(saleId, row.operator_id);
      })();
      this.deps.reports?.kick();
    }
    return outcome;
  }

  /** Start-up: refunds a crash or an outage interrupted are sent again under their own msgid. */
  async recoverRefunds(): Promise<number> {
    let done = 0;
    for (const row of this.deps.sales.pendingRefunds()) {
      const settlement = row.settlement_id ? this.deps.settlements.get(Number(row.settlement_id)) : undefined;
      if (!settlement?.centre || !row.refund_msgid) continue;
      if ((await this.sendRefund(row.id, settlement, row.refund_msgid)).kind === 'ok') done++;
    }
    return done;
  }

  private finish(id: string, state: SaleState, kind: string, payload: Record<string, unknown>): void {
    const run = (): void => {
      this.deps.sales.update(id, { state });
      this.deps.journal.append(kind, payload);
    };
    if (this.deps.db.inTransaction) run();
    else this.deps.db.transaction(run)();
  }

  // ── reading ─────────────────────────────────────────────────────────────────
  get(id: string): SaleView {
    return this.viewOf(this.row(id));
  }

  list(filter: { date?: string; state?: string; before?: string; limit?: number }): SaleView[] {
    return this.deps.sales.list({ ...filter, limit: filter.limit ?? SALE_PAGE_DEFAULT }).map((r) => this.viewOf(r));
  }

  receipt(id: string): string {
    return receiptHtml(this.get(id), this.deps.store);
  }

  private row(id: string): SaleRow {
    const row = this.deps.sales.get(id);
    if (!row) throw new ApiError(404, 'SALE_NOT_FOUND', `没有单号 ${id}`, 'id');
    return row;
  }

  private editable(id: string, bySettle = false): { row: SaleRow; data: SaleData } {
    const row = this.row(id);
    if (!bySettle && this.settling.busy(id)) throw new ApiError(409, 'SETTLEMENT_IN_PROGRESS', '此单正在结算，请等待结算结果后再操作（可稍后重试）');
    if (!EDITABLE.has(row.state)) throw new ApiError(409, 'SALE_CLOSED', `此单已${row.state === 'refunded' ? '退费' : '结算'}，不能再修改；如需变更请退费后重新收费`);
    return { row, data: this.data(row) };
  }

  private data(row: SaleRow): SaleData {
    return {
      person: row.person_json ? JSON.parse(row.person_json) as SaleData['person'] : null,
      prescription: row.prescription_json ? JSON.parse(row.prescription_json) as PrescriptionState | null : null,
      lines: JSON.parse(row.lines_json) as ResolvedLine[],
      split: row.split_json ? JSON.parse(row.split_json) as SaleData['split'] : null,
      problems: JSON.parse(row.problems_json) as SaleData['problems'],
    };
  }

  /** The sale after a change, published to the live event stream. */
  private view(id: string): SaleView {
    const view = this.viewOf(this.row(id));
    this.deps.onChange?.(view);
    return view;
  }

  private viewOf(row: SaleRow): SaleView {
    const data = this.data(row);
    const settlement = row.settlement_id ? this.deps.settlements.get(Number(row.settlement_id)) : undefined;
    const regionName = (code: string): string | null => this.deps.policy.packagesFor(code)[0]?.region.name ?? null;
    const { mode: _m, useAccount: _u, ...split } = data.split ?? { mode: null, useAccount: null };
    // Booked but not yet confirmed (an online settle in flight, or interrupted by a crash) is provisional.
    const provisional = row.provisional === 1 || row.state === 'provisional';
    return {
      id: row.id,
      state: row.state as SaleState,
      createdAt: row.created_at,
      businessDate: row.business_date,
      operator: row.operator_id,
      online: row.online === 1,
      person: data.person ? this.personViewOf(data.person, regionName) : null,
      // The download token stays in the store (it identifies the download to the centre, 7206).
      prescription: data.prescription ? (({ downloadId: token, ...rx }) => ({ ...rx, source: rx.source ?? 'paper', ...(token && { review: rx.review ?? null }) }))(data.prescription) : null,
      lines: data.lines.map((l) => ({
        sku: l.sku, name: l.name, qty: l.qty, price: fmt(decimal(l.price)), amount: l.amount, split: l.split, traceCodes: [...l.traceCodes],
        kind: l.kind, catalogueCode: l.catalogueCode, listClass: l.listClass, flags: [...l.flags],
      })),
      split: data.split ? split as SplitView : null,
      provisional,
      centre: settlement?.centre ? {
        setlId: settlement.centre.setlId,
        split: centreSplitView(settlement.centre.output, null),
        difference: provisional
          ? { fund: settlement.centre.difference.fund, account: settlement.centre.difference.account, cash: settlement.centre.difference.cash }
          : null,
      } : null,
      syncState: settlement ? settlement.outbox.state : null,
      problems: [...data.problems, ...(data.prescription?.problems ?? [])],
    };
  }

  /** The person with the year's figures as of now (checkout/ytd.ts) and the cap they leave. */
  private personViewOf(person: NonNullable<SaleData['person']>, regionName: (code: string) => string | null) {
    const now = this.deps.now();
    const basis = yearBasis(this.deps.db, person.record, now);
    const capLeft = annualCapLeft(this.deps.policy, person.record.region, businessDate(now), person.record.status, basis.fundPaid);
    return personView(person.record, person.source, now, regionName, basis, capLeft);
  }

  // ── reachability (so an offline till does not wait for a timeout on every step) ──
  private centreMayBeReachable(): boolean {
    return Date.now() >= this.offlineUntil;
  }

  private markReachable(): void {
    this.offlineUntil = 0;
  }

  private markUnreachable(): void {
    this.offlineUntil = Date.now() + 5_000;
  }

  /** The centre answered elsewhere (the sync engine, or training switched the network back on). */
  centreAnswered(): void {
    this.markReachable();
  }

  /** Whether the last centre call answered (for the status bar). */
  reachable(): boolean {
    return this.centreMayBeReachable();
  }
}

/** The centre's setlinfo as a split view; explanation lines from the local quote when given. */
function centreSplitView(output: SettleOutput, local: SplitView | null): SplitView {
  const s = output.setlinfo;
  const explain = ['医保中心结算结果（以中心为准）', ...(local?.explain ?? [])];
  if (local && !money(local.fund).equals(money(s.hifp_pay))) explain.push(`本地测算统筹 ${local.fund} 元，中心核定 ${fmt(money(s.hifp_pay))} 元，以中心为准`);
  return {
    total: fmt(money(s.medfee_sumamt)), fullSelfPay: fmt(money(s.fulamt_ownpay_amt)), overLimit: fmt(money(s.overlmt_selfpay)),
    preSelfPay: fmt(money(s.preselfpay_amt)), inScope: fmt(money(s.inscp_scp_amt)), deductible: fmt(money(s.act_pay_dedc)),
    ratio: s.pool_prop_selfpay ? decimal(s.pool_prop_selfpay).toFixed(2) : '0.00',
    fund: fmt(money(s.hifp_pay)), account: fmt(money(s.acct_pay)), cash: fmt(money(s.psn_cash_pay)),
    reasons: local?.reasons ?? [], explain,
  };
}

function refundFailure(outcome: Exclude<CentreOutcome<unknown>, { kind: 'ok' }>): ApiError {
  if (outcome.kind === 'rejected') return new ApiError(422, 'CENTRE_REJECTED', `医保中心拒绝退费：${outcome.message}`);
  return new ApiError(503, 'CENTRE_UNAVAILABLE', '医保中心暂时无法连接，退费未完成：请联网后重试（重试是安全的）');
}

function readerAdvice(code: string): string {
  switch (code) {
    case 'NO_CARD': return '读卡器里没有卡：请插入社保卡后重试';
    case 'CARD_REMOVED': return '读卡时卡被拔出：请重新插卡，读完前不要拔卡';
    case 'PSAM_REQUIRED': return '这是第三代社保卡，读取持卡人信息需要 PSAM 卡：请改用医保电子凭证或身份证号';
    case 'NOT_SSCARD': return '这张卡不是社会保障卡：请换卡或改用医保电子凭证';
    case 'RESPONSE_TIMEOUT': return '读卡器没有应答：请检查读卡器电源和连线，或联系技术员';
    case 'LINK_CHECKSUM': return '读卡器通信校验错误：请检查串口线，或联系技术员做读卡自检';
    case 'READER_DISCONNECTED': return '读卡器已断开：请检查连线后重试';
    case 'PORT_UNAVAILABLE': return '打不开读卡器端口：可能被其他程序占用，或没有权限，请联系技术员';
    default: return '读卡失败';
  }
}

function eprescriptionUnavailable(): ApiError {
  return new ApiError(503, 'CENTRE_UNAVAILABLE', '医保中心暂时无法连接，不能下载电子处方：请按纸质处方手工录入（开方机构编码、处方号、开方日期、开方医生、药品）');
}

/**
 * A message the interface edition wants filled where the till has nothing (e.g. Shenzhen's required
 * terminal or pharmacist-ID fields): nothing was sent; the cashier is told which field, not a 500.
 */
async function editionRefusal<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (error instanceof CentreInputError) throw new ApiError(422, 'EDITION_FIELD_MISSING', `本机没有该接口版本要求的字段，未发送：${error.message}`);
    throw error;
  }
}
