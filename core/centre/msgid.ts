// msgid = fixmedins_code (12) + yyyyMMddHHmmss (14, China time) + 4-digit sequence = 30 characters.
// It is the idempotency key of every centre call: the centre echoes a settlement's msgid as
// medins_setl_id and a reversal (2601) names the original by it. So msgids must never repeat, even
// across restarts, clock steps backwards, or more than 9,999 calls in one second. The generator is
// pure: the clock reading and the last issued state are passed in; the caller persists the state
// (native/sync keeps it in the store database, in the same transaction as the settlement).
import { addSecondsToCompact, formatCompact } from './time';

export const FIXMEDINS_CODE = /^[A-Za-z0-9]{12}$/;
export const MSGID = /^[A-Za-z0-9]{12}\d{14}\d{4}$/;
const MAX_SEQUENCE = 9999;
/** Tills per pharmacy that can share its fixmedins_code (msgid lanes 1–9 of the 4-digit sequence). */
export const TILL_LANES = 9;

export interface MsgidState {
  /** The yyyyMMddHHmmss part of the last msgid issued. */
  readonly stamp: string;
  /** Its 4-digit sequence, 1…9999. */
  readonly seq: number;
}

export interface IssuedMsgid {
  readonly msgid: string;
  readonly state: MsgidState;
}

/** The last 4-digit sequence a lane may use in one second (9999 without lanes). */
export function lastSequenceOf(lane?: number): number {
  return lane === undefined ? MAX_SEQUENCE : lane * 1000 + 999;
}

/** Whether msgid state `a` comes after `b` (stamp first, then sequence). */
export function msgidStateAfter(a: MsgidState, b: MsgidState): boolean {
  return a.stamp > b.stamp || (a.stamp === b.stamp && a.seq > b.seq);
}

/**
 * The next msgid after `last`. The stamp never goes backwards (a clock stepped back keeps the last
 * stamp and counts on), and when a second's 9,999 sequences are used up it borrows the next second.
 */
export function nextMsgid(fixmedinsCode: string, now: Date, last: MsgidState | null, lane?: number): IssuedMsgid {
  if (!FIXMEDINS_CODE.test(fixmedinsCode)) throw new Error(`fixmedins_code must be 12 letters or digits, got ${JSON.stringify(fixmedinsCode)}`);
  if (lane !== undefined && !(Number.isInteger(lane) && lane >= 1 && lane <= TILL_LANES)) throw new Error(`msgid lane must be 1–${TILL_LANES}, got ${lane}`);
  // Several tills of one pharmacy share its fixmedins_code: each counts in its own thousand
  // (lane 2: 2001…2999), so two tills can never issue the same msgid in the same second.
  const first = lane === undefined ? 1 : lane * 1000 + 1;
  const lastOfRange = lastSequenceOf(lane);
  const clockStamp = formatCompact(now);
  let state: MsgidState;
  if (!last || clockStamp > last.stamp) state = { stamp: clockStamp, seq: first };
  // Moved into (or out of) a lane within the same second: start afresh in the next second.
  else if (last.seq < first || last.seq > lastOfRange) state = { stamp: addSecondsToCompact(last.stamp, 1), seq: first };
  else if (last.seq < lastOfRange) state = { stamp: last.stamp, seq: last.seq + 1 };
  else state = { stamp: addSecondsToCompact(last.stamp, 1), seq: first };
  return { msgid: `${fixmedinsCode}${state.stamp}${String(state.seq).padStart(4, '0')}`, state };
}

/** Recovers the generator state from a msgid issued earlier (e.g. the newest one in a database). */
export function stateOfMsgid(msgid: string): MsgidState {
  if (!MSGID.test(msgid)) throw new Error(`not a msgid: ${JSON.stringify(msgid)}`);
  return { stamp: msgid.slice(12, 26), seq: Number(msgid.slice(26)) };
}

/** An in-memory generator over an injected clock (one process, nothing to persist: tests, the sandbox). */
export function msgidGenerator(fixmedinsCode: string, clock: () => Date, initial: MsgidState | null = null): () => string {
  let state = initial;
  return () => {
    const issued = nextMsgid(fixmedinsCode, clock(), state);
    state = issued.state;
    return issued.msgid;
  };
}
