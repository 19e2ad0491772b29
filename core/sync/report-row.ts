// The state of one 3505/3506 row on its way to the platform. Pure transitions; native/trace-report
// persists each one.
//
//   queued ──send_started──▶ sending ──accepted──▶ accepted
//     ▲  ▲                    │ ├─refused──────▶ rejected ──send_started (automatic retry, alone)──▶ sending
//     │  └──not_delivered / outcome_unknown / crash_recovered ┘        └─retry (manager)──▶ queued
//     └── (a row waits in queued until its settlement, or for a return its sale rows, are confirmed)
//   queued/rejected ──voided──▶ void   (the settlement was reversed or withdrawn: nothing to report)
//
// Exactly once: a row is only ever sent under its one key (fixmedins_bchno) with the same content;
// after an unknown outcome it is sent again and the platform answers the repeat without storing it
// twice. `accepted` and `void` are terminal.
export const REPORT_ROW_STATES = ['queued', 'sending', 'accepted', 'rejected', 'void'] as const;
export type ReportRowState = (typeof REPORT_ROW_STATES)[number];

export type ReportRowEvent =
  | { readonly type: 'send_started' }
  | { readonly type: 'accepted' }
  | { readonly type: 'refused'; readonly message: string }
  | { readonly type: 'not_delivered'; readonly reason: string }
  | { readonly type: 'outcome_unknown'; readonly reason: string }
  | { readonly type: 'crash_recovered' }
  | { readonly type: 'retry' }
  | { readonly type: 'voided'; readonly reason: string };

export interface ReportRow {
  readonly state: ReportRowState;
  readonly sends: number;
  /** Refusals since the last manager retry (automatic retries stop at the limit). */
  readonly refusals: number;
  readonly note: string;
}

export class IllegalReportTransition extends Error {
  constructor(readonly from: ReportRowState, readonly event: ReportRowEvent['type']) {
    super(`report row: event ${event} is not allowed in state ${from}`);
    this.name = 'IllegalReportTransition';
  }
}

export function newReportRow(): ReportRow {
  return { state: 'queued', sends: 0, refusals: 0, note: '' };
}

export function reportTransition(row: ReportRow, event: ReportRowEvent): ReportRow {
  const illegal = (): never => { throw new IllegalReportTransition(row.state, event.type); };
  const to = (state: ReportRowState, changes: Partial<ReportRow> = {}): ReportRow => ({ ...row, state, ...changes });
  switch (event.type) {
    case 'send_started':
      return row.state === 'queued' || row.state === 'rejected' ? to('sending', { sends: row.sends + 1 }) : illegal();
    case 'accepted':
      return row.state === 'sending' ? to('accepted', { note: '' }) : illegal();
    case 'refused':
      return row.state === 'sending' ? to('rejected', { refusals: row.refusals + 1, note: event.message }) : illegal();
    case 'not_delivered':
      return row.state === 'sending' ? to('queued', { note: `not delivered: ${event.reason}` }) : illegal();
    case 'outcome_unknown':
      return row.state === 'sending' ? to('queued', { note: `outcome unknown (${event.reason}); sent again under the same row key` }) : illegal();
    case 'crash_recovered':
      return row.state === 'sending' ? to('queued', { note: 'interrupted while sending; sent again under the same row key' }) : illegal();
    case 'retry':
      return row.state === 'rejected' ? to('queued', { refusals: 0, note: 'retried by the manager' }) : illegal();
    case 'voided':
      return row.state === 'queued' || row.state === 'rejected' ? to('void', { note: event.reason }) : illegal();
  }
}
