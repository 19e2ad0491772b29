// Store risk limits for provisional (offline) settlements. The centre has not confirmed these
// sales, so the store carries the risk of a different authoritative split; the limits cap it.
// They are the store's own settings, not policy numbers; the defaults are deliberately low.
import { type Decimal } from 'decimal.js';
import { decimal, fmt } from '../money/money';

export interface RiskLimits {
  /** Most provisional pooled-fund money in one sale. */
  readonly perSaleFund: string;
  /** Most provisional pooled-fund money per business day, all persons. */
  readonly perDayFund: string;
  /** Most provisional sales per person per business day. */
  readonly perPersonSalesPerDay: number;
  /** Oldest cached person data (days) that may back a provisional pooled payment. */
  readonly maxPersonDataAgeDays: number;
}

export const DEFAULT_RISK_LIMITS: RiskLimits = { perSaleFund: '200.00', perDayFund: '2000.00', perPersonSalesPerDay: 1, maxPersonDataAgeDays: 30 };

export interface RiskUsage {
  /** Provisional fund already booked today. */
  readonly dayFund: Decimal;
  /** Provisional sales already booked today for this person. */
  readonly personSalesToday: number;
  /** Age of the cached person data in days. */
  readonly personDataAgeDays: number;
}

export type RiskRefusal = { code: 'RISK_PER_SALE' | 'RISK_PER_DAY' | 'RISK_PER_PERSON' | 'RISK_STALE_PERSON'; message: string };

export function checkProvisionalRisk(fund: Decimal, limits: RiskLimits, usage: RiskUsage): RiskRefusal[] {
  const refusals: RiskRefusal[] = [];
  if (fund.greaterThan(decimal(limits.perSaleFund))) {
    refusals.push({ code: 'RISK_PER_SALE', message: `离线暂估统筹 ${fmt(fund)} 元超过单笔上限 ${limits.perSaleFund} 元` });
  }
  if (usage.dayFund.plus(fund).greaterThan(decimal(limits.perDayFund))) {
    refusals.push({ code: 'RISK_PER_DAY', message: `今日离线暂估统筹累计将达 ${fmt(usage.dayFund.plus(fund))} 元，超过每日上限 ${limits.perDayFund} 元` });
  }
  if (usage.personSalesToday >= limits.perPersonSalesPerDay) {
    refusals.push({ code: 'RISK_PER_PERSON', message: `该参保人今日已有 ${usage.personSalesToday} 笔离线暂估结算，达到每人每日上限 ${limits.perPersonSalesPerDay} 笔` });
  }
  if (usage.personDataAgeDays > limits.maxPersonDataAgeDays) {
    refusals.push({ code: 'RISK_STALE_PERSON', message: `参保人信息已 ${usage.personDataAgeDays} 天未联网更新，超过 ${limits.maxPersonDataAgeDays} 天` });
  }
  return refusals;
}
