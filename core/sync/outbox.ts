// The outbox state machine: one entry per settlement, from the moment the sale is recorded until
// the centre's answer is known. Pure transitions; native/sync persists each one in SQLite.
//
//   pending ──send_started──▶ sending ──settled────────────▶ confirmed
//      ▲                        │  ├──rejected────────────▶ parked      (business rejection, manager)
//      │◀──not_delivered────────┘  └──outcome_unknown────▶ unknown
//      │                                                    │ query_started
//      │◀──────────query_not_found────── querying ◀────────┘
//      │                                   │ ├─settled─────▶ confirmed
//      │                                   │ └─query_failed▶ unknown  (or ▶ reversing once the
//      │                                   │                 countable failures reach the limit)
//   parked ──requeue──▶ pending       unknown ──escalate──▶ reversing ──reversed──▶ reversed
//                                                           ├─reverse_failed──▶ reversing (retry)
//                                                           └─reverse_rejected▶ parked
//   crash_recovered: sending/querying ▶ unknown (the process died mid-call: the outcome is unknown).
//   withdrawn (the sale is voided while still pending): never sent ▶ reversed at once; sent before
//     (every send came back not delivered) ▶ reversing, so a late copy can never be booked.
//   settled from reversing: the manager read the centre's settlement (5203 by the setl_id its 3202
//     named) while the reversal had not gone through; it is booked and never reversed.
//   `reversed` is terminal and means: the centre holds nothing for this sale.
//
// Exactly once: a settlement is sent only from `pending`, always under its one msgid; it reaches
// `pending` again only when the centre said it never received it (not_delivered) or holds no
// settlement for that msgid (query_not_found) — and the centre deduplicates by msgid anyway.
export const OUTBOX_STATES = ['pending', 'sending', 'unknown', 'querying', 'reversing', 'confirmed', 'parked', 'reversed'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export const TERMINAL_STATES: readonly OutboxState[] = ['confirmed', 'reversed'];
/** States in which a call is in flight; finding one at start-up means the process died mid-call. */
export const IN_FLIGHT_STATES: readonly OutboxState[] = ['sending', 'querying'];

export type OutboxEvent =
  | { readonly type: 'send_started' }
  | { readonly type: 'settled' }
  | { readonly type: 'rejected'; readonly message: string }
  | { readonly type: 'not_delivered'; readonly reason: string }
  | { readonly type: 'outcome_unknown'; readonly reason: string }
  | { readonly type: 'query_started' }
  | { readonly type: 'query_not_found' }
  /** countable: the centre answered but not usefully (rejected or malformed). Transport trouble is not counted. */
  | { readonly type: 'query_failed'; readonly reason: string; readonly countable: boolean }
  | { readonly type: 'escalate'; readonly reason: string }
  | { readonly type: 'reversed' }
  | { readonly type: 'reverse_failed'; readonly reason: string }
  | { readonly type: 'reverse_rejected'; readonly message: string }
  | { readonly type: 'crash_recovered' }
  | { readonly type: 'requeue' }
  | { readonly type: 'withdrawn' };
export type OutboxEventType = OutboxEvent['type'];
export const OUTBOX_EVENT_TYPES: readonly OutboxEventType[] = [
  'send_started', 'settled', 'rejected', 'not_delivered', 'outcome_unknown', 'query_started', 'query_not_found',
  'query_failed', 'escalate', 'reversed', 'reverse_failed', 'reverse_rejected', 'crash_recovered', 'requeue', 'withdrawn',
];

export interface OutboxEntry {
  readonly state: OutboxState;
  /** 2102 sends so far (all under the same msgid). */
  readonly sends: number;
  /** Consecutive countable query failures since the last unknown outcome. */
  readonly queryFailures: number;
  /** Why the entry is parked, unknown or failing (the centre's message when it gave one). */
  readonly note: string;
}

export interface OutboxLimits {
  /** Countable query failures before the entry is reversed instead of queried again. */
  readonly maxQueryFailures: number;
}

export const DEFAULT_LIMITS: OutboxLimits = { maxQueryFailures: 5 };

export class IllegalTransition extends Error {
  constructor(readonly from: OutboxState, readonly event: OutboxEventType) {
    super(`outbox: event ${event} is not allowed in state ${from}`);
    this.name = 'IllegalTransition';
  }
}

export function newEntry(): OutboxEntry {
  return { state: 'pending', sends: 0, queryFailures: 0, note: '' };
}

/** The next entry, or IllegalTransition. Never mutates its argument. */
export function transition(entry: OutboxEntry, event: OutboxEvent, limits: OutboxLimits = DEFAULT_LIMITS): OutboxEntry {
  const illegal = (): never => { throw new IllegalTransition(entry.state, event.type); };
  const to = (state: OutboxState, changes: Partial<OutboxEntry> = {}): OutboxEntry => ({ ...entry, state, ...changes });
  switch (event.type) {
    case 'send_started':
      return entry.state === 'pending' ? to('sending', { sends: entry.sends + 1, note: '' }) : illegal();
    case 'settled':
      // A late answer is welcome in any unresolved state: the centre booked it, under our msgid.
      return entry.state === 'sending' || entry.state === 'querying' || entry.state === 'unknown' || entry.state === 'reversing'
        ? to('confirmed', { queryFailures: 0, note: '' }) : illegal();
    case 'rejected':
      return entry.state === 'sending' ? to('parked', { note: event.message }) : illegal();
    case 'not_delivered':
      return entry.state === 'sending' ? to('pending', { note: event.reason }) : illegal();
    case 'outcome_unknown':
      return entry.state === 'sending' ? to('unknown', { queryFailures: 0, note: event.reason }) : illegal();
    case 'query_started':
      return entry.state === 'unknown' ? to('querying') : illegal();
    case 'query_not_found':
      return entry.state === 'querying' ? to('pending', { queryFailures: 0, note: 'the centre holds no settlement for this msgid; sending it again under the same msgid' }) : illegal();
    case 'query_failed': {
      if (entry.state !== 'querying') return illegal();
      const failures = entry.queryFailures + (event.countable ? 1 : 0);
      return failures >= limits.maxQueryFailures
        ? to('reversing', { queryFailures: failures, note: `query failed ${failures} times (${event.reason}); reversing` })
        : to('unknown', { queryFailures: failures, note: event.reason });
    }
    case 'escalate':
      return entry.state === 'unknown' ? to('reversing', { note: event.reason }) : illegal();
    case 'reversed':
      return entry.state === 'reversing' ? to('reversed', { note: 'reversed (2601) by its msgid: the centre holds nothing for this sale' }) : illegal();
    case 'reverse_failed':
      return entry.state === 'reversing' ? to('reversing', { note: event.reason }) : illegal();
    case 'reverse_rejected':
      return entry.state === 'reversing' ? to('parked', { note: `reversal rejected: ${event.message}` }) : illegal();
    case 'crash_recovered':
      return entry.state === 'sending' || entry.state === 'querying' ? to('unknown', { note: `interrupted while ${entry.state}` }) : illegal();
    case 'requeue':
      return entry.state === 'parked' ? to('pending', { note: 'requeued by the manager' }) : illegal();
    case 'withdrawn':
      if (entry.state !== 'pending') return illegal();
      return entry.sends === 0
        ? to('reversed', { note: 'withdrawn before it was ever sent: the centre never saw it' })
        : to('reversing', { note: 'withdrawn after sends that were not delivered; reversing (2601) so a late copy can never be booked' });
  }
}

export type OutboxAction = 'send' | 'query' | 'reverse' | 'none';

/** What the drain loop does next with an entry in this state. */
export function actionFor(state: OutboxState): OutboxAction {
  switch (state) {
    case 'pending': return 'send';
    case 'unknown': return 'query';
    case 'reversing': return 'reverse';
    default: return 'none';
  }
}

export function isTerminal(state: OutboxState): boolean {
  return TERMINAL_STATES.includes(state);
}
