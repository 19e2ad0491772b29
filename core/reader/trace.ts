// What the session reports while it works: every frame both ways, every dropped byte, every
// timeout and resend. The `card trace` CLI prints these; the benchmark counts their bytes.
// The PC/SC and library drivers report in their own terms: APDUs with status words, calls with
// return codes.
import { type DropReason } from './deframer';
import { type Frame } from './frame';
import { type CommandName } from './table';

export interface OutstandingCommand {
  readonly name: CommandName;
  /** Command data (for an APDU: the C-APDU). */
  readonly data: Uint8Array;
}

export type TraceEvent =
  | { readonly kind: 'tx'; readonly at: number; readonly bytes: Uint8Array; readonly command: OutstandingCommand; readonly attempt: number }
  /** `command` is set when the frame answered the outstanding command; otherwise the frame was stale. */
  | { readonly kind: 'rx'; readonly at: number; readonly bytes: Uint8Array; readonly frame: Frame; readonly command?: OutstandingCommand }
  | { readonly kind: 'drop'; readonly at: number; readonly bytes: Uint8Array; readonly reason: DropReason | 'leftover' }
  | { readonly kind: 'note'; readonly at: number; readonly message: string }
  /** PC/SC: one C-APDU and its R-APDU (null when the transmit failed; `error` says why). */
  | { readonly kind: 'apdu'; readonly at: number; readonly command: Uint8Array; readonly response: Uint8Array | null; readonly ms: number; readonly error?: string }
  /** A call into a library (SCard* of PC/SC, iReadCardBas of a vendor library) and its return code. */
  | { readonly kind: 'call'; readonly at: number; readonly fn: string; readonly args: string; readonly rc: string; readonly ms: number; readonly detail?: string };

export type TraceSink = (event: TraceEvent) => void;
