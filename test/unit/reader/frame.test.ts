// The framer against the spec's example frames, byte for byte (shared/specs/reader-protocol.md).
import { describe, expect, test } from 'vitest';
import { fromHex, toSpacedHex } from '../../../core/card/bytes';
import { readRecord, selectSsse } from '../../../core/card/apdu';
import { Deframer } from '../../../core/reader/deframer';
import { bcc, commandFrame, encodeFrame, negativeFrame, positiveFrame } from '../../../core/reader/frame';
import { COMMANDS } from '../../../core/reader/table';

const SPEC_EXAMPLES: Array<[string, Uint8Array, string]> = [
  ['cold reset', commandFrame(COMMANDS.coldReset.cm, COMMANDS.coldReset.pm), 'F2 00 03 43 51 30 03 D0'],
  ['status', commandFrame(COMMANDS.status.cm, COMMANDS.status.pm), 'F2 00 03 43 31 30 03 B0'],
  ['READ RECORD 08', commandFrame(0x51, 0x33, readRecord(0x08, 0x14)), 'F2 00 08 43 51 33 00 B2 08 04 14 03 72'],
  ['SELECT SSSE by name', commandFrame(0x51, 0x33, selectSsse()), 'F2 00 17 43 51 33 00 A4 04 00 0F 73 78 31 2E 73 68 2E C9 E7 BB E1 B1 A3 D5 CF 03 35'],
  ['GET CHALLENGE', commandFrame(0x51, 0x33, fromHex('0084000008')), 'F2 00 08 43 51 33 00 84 00 00 08 03 54'],
];

describe('frame encoding', () => {
  test.each(SPEC_EXAMPLES)('%s encodes to the spec bytes', (_name, frame, expected) => {
    expect(toSpacedHex(frame)).toBe(expected);
  });

  test.each(SPEC_EXAMPLES)('%s decodes back to its command', (_name, frame) => {
    const [event] = new Deframer().push(frame);
    expect(event).toMatchObject({ type: 'frame', frame: { kind: 'command', cm: frame[4], pm: frame[5] } });
    expect(event?.type === 'frame' && toSpacedHex(event.frame.raw)).toBe(toSpacedHex(frame));
  });

  test('BCC is the XOR of F2 through 03', () => {
    const frame = fromHex('F2 00 03 43 51 30 03 D0');
    expect(bcc(frame, 0, 7)).toBe(0xd0);
  });

  test('replies: positive carries S1 S0 and data, negative carries E1 E0', () => {
    const positive = positiveFrame(0x51, 0x33, '00', fromHex('9000'));
    expect(toSpacedHex(positive)).toBe('F2 00 07 50 51 33 30 30 90 00 03 54');
    expect(new Deframer().push(positive)[0]).toMatchObject({ type: 'frame', frame: { kind: 'positive', status: '00', data: fromHex('9000') } });
    const negative = negativeFrame(0x51, 0x30, '60');
    expect(toSpacedHex(negative)).toBe(`F2 00 05 4E 51 30 36 30 03 ${toSpacedHex(Uint8Array.of(bcc(negative, 0, 9)))}`);
    expect(new Deframer().push(negative)[0]).toMatchObject({ type: 'frame', frame: { kind: 'negative', status: '60' } });
  });

  test('TEXT outside 3..512 bytes and non-digit statuses are refused', () => {
    expect(() => encodeFrame(fromHex('4351'))).toThrow(/3\.\.512/);
    expect(() => encodeFrame(new Uint8Array(513))).toThrow(/3\.\.512/);
    expect(encodeFrame(new Uint8Array(512).fill(0x43))).toHaveLength(517);
    expect(() => positiveFrame(0x51, 0x30, '0A')).toThrow(/S1 S0/);
    expect(() => negativeFrame(0x51, 0x30, '6')).toThrow(/E1 E0/);
  });
});
