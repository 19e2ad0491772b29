// A person's year-to-date figures (deductible met, pooled fund paid) for the checkout.
//   At identify, online: 5206 人员累计信息查询 gives the centre's own figures, which include what the
//   person bought at any other pharmacy; they are kept in the person cache with the time they were read.
//   For a quote: those figures plus this store's sales of the person recorded after the read —
//   confirmed ones with the centre's booked amounts, still-unconfirmed provisional ones with their
//   local estimate. Without a 5206 read this year, the store's own running totals (learned from the
//   centre's 2102 replies) are used, and the explanation says so.
import { CentreInputError } from '../../../core/centre/client';
import { type CentrePort } from '../../../core/centre/port';
import { SetlInfo } from '../../../core/centre/tx/settle';
import { yearFigures } from '../../../core/centre/tx/cumulative';
import { businessDate } from '../../../core/checkout/business-date';
import { fmt, money, sum } from '../../../core/money/money';
import { statement, type Db } from '../../../native/db/open';
import { type PersonRecord } from './person';

export interface CentreYear {
  readonly year: number;
  readonly deductibleMet: string;
  readonly fundPaid: string;
  /** ISO time of the 5206 read. */
  readonly readAt: string;
}

/** 5206 for the person's insurance type and the current year; null when the centre did not answer it. */
export async function readCentreYear(centre: CentrePort, person: Pick<PersonRecord, 'psnNo' | 'insutype' | 'region'>, now: Date): Promise<CentreYear | null> {
  // cum_ym left empty: the whole year's rows come back and are summed [P: the sandbox and the
  // editions we restate accept an empty cum_ym; a province that insists on a month gets the current one].
  let outcome;
  try {
    outcome = await centre.cumulativeInfo({ data: { psn_no: person.psnNo, cum_ym: '' } }, { insuplcAdmdvs: person.region });
  } catch (error) {
    // An edition without 5206 (CentreInputError): the store's own totals, as before.
    if (error instanceof CentreInputError) return null;
    throw error;
  }
  if (outcome.kind !== 'ok') return null;
  const year = Number(businessDate(now).slice(0, 4));
  const figures = yearFigures(outcome.output, person.insutype, year);
  return { year, deductibleMet: figures.deductibleMet, fundPaid: figures.fundPaid, readAt: now.toISOString() };
}

export interface YearBasis {
  readonly year: number;
  readonly deductibleMet: string;
  readonly fundPaid: string;
  /** 'centre' = a 5206 read this year plus later store sales; 'store' = this store's own totals only. */
  readonly source: 'centre' | 'store';
  readonly readAt: string | null;
  /** This store's sales added on top of the 5206 read. */
  readonly confirmed: number;
  readonly pending: number;
}

interface LaterSettlement {
  recorded_at: string; centre_output_json: string | null; quote_json: string | null; state: string; sale_state: string | null;
}

/** The figures a quote for this person starts from now. */
export function yearBasis(db: Db, person: PersonRecord, now: Date): YearBasis {
  const year = Number(businessDate(now).slice(0, 4));
  const read = person.centreYear;
  if (!read || read.year !== year) {
    const own = person.year.year === year ? person.year : { deductibleMet: '0.00', fundPaid: '0.00' };
    return { year, deductibleMet: own.deductibleMet, fundPaid: own.fundPaid, source: 'store', readAt: null, confirmed: 0, pending: 0 };
  }
  // The sale is found by its primary key, the part of sale_ref before '/' (the checkout and the
  // settle-up record `<sale id>/<attempt>` and point that sale's settlement_id at it): sale.settlement_id
  // has no index, and matching on it alone scanned every sale (45 ms per call with 20,000 sales).
  const rows = statement(db, `SELECT s.recorded_at, s.centre_output_json, s.quote_json, o.state,
        CASE WHEN instr(s.sale_ref, '/') > 0
          THEN (SELECT state FROM sale WHERE id = substr(s.sale_ref, 1, instr(s.sale_ref, '/') - 1) AND settlement_id = CAST(s.id AS TEXT))
          ELSE (SELECT state FROM sale WHERE settlement_id = CAST(s.id AS TEXT)) END AS sale_state
      FROM settlement s JOIN settlement_outbox o ON o.settlement_id = s.id
      WHERE s.psn_no = ? AND s.recorded_at > ? ORDER BY s.id`).all(person.psnNo, read.readAt) as LaterSettlement[];
  const deductibles = [money(read.deductibleMet)];
  const funds = [money(read.fundPaid)];
  let confirmed = 0;
  let pending = 0;
  for (const r of rows) {
    if (Number(businessDate(new Date(r.recorded_at)).slice(0, 4)) !== year) continue;
    // Nothing stays booked at the centre for a refunded, voided, refused or reversed sale.
    if (r.sale_state === 'refunded' || r.sale_state === 'cancelled' || r.state === 'parked' || r.state === 'reversed') continue;
    if (r.centre_output_json !== null) {
      const info = SetlInfo.safeParse((JSON.parse(r.centre_output_json) as { setlinfo?: unknown }).setlinfo);
      if (!info.success) continue;
      deductibles.push(money(info.data.act_pay_dedc));
      funds.push(money(info.data.hifp_pay));
      confirmed++;
    } else if (r.quote_json !== null) {
      const q = JSON.parse(r.quote_json) as { deductible?: string; fund?: string };
      deductibles.push(money(q.deductible ?? '0.00'));
      funds.push(money(q.fund ?? '0.00'));
      pending++;
    }
  }
  return { year, deductibleMet: fmt(sum(deductibles)), fundPaid: fmt(sum(funds)), source: 'centre', readAt: read.readAt, confirmed, pending };
}

/** One explanation line: which figures the quote started from and how old they are. */
export function yearBasisLine(basis: YearBasis, now: Date): string {
  const figures = `起付线已付 ${basis.deductibleMet} 元，统筹已支付 ${basis.fundPaid} 元`;
  if (basis.source === 'store' || basis.readAt === null) {
    return `本年累计：${figures}——仅为本店记录（未能从医保中心读取人员累计信息 5206），在其他药店的购药未计入，以中心结算为准`;
  }
  const readAt = new Date(basis.readAt);
  const minutes = Math.max(0, Math.floor((now.getTime() - readAt.getTime()) / 60_000));
  const age = minutes < 60 ? `${minutes} 分钟前` : minutes < 1440 ? `${Math.floor(minutes / 60)} 小时前` : `${Math.floor(minutes / 1440)} 天前`;
  const later = basis.confirmed + basis.pending === 0 ? '此后本店无该参保人的结算'
    : `另加此后本店 ${basis.confirmed} 笔已确认结算${basis.pending ? `、${basis.pending} 笔待确认暂估` : ''}`;
  return `本年累计：${figures}（医保中心人员累计信息 5206，读取于 ${businessDate(readAt)} ${readAt.toLocaleTimeString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' })}，${age}；${later}）`;
}
