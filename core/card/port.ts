// CardReaderPort: what the checkout backend (and the `card` CLI) hold. Two implementations share
// it: the serial driver (native/serial: openSerialCardReader) and the in-process virtual reader
// (native/reader-sim: createVirtualReader), both built on core/reader's createCardReader.
//
//   const outcome = await reader.readCard();
//   if (outcome.ok) use(outcome.holder, identityInput1101(outcome.holder));
//   else show(outcome.error /* NO_CARD | CARD_REMOVED | … */, outcome.message);
//
// Calls are serialised (one command outstanding on the wire); none of them throws for a reader or
// card problem, they resolve with a failure outcome instead. `close()` releases the port; calls
// after it fail with READER_DISCONNECTED.
import { type CardholderRecord } from './cardholder';
import { type CardFailure } from './errors';

export type CardReadOutcome = { readonly ok: true; readonly holder: CardholderRecord } | CardFailure;

export type SlotState = 'absent' | 'present' | 'powered';

export type ReaderStatusOutcome =
  | { readonly ok: true; readonly firmware: string; readonly card: SlotState }
  | CardFailure;

export type BeepOutcome = { readonly ok: true } | CardFailure;

export interface CardReaderPort {
  /** Power on, read EF05/EF06, power off. Never a partial holder. */
  readCard(): Promise<CardReadOutcome>;
  /** Reader firmware (identify) and whether a card is in the slot. */
  status(): Promise<ReaderStatusOutcome>;
  /** Sounds the reader's buzzer (10 ms resolution, at most 2550 ms). */
  beep(durationMs?: number): Promise<BeepOutcome>;
  /** Closes the port; safe to call twice. */
  close(): Promise<void>;
}
