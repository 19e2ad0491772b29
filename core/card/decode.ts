// Decoding of SSSE record responses (TLV: tag, length, value) into text. Every failure is a
// CardDecodeError naming the record, so a malformed card can never crash the caller or yield a
// half-decoded holder.
import { hex2, toHex } from './bytes';
import { type RecordSpec } from './records';

export class CardDecodeError extends Error {
  constructor(readonly record: RecordSpec, detail: string) {
    super(`record ${hex2(record.tag)} (${record.label}): ${detail}`);
    this.name = 'CardDecodeError';
  }
}

interface TextDecoderLike { decode(bytes: Uint8Array): string }
type TextDecoderCtor = new (label: string, options?: { fatal?: boolean }) => TextDecoderLike;

// TextDecoder is a web-standard global (Node ≥ 11 with full ICU, every browser); core/ compiles
// without DOM or Node typings, so it is reached through globalThis with a minimal type.
let gbkDecoder: TextDecoderLike | undefined;
function gbk(): TextDecoderLike {
  if (!gbkDecoder) {
    const Ctor = (globalThis as unknown as { TextDecoder?: TextDecoderCtor }).TextDecoder;
    if (!Ctor) throw new Error('this runtime has no TextDecoder, cannot decode GBK names');
    gbkDecoder = new Ctor('gbk', { fatal: true });
  }
  return gbkDecoder;
}

/** Splits `tag len value` out of a READ RECORD response (SW already removed). */
export function recordValue(record: RecordSpec, data: Uint8Array): Uint8Array {
  if (data.length < 2) throw new CardDecodeError(record, `response has ${data.length} bytes, expected at least tag and length`);
  if (data[0] !== record.tag) throw new CardDecodeError(record, `response carries tag ${hex2(data[0]!)}`);
  const length = data[1]!;
  if (length > record.length) throw new CardDecodeError(record, `value length ${length} exceeds the field length ${record.length}`);
  if (data.length < 2 + length) throw new CardDecodeError(record, `value truncated: length says ${length}, ${data.length - 2} bytes present`);
  return data.subarray(2, 2 + length);
}

function trimTrailing(bytes: Uint8Array, pads: readonly number[]): Uint8Array {
  let end = bytes.length;
  while (end > 0 && pads.includes(bytes[end - 1]!)) end--;
  return bytes.subarray(0, end);
}

/** BCD/hex nibbles with trailing F padding removed. */
function nibbles(bytes: Uint8Array): string {
  return toHex(bytes).replace(/F+$/, '');
}

function decodeAn(record: RecordSpec, value: Uint8Array): string {
  const bytes = trimTrailing(value, [0x00, 0x20]);
  let out = '';
  for (const b of bytes) {
    if (b < 0x20 || b > 0x7e) throw new CardDecodeError(record, `byte ${hex2(b)} is not printable ASCII`);
    out += String.fromCharCode(b);
  }
  return out;
}

function isValidDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1]!;
}

function decodeDate(record: RecordSpec, value: Uint8Array): string {
  const digits = nibbles(value);
  if (digits === '') return '';
  if (!/^\d{8}$/.test(digits)) throw new CardDecodeError(record, `"${digits}" is not a BCD date YYYYMMDD`);
  const [y, m, d] = [Number(digits.slice(0, 4)), Number(digits.slice(4, 6)), Number(digits.slice(6, 8))];
  if (y < 1900 || !isValidDate(y, m, d)) throw new CardDecodeError(record, `${digits} is not a calendar date`);
  return `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
}

function decodeGbk(record: RecordSpec, value: Uint8Array): string {
  const bytes = trimTrailing(value, [0x00]);
  try {
    return gbk().decode(bytes).replace(/[\s\u3000]+$/u, '');
  } catch {
    throw new CardDecodeError(record, 'name bytes are not valid GBK');
  }
}

/** Decodes one record's value (as returned by `recordValue`). */
export function decodeValue(record: RecordSpec, value: Uint8Array): string {
  switch (record.format) {
    case 'hex': {
      if (value.length !== record.length) throw new CardDecodeError(record, `has ${value.length} bytes, expected ${record.length}`);
      const text = toHex(value);
      if (!/^\d{6}/.test(text)) throw new CardDecodeError(record, `does not start with a 6-digit region code: ${text.slice(0, 6)}`);
      return text;
    }
    case 'an': return decodeAn(record, value);
    case 'cn': {
      const digits = nibbles(value);
      if (!/^\d*$/.test(digits)) throw new CardDecodeError(record, `"${digits}" is not BCD digits`);
      return digits;
    }
    case 'cnHex': return nibbles(value);
    case 'date': return decodeDate(record, value);
    case 'gbk': return decodeGbk(record, value);
  }
}

/** Decodes a whole READ RECORD response body (TLV, SW removed). */
export function decodeRecord(record: RecordSpec, data: Uint8Array): string {
  return decodeValue(record, recordValue(record, data));
}
