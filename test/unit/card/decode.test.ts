// Decoding of SSSE record responses on byte fixtures: TLV, BCD with F padding, ASCII with 00
// padding, GBK names, dates, and every way a record can be malformed.
import { describe, expect, test } from 'vitest';
import { fromHex } from '../../../core/card/bytes';
import { CardDecodeError, decodeRecord } from '../../../core/card/decode';
import { recordByTag, type RecordSpec } from '../../../core/card/records';

const rec = (tag: number): RecordSpec => recordByTag(tag)!;
const decode = (tag: number, hex: string): string => decodeRecord(rec(tag), fromHex(hex));

describe('record decoding', () => {
  test('card identification code: 16 bytes → 32 hex chars starting with the region', () => {
    expect(decode(0x01, '01 10 33 01 00 D1 56 00 00 05 A1 B2 C3 D4 E5 F6 07 18')).toBe('330100D156000005A1B2C3D4E5F60718');
  });

  test('an: ASCII right-padded with 00 (and spaces) is trimmed', () => {
    expect(decode(0x07, '07 09 41 30 30 30 30 30 30 30 31')).toBe('A00000001');
    expect(decode(0x03, '03 04 32 2E 30 30')).toBe('2.00');
    expect(decode(0x08, `08 12 ${'33 33 30 31 30 36 31 39 39 30 30 31 30 31 31 32 33 34'}`)).toBe('330106199001011234');
    expect(decode(0x07, '07 09 41 31 32 00 00 00 00 00 00')).toBe('A12');
    expect(decode(0x0a, '0A 01 32')).toBe('2');
  });

  test('cn: BCD digits with trailing F nibbles stripped', () => {
    expect(decode(0x0b, '0B 01 01')).toBe('01');
    expect(decode(0x0c, '0C 03 53 23 01')).toBe('532301');
    expect(decode(0x0c, '0C 03 42 03 FF')).toBe('4203');
    expect(decode(0x04, '04 0C 42 03 00 00 00 01 FF FF FF FF FF FF')).toBe('420300000001');
  });

  test('dates: BCD YYYYMMDD → YYYY-MM-DD; all-F is an empty field', () => {
    expect(decode(0x0d, '0D 04 19 90 01 01')).toBe('1990-01-01');
    expect(decode(0x05, '05 04 20 24 02 29')).toBe('2024-02-29');
    expect(decode(0x06, '06 04 FF FF FF FF')).toBe('');
  });

  test('names: GBK, 00 padding removed', () => {
    // 张三 = D5 C5 C8 FD in GBK.
    expect(decode(0x09, `09 1E D5 C5 C8 FD ${'00 '.repeat(26)}`)).toBe('张三');
    expect(decode(0x4e, `4E 14 ${'00 '.repeat(20)}`)).toBe('');
    // An unpadded name record (value shorter than the field) is fine.
    expect(decode(0x09, '09 04 D5 C5 C8 FD')).toBe('张三');
  });

  test.each([
    [0x07, '08 09 41 30 30 30 30 30 30 30 31', /carries tag 08/],
    [0x07, '07', /at least tag and length/],
    [0x07, '07 09 41 30', /truncated/],
    [0x0a, '0A 02 31 32', /exceeds the field length 1/],
    [0x01, '01 04 33 01 00 D1', /has 4 bytes, expected 16/],
    [0x01, '01 10 AB 01 00 D1 56 00 00 05 A1 B2 C3 D4 E5 F6 07 18', /6-digit region/],
    [0x07, '07 09 41 30 30 30 30 30 30 30 FF', /not printable ASCII/],
    [0x0b, '0B 01 1A', /not BCD digits/],
    [0x0d, '0D 04 19 90 13 01', /not a calendar date/],
    [0x0d, '0D 04 20 23 02 29', /not a calendar date/],
    [0x0d, '0D 04 00 00 00 00', /not a calendar date/],
    [0x05, '05 04 19 9A 01 01', /not a BCD date/],
    [0x09, '09 02 81 20', /not valid GBK/],
    [0x09, '09 01 D5', /not valid GBK/],
  ])('record %i malformed (%s) is a CardDecodeError naming the record', (tag, hex, message) => {
    let caught: unknown;
    try { decode(tag, hex); } catch (error) { caught = error; }
    expect(caught).toBeInstanceOf(CardDecodeError);
    expect((caught as CardDecodeError).message).toMatch(message);
    expect((caught as CardDecodeError).message).toMatch(new RegExp(`^record ${tag.toString(16).padStart(2, '0').toUpperCase()} `));
  });
});
