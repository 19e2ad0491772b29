// Resynchronisation on byte fixtures: any chunking, garbage, stray F2, impossible LEN, bad BCC,
// truncated frames and the inter-byte expiry.
import { describe, expect, test } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../../core/card/bytes';
import { Deframer, type DeframerEvent } from '../../../core/reader/deframer';
import { positiveFrame } from '../../../core/reader/frame';

const A = positiveFrame(0x51, 0x33, '00', fromHex('0A0131 9000'));
const B = positiveFrame(0x31, 0x30, '01');
// A reply whose data contains F2 bytes and a complete-looking "frame" inside its data.
const C = positiveFrame(0x51, 0x33, '00', fromHex('F2 00 03 43 51 30 03 D0 F2 F2 9000'));

const frames = (events: DeframerEvent[]): string[] => events.flatMap((e) => (e.type === 'frame' ? [toHex(e.frame.raw)] : []));
const reasons = (events: DeframerEvent[]): string[] => events.flatMap((e) => (e.type === 'dropped' ? [e.reason] : []));

describe('Deframer', () => {
  test('every split of three back-to-back frames yields exactly those frames', () => {
    const stream = concatBytes(A, C, B);
    for (let cut = 0; cut <= stream.length; cut++) {
      const d = new Deframer();
      const out = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
      expect(frames(out)).toEqual([toHex(A), toHex(C), toHex(B)]);
      expect(reasons(out)).toEqual([]);
    }
  });

  test('one byte at a time', () => {
    const d = new Deframer();
    const out = [...concatBytes(C, A)].flatMap((b) => d.push(Uint8Array.of(b)));
    expect(frames(out)).toEqual([toHex(C), toHex(A)]);
  });

  test('noise, a stray F2, LEN above 512 and below 3 are dropped, then the frame is found', () => {
    const garbage = fromHex('00 13 F2 55 F2 FF FF 7E F2 00 02 50 03 51');
    const out = new Deframer().push(concatBytes(garbage, A));
    expect(frames(out)).toEqual([toHex(A)]);
    expect(reasons(out)).toEqual(expect.arrayContaining(['noise', 'length']));
  });

  test('LEN 513 is refused at once, not waited for', () => {
    const d = new Deframer();
    expect(reasons(d.push(fromHex('F2 02 01 50 51 33')))).toEqual(['length', 'noise']);
    expect(d.pending).toBe(0);
    expect(reasons(new Deframer(600).push(fromHex('F2 02 01 50 51 33')))).toEqual([]);
  });

  test('a bad BCC drops one byte and rescans: the next frame survives', () => {
    const broken = Uint8Array.from(A);
    broken[broken.length - 1]! ^= 0x01;
    const out = new Deframer().push(concatBytes(broken, B));
    expect(frames(out)).toEqual([toHex(B)]);
    expect(reasons(out)[0]).toBe('bcc');
    const bccDrop = out.find((e) => e.type === 'dropped' && e.reason === 'bcc');
    expect(bccDrop?.type === 'dropped' && toHex(bccDrop.text!)).toBe(toHex(A.subarray(3, A.length - 2)));
  });

  test('a missing 03 is an etx failure', () => {
    const broken = Uint8Array.from(B);
    broken[broken.length - 2] = 0x04;
    expect(reasons(new Deframer().push(broken))[0]).toBe('etx');
  });

  test('an impossible first TEXT byte is dropped without waiting for LEN bytes', () => {
    const d = new Deframer();
    const out = d.push(fromHex('F2 01 FF 00'));
    expect(reasons(out)).toEqual(['kind', 'noise']);
    expect(d.pending).toBe(0);
  });

  test('a truncated frame waits, and expire() resyncs through the buffer to a later complete frame', () => {
    const d = new Deframer();
    // A stray F2 with a large but legal LEN swallows the real frame until the line goes quiet.
    expect(frames(d.push(concatBytes(fromHex('F2 01 00 50'), B)))).toEqual([]);
    expect(d.pendingText() && toHex(d.pendingText()!)).toMatch(/^50/);
    const out = d.expire();
    expect(frames(out)).toEqual([toHex(B)]);
    expect(reasons(out)[0]).toBe('incomplete');
    expect(d.pending).toBe(0);
  });

  test('expire() drops a lone truncated frame; reset() hands back what was pending', () => {
    const d = new Deframer();
    d.push(A.subarray(0, 6));
    expect(d.pending).toBe(6);
    expect(reasons(d.expire())).toContain('incomplete');
    d.push(A.subarray(0, 4));
    expect(toHex(d.reset())).toBe(toHex(A.subarray(0, 4)));
    expect(d.pending).toBe(0);
  });

  test('a frame longer than the buffer grows it', () => {
    const big = positiveFrame(0x51, 0x33, '00', new Uint8Array(505).fill(0xf2));
    const d = new Deframer();
    expect(frames([...d.push(fromHex('00'.repeat(900))), ...d.push(big), ...d.push(big)])).toEqual([toHex(big), toHex(big)]);
  });
});
