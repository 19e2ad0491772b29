// The three ways a centre call can end besides success, kept apart because they demand different
// actions:
//   rejected       the centre answered with a business error (infcode ≠ 0): nothing was done; show
//                  err_msg, park the settlement for the manager; never retry blindly.
//   not_delivered  the request provably never reached the centre (connection refused, connect
//                  timeout): nothing was done; safe to send again later (same msgid).
//   unknown        it may or may not have been done (timeout after sending, dropped reply, 5xx, a
//                  reply we cannot trust): resolve with 5203 or 2601 using the same msgid. A timeout
//                  is always unknown, never a failure.
export type UnknownReason =
  | 'timeout'           // no complete reply within the response timeout
  | 'connection_lost'   // the connection closed or reset after the request may have left
  | 'http_status'       // an HTTP status other than 200
  | 'malformed_reply'   // not JSON, or the envelope/output failed validation
  | 'reply_too_large'   // the body exceeded the transport's cap
  | 'echo_mismatch';    // the reply names another message than ours (e.g. a stale duplicate)

export interface CallMeta {
  readonly infno: string;
  readonly msgid: string;
}

export type CentreOutcome<T> =
  | { readonly kind: 'ok'; readonly output: T; readonly meta: CallMeta & { readonly infRefmsgid: string; readonly warnMsg: string } }
  | { readonly kind: 'rejected'; readonly infcode: number; readonly message: string; readonly meta: CallMeta }
  | { readonly kind: 'not_delivered'; readonly reason: string; readonly meta: CallMeta }
  | { readonly kind: 'unknown'; readonly reason: UnknownReason; readonly detail: string; readonly meta: CallMeta };

export type CentreFailure = Exclude<CentreOutcome<never>, { kind: 'ok' }>;

/** One line for logs and the manager's screen. */
export function describeOutcome(outcome: CentreOutcome<unknown>): string {
  const where = `${outcome.meta.infno} ${outcome.meta.msgid}`;
  switch (outcome.kind) {
    case 'ok': return `${where}: ok`;
    case 'rejected': return `${where}: rejected by the centre (${outcome.infcode}): ${outcome.message}`;
    case 'not_delivered': return `${where}: not delivered: ${outcome.reason}`;
    case 'unknown': return `${where}: outcome unknown (${outcome.reason}): ${outcome.detail}`;
  }
}

/** Thrown by `unwrap` so a caller that only wants a success can still see which kind of failure it was. */
export class CentreCallError extends Error {
  constructor(readonly outcome: CentreFailure) {
    super(describeOutcome(outcome));
    this.name = 'CentreCallError';
  }
}

export function unwrap<T>(outcome: CentreOutcome<T>): T {
  if (outcome.kind === 'ok') return outcome.output;
  throw new CentreCallError(outcome);
}
