// The 医保电子凭证 QR text as a scanner delivers it. Its format and length are not published (research
// card-reader.md §5.3), so it is opaque: never parsed, never persisted, never logged in full, and only
// usable for a short while (the code on the patient's phone refreshes).
export interface VoucherCode {
  readonly text: string;
  /** Milliseconds on the caller's clock when the scan completed. */
  readonly scannedAt: number;
  readonly source: 'serial' | 'keyboard';
}

/** How long a scanned code is offered to the checkout; the phone's code is dynamic. */
export const VOUCHER_CODE_TTL_MS = 60_000;

export function isFresh(code: VoucherCode, now: number, ttlMs = VOUCHER_CODE_TTL_MS): boolean {
  return now >= code.scannedAt && now - code.scannedAt <= ttlMs;
}

/** For logs: "ABCD…(28 chars)". */
export function redactVoucherCode(text: string): string {
  const chars = [...text];
  return `${chars.slice(0, 4).join('')}…(${chars.length} chars)`;
}
