// Daily sign-in (9001/9002) per operator: which sign_no an operator's envelopes carry today.
// The client asks the book before every business call; a store-backed book (native/centre/
// sign-in-store.ts) keeps it across restarts, so a till does not sign in again for every start-up.
// A new business day (China time) needs a new sign-in; so does a sign_no the centre calls stale.

/** Who the envelope names as 经办人 (opter / opter_name). */
export interface CentreOperator {
  readonly opter: string;
  readonly opterName: string;
}

export interface SignInBook {
  /** The live sign_no of this operator for this business day, if any. */
  current(opter: string, day: string): string | null;
  /** A 9001 succeeded. */
  signedIn(entry: { opter: string; day: string; signNo: string; at: string }): void;
  /** 9002 succeeded ('signed_out'), or the centre refused the sign_no as stale ('stale'). */
  ended(signNo: string, at: string, why: 'signed_out' | 'stale'): void;
}

/** A book in memory (tests, and a client without a store). */
export function memorySignInBook(): SignInBook {
  const live = new Map<string, string>();
  return {
    current: (opter, day) => live.get(`${opter}\u0000${day}`) ?? null,
    signedIn: (e) => { live.set(`${e.opter}\u0000${e.day}`, e.signNo); },
    ended: (signNo) => { for (const [k, v] of live) if (v === signNo) live.delete(k); },
  };
}
