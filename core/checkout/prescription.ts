// External prescription (外配处方) checks: the pooled fund pays only for lines on a valid
// prescription from a designated institution, at that institution's tier.

export interface Institution {
  readonly code: string;
  readonly name: string;
  readonly region: string;
  readonly level: 1 | 2 | 3;
  readonly priceClass: 1 | 2 | 3 | null;
  readonly designated: boolean;
}

export interface PrescriptionEntry {
  readonly issuerCode: string;
  readonly rxNo: string;
  /** YYYY-MM-DD */
  readonly issuedOn: string;
  readonly prescriber: string;
  /** Catalogue codes of the drugs prescribed. */
  readonly items: readonly string[];
}

export type PrescriptionProblemCode = 'RX_ISSUER_UNKNOWN' | 'RX_ISSUER_NOT_DESIGNATED' | 'RX_EXPIRED' | 'RX_DATE_IN_FUTURE' | 'RX_PRESCRIBER_CODE_MISSING';

/**
 * A paper prescription reaches the centre only through its prescriber's 医保医师代码 (no edition has a
 * field for the issuer, see core/centre/tx/settle.ts): without it the centre sees no prescription and
 * the fund pays nothing, so the store does not count on one either.
 */
export function paperPrescriberProblem(prescriberCode: string | undefined): { code: PrescriptionProblemCode; message: string } | null {
  return prescriberCode ? null : { code: 'RX_PRESCRIBER_CODE_MISSING', message: '纸质处方未填开方医师的医保医师代码：医保中心无法确认开方机构，统筹不予支付；请补填，或扫描电子处方' };
}

export interface PrescriptionCheck {
  readonly valid: boolean;
  readonly issuer: Institution | null;
  /** Last day the prescription may be filled (issue date + validity days − 1). */
  readonly validUntil: string;
  readonly problems: ReadonlyArray<{ code: PrescriptionProblemCode; message: string }>;
}

/** Days between two YYYY-MM-DD dates (b − a), on the calendar, free of time zones. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.UTC(+b.slice(0, 4), +b.slice(5, 7) - 1, +b.slice(8, 10)) - Date.UTC(+a.slice(0, 4), +a.slice(5, 7) - 1, +a.slice(8, 10))) / 86_400_000);
}

export function addDays(date: string, days: number): string {
  const d = new Date(Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10) + days));
  return d.toISOString().slice(0, 10);
}

/**
 * @param validityDays how many calendar days the prescription may be filled, the issue day included
 *   (a store setting per region; 3 by default).
 */
export function checkPrescription(rx: PrescriptionEntry, issuer: Institution | undefined, today: string, validityDays: number): PrescriptionCheck {
  const problems: Array<{ code: PrescriptionProblemCode; message: string }> = [];
  const validUntil = addDays(rx.issuedOn, validityDays - 1);
  if (!issuer) problems.push({ code: 'RX_ISSUER_UNKNOWN', message: `开方机构 ${rx.issuerCode} 不在机构目录中，无法按级别报销；可核对编码或按自费销售` });
  else if (!issuer.designated) problems.push({ code: 'RX_ISSUER_NOT_DESIGNATED', message: `开方机构 ${issuer.name}（${issuer.code}）不是医保定点机构，外配处方不能由统筹基金支付` });
  const age = daysBetween(rx.issuedOn, today);
  if (age < 0) problems.push({ code: 'RX_DATE_IN_FUTURE', message: `处方日期 ${rx.issuedOn} 晚于今天，请核对` });
  else if (age >= validityDays) problems.push({ code: 'RX_EXPIRED', message: `处方已过期：开具于 ${rx.issuedOn}，有效期 ${validityDays} 天（至 ${validUntil}）` });
  return { valid: problems.length === 0, issuer: issuer ?? null, validUntil, problems };
}
