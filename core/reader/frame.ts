// Encoding and parsing of one frame: F2 | LEN_H LEN_L | TEXT | 03 | BCC (BCC = XOR of F2..03).
import { asciiBytes, concatBytes } from '../card/bytes';
import { ETX, MAX_TEXT, MIN_TEXT, STX, TEXT_KIND } from './table';

export type FrameKind = keyof typeof TEXT_KIND;

export interface Frame {
  readonly kind: FrameKind;
  readonly cm: number;
  readonly pm: number;
  /** S1 S0 (positive) or E1 E0 (negative) as their two ASCII digits; '' for a command. */
  readonly status: string;
  readonly data: Uint8Array;
  /** The whole frame as on the wire. */
  readonly raw: Uint8Array;
}

export function bcc(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let x = 0;
  for (let i = from; i < to; i++) x ^= bytes[i]!;
  return x;
}

export function encodeFrame(text: Uint8Array): Uint8Array {
  if (text.length < MIN_TEXT || text.length > MAX_TEXT) throw new Error(`frame TEXT must be ${MIN_TEXT}..${MAX_TEXT} bytes, got ${text.length}`);
  const out = new Uint8Array(text.length + 5);
  out[0] = STX;
  out[1] = text.length >> 8;
  out[2] = text.length & 0xff;
  out.set(text, 3);
  out[3 + text.length] = ETX;
  out[4 + text.length] = bcc(out, 0, 4 + text.length);
  return out;
}

export function commandFrame(cm: number, pm: number, data: Uint8Array = new Uint8Array()): Uint8Array {
  return encodeFrame(concatBytes(Uint8Array.from([TEXT_KIND.command, cm, pm]), data));
}

function twoDigits(code: string, what: string): Uint8Array {
  if (!/^\d\d$/.test(code)) throw new Error(`${what} must be two ASCII digits, got ${JSON.stringify(code)}`);
  return asciiBytes(code);
}

export function positiveFrame(cm: number, pm: number, status: string, data: Uint8Array = new Uint8Array()): Uint8Array {
  return encodeFrame(concatBytes(Uint8Array.from([TEXT_KIND.positive, cm, pm]), twoDigits(status, 'S1 S0'), data));
}

export function negativeFrame(cm: number, pm: number, code: string): Uint8Array {
  return encodeFrame(concatBytes(Uint8Array.from([TEXT_KIND.negative, cm, pm]), twoDigits(code, 'E1 E0')));
}

const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;

/** Parses a TEXT whose framing (LEN, ETX, BCC) is already checked; null when it is not a valid TEXT. */
export function parseText(text: Uint8Array, raw: Uint8Array): Frame | null {
  const [kindByte, cm, pm] = text;
  if (cm === undefined || pm === undefined) return null;
  if (kindByte === TEXT_KIND.command) return { kind: 'command', cm, pm, status: '', data: text.slice(3), raw };
  if (kindByte !== TEXT_KIND.positive && kindByte !== TEXT_KIND.negative) return null;
  if (!isDigit(text[3]) || !isDigit(text[4])) return null;
  const status = String.fromCharCode(text[3]!, text[4]!);
  return { kind: kindByte === TEXT_KIND.positive ? 'positive' : 'negative', cm, pm, status, data: text.slice(5), raw };
}

/** Whether a byte may start a TEXT (used to give up on impossible candidates early). */
export function isTextKind(byte: number): boolean {
  return byte === TEXT_KIND.command || byte === TEXT_KIND.positive || byte === TEXT_KIND.negative;
}
