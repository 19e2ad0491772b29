// Fault modes of the simulated reader (issue 4, research card-reader.md §6.4). `from` is the index
// (0-based) of the command, counted over every command frame the simulator receives, at which the
// fault starts; `times` is how many replies it affects (default: all from then on).
export type SimFault =
  /** Never answers. */
  | { readonly kind: 'silence'; readonly from?: number; readonly times?: number }
  /** Flips the BCC of the reply. */
  | { readonly kind: 'badBcc'; readonly from?: number; readonly times?: number }
  /** Noise, stray F2 bytes, an impossible LEN, a short fake frame and a broken candidate around the reply. */
  | { readonly kind: 'garbage'; readonly from?: number; readonly times?: number }
  /** A slow card: the reply comes `ms` late (past a short first-byte timeout, it provokes a resend). */
  | { readonly kind: 'delay'; readonly ms: number; readonly from?: number; readonly times?: number }
  /** Sends the reply one byte per write, `gapMs` apart (below the inter-byte timeout). */
  | { readonly kind: 'fragments'; readonly gapMs?: number; readonly from?: number; readonly times?: number }
  /** Sends the reply in `chunkBytes` chunks `gapMs` apart (above the inter-byte timeout). */
  | { readonly kind: 'slowChunks'; readonly chunkBytes?: number; readonly gapMs?: number; readonly from?: number; readonly times?: number }
  /** The command arrives damaged (line noise host → reader): the reader answers E02 and does nothing. */
  | { readonly kind: 'damagedCommands'; readonly from?: number; readonly times?: number }
  /** Before the reply, in the same write, a valid reply to a different command. */
  | { readonly kind: 'staleReplies'; readonly from?: number; readonly times?: number }
  /** The card is pulled after this many READ RECORD replies. */
  | { readonly kind: 'removeBetweenRecords'; readonly afterRecords: number }
  /** The reply to command `from` stops after `keepBytes` bytes and the card is gone. */
  | { readonly kind: 'removeMidFrame'; readonly from: number; readonly keepBytes?: number }
  /** At command `from` the reader vanishes (USB unplugged): no reply, the link dies. */
  | { readonly kind: 'unplug'; readonly from: number };

export type FaultKind = SimFault['kind'];

/** Whether a from/times fault affects the reply to command number `command`. */
export function faultApplies(fault: SimFault, command: number): boolean {
  if (fault.kind === 'removeBetweenRecords') return false;
  const from = fault.from ?? 0;
  const once = fault.kind === 'removeMidFrame' || fault.kind === 'unplug';
  const times = once ? 1 : fault.times ?? Infinity;
  return command >= from && command < from + times;
}
