// What the session reports while it works: every frame both ways, every dropped byte, every
// timeout and resend. The `card trace` CLI prints these; the benchmark counts their bytes.
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
  | { readonly kind: 'note'; readonly at: number; readonly message: string };

export type TraceSink = (event: TraceEvent) => void;
