// Trace lines: timestamps, directions, and no holder data (EF06 values masked).
import { describe, expect, test } from 'vitest';
import { fromHex, toHex } from '../../../core/card/bytes';
import { readRecord } from '../../../core/card/apdu';
import { Deframer } from '../../../core/reader/deframer';
import { commandFrame, type Frame, positiveFrame } from '../../../core/reader/frame';
import { formatTraceEvent, maskedFrameHex } from '../../../core/reader/trace-format';

const frameOf = (bytes: Uint8Array): Frame => {
  const [e] = new Deframer().push(bytes);
  if (e?.type !== 'frame') throw new Error('not a frame');
  return e.frame;
};

describe('trace formatting', () => {
  const ssn = new TextEncoder().encode('420302198503120017');
  const reply = frameOf(positiveFrame(0x51, 0x33, '00', Uint8Array.from([0x08, 0x12, ...ssn, 0x90, 0x00])));

  test('an EF06 record value is masked; tag, length, SW, ETX and BCC stay', () => {
    const hex = maskedFrameHex(reply, readRecord(0x08, 0x14));
    expect(hex).not.toContain(toHex(ssn.subarray(0, 2)).replace(/(..)/, '$1 '));
    expect(hex).toMatch(/^F2 00 1B 50 51 33 30 30 08 12 (·· ){18}90 00 03 [0-9A-F]{2}$/);
  });

  test('EF05 records and other frames are shown as they are', () => {
    const cardNo = frameOf(positiveFrame(0x51, 0x33, '00', fromHex('0709 543432303330303031 9000')));
    expect(maskedFrameHex(cardNo, readRecord(0x07, 0x0b))).toContain('54 34 32 30 33 30 30 30 31');
  });

  test('lines carry a relative timestamp, the direction and the meaning', () => {
    const tx = formatTraceEvent({ kind: 'tx', at: 1012.5, bytes: commandFrame(0x51, 0x33, readRecord(0x08, 0x14)), command: { name: 'apdu', data: readRecord(0x08, 0x14) }, attempt: 2 }, 1000);
    expect(tx).toBe('    12.500 ms  host→reader  F2 00 08 43 51 33 00 B2 08 04 14 03 72  APDU exchange, T=0 READ RECORD 08 (attempt 2)');
    const rx = formatTraceEvent({ kind: 'rx', at: 1020, bytes: reply.raw, frame: reply, command: { name: 'apdu', data: readRecord(0x08, 0x14) } }, 1000);
    expect(rx).toMatch(/reader→host .* P 00 to READ RECORD 08: SW 9000$/);
    expect(rx).not.toMatch(/34 32 30 33 30 32/);
    const stale = formatTraceEvent({ kind: 'rx', at: 1020, bytes: reply.raw, frame: reply }, 1000);
    expect(stale).toMatch(/\[stale: dropped\]$/);
    const drop = formatTraceEvent({ kind: 'drop', at: 1021, bytes: ssn, reason: 'noise' }, 1000);
    expect(drop).toBe('    21.000 ms  reader→host  dropped 18 byte(s) (noise): 34 32 30 33 …');
  });
});
