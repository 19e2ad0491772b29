// THE table of the reference reader protocol (shared/specs/reader-protocol.md): every command, slot
// status and negative reply code, with the timing class, the resend rule and the outcome each code
// maps to. A real device's numbers are swapped in here and nowhere else.
import { type CardErrorCode } from '../card/errors';

export const STX = 0xf2;
export const ETX = 0x03;
/** First TEXT byte: 'C' command, 'P' positive reply, 'N' negative reply. */
export const TEXT_KIND = { command: 0x43, positive: 0x50, negative: 0x4e } as const;
/** Bounds of LEN (TEXT bytes). */
export const MIN_TEXT = 3;
export const MAX_TEXT = 512;

/** 'card' commands wait the long first-byte timeout (card I/O), 'reader' ones the short one. */
export type TimeoutClass = 'card' | 'reader';

export interface CommandSpec {
  readonly name: string;
  readonly cm: number;
  /** Fixed PM, or null when PM is a parameter (beep duration). */
  readonly pm: number | null;
  readonly timeout: TimeoutClass;
  /**
   * May be resent after a BCC error or a timeout. 'by-ins' = an APDU: only when its INS is in
   * RESENDABLE_INS.
   */
  readonly resend: boolean | 'by-ins';
}

export const COMMANDS = {
  identify: { name: 'reader init / identify', cm: 0x30, pm: 0x30, timeout: 'reader', resend: false },
  status: { name: 'card status', cm: 0x31, pm: 0x30, timeout: 'reader', resend: true },
  coldReset: { name: 'cold reset (power on)', cm: 0x51, pm: 0x30, timeout: 'card', resend: true },
  warmReset: { name: 'warm reset', cm: 0x51, pm: 0x38, timeout: 'card', resend: true },
  powerOff: { name: 'power off', cm: 0x51, pm: 0x31, timeout: 'reader', resend: false },
  apdu: { name: 'APDU exchange, T=0', cm: 0x51, pm: 0x33, timeout: 'card', resend: 'by-ins' },
  beep: { name: 'beep (PM × 10 ms)', cm: 0x42, pm: null, timeout: 'reader', resend: false },
} as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMANDS;

/** APDU instructions that read or select only: resending them cannot change the card. */
export const RESENDABLE_INS: readonly number[] = [0xa4, 0xb0, 0xb2, 0xc0, 0xca];
/** Never resent (documented for reviewers; anything not in RESENDABLE_INS is not resent anyway). */
export const NEVER_RESEND_INS: readonly number[] = [0x82, 0x84, 0x88, 0x20, 0x24, 0x2c, 0xd6, 0xdc, 0xe2];

/** S1 S0 of a positive `card status` reply. */
export const SLOT_STATUS = { '00': 'absent', '01': 'present', '02': 'powered' } as const;
export type SlotStatusCode = keyof typeof SLOT_STATUS;

/** S1 S0 of every other positive reply. */
export const STATUS_OK = '00';

export interface NegativeCode {
  readonly meaning: string;
  /** Outcome when the reply is to a reset (no card read has started yet). */
  readonly onReset: CardErrorCode;
  /** Outcome when the reply is to an APDU or any later command (a card was there). */
  readonly onCard: CardErrorCode;
  /** The reader says our frame was damaged: resend like a BCC error. */
  readonly linkError?: true;
}

/** E1 E0 of a negative reply. */
export const NEGATIVE_CODES: Readonly<Record<string, NegativeCode>> = {
  '00': { meaning: 'unknown command', onReset: 'LINK_CHECKSUM', onCard: 'LINK_CHECKSUM' },
  '01': { meaning: 'bad parameter', onReset: 'LINK_CHECKSUM', onCard: 'LINK_CHECKSUM' },
  '02': { meaning: 'the reader received a bad frame (BCC/length)', onReset: 'LINK_CHECKSUM', onCard: 'LINK_CHECKSUM', linkError: true },
  '60': { meaning: 'no card in the slot', onReset: 'NO_CARD', onCard: 'CARD_REMOVED' },
  '61': { meaning: 'card removed or mute during the operation', onReset: 'CARD_REMOVED', onCard: 'CARD_REMOVED' },
  '62': { meaning: 'activation failed (no ATR)', onReset: 'NOT_SSCARD', onCard: 'NOT_SSCARD' },
  '63': { meaning: 'card not powered', onReset: 'CARD_REMOVED', onCard: 'CARD_REMOVED' },
};

/** Default timings (spec "Timing and retries"); all configurable. */
export interface ReaderTimings {
  /** First reply byte for resets and APDUs. */
  readonly cardMs: number;
  /** First reply byte for status and other reader-only commands. */
  readonly readerMs: number;
  /** Largest gap between two bytes of one frame. */
  readonly interByteMs: number;
}

export const DEFAULT_TIMINGS: ReaderTimings = { cardMs: 3000, readerMs: 1000, interByteMs: 100 };
export const DEFAULT_MAX_RESENDS = 2;

export function commandByCode(cm: number, pm: number): [CommandName, CommandSpec] | undefined {
  return (Object.entries(COMMANDS) as Array<[CommandName, CommandSpec]>).find(([, c]) => c.cm === cm && (c.pm === null || c.pm === pm));
}

export function isResendable(spec: CommandSpec, data: Uint8Array): boolean {
  if (spec.resend === 'by-ins') return data.length >= 2 && RESENDABLE_INS.includes(data[1]!);
  return spec.resend;
}
