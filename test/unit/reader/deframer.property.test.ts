// Property: random garbage interleaved with valid frames, in random chunks, never yields a wrong
// frame. "Wrong" is judged by an independent oracle: a frame may be accepted only where one of the
// sent frames starts, unless the garbage itself happens to contain a complete valid frame (then
// the oracle, a naive scan of the whole stream, says so and the case is set aside).
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { concatBytes, toHex } from '../../../core/card/bytes';
import { Deframer } from '../../../core/reader/deframer';
import { commandFrame, negativeFrame, positiveFrame } from '../../../core/reader/frame';

const frameArb = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 60 })).map(([cm, pm, d]) => commandFrame(cm, pm, d)),
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 99 }), fc.uint8Array({ maxLength: 60 }))
    .map(([cm, pm, s, d]) => positiveFrame(cm, pm, String(s).padStart(2, '0'), d)),
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 99 }))
    .map(([cm, pm, e]) => negativeFrame(cm, pm, String(e).padStart(2, '0'))),
);

// Garbage rich in the bytes that matter: F2, 00, 03, 43/50/4E, plus prefixes of real frames.
const garbageArb = fc.oneof(
  fc.uint8Array({ maxLength: 40 }),
  fc.array(fc.constantFrom(0xf2, 0x00, 0x03, 0x43, 0x50, 0x4e, 0x30, 0xff, 0x01), { maxLength: 30 }).map((a) => Uint8Array.from(a)),
  frameArb.chain((f) => fc.integer({ min: 1, max: f.length - 1 }).map((n) => f.slice(0, n))),
);

/** Naive oracle: is there a complete valid frame starting at `i`? */
function validAt(s: Uint8Array, i: number): number {
  if (s[i] !== 0xf2 || i + 3 > s.length) return 0;
  const len = (s[i + 1]! << 8) | s[i + 2]!;
  if (len < 3 || len > 512 || i + len + 5 > s.length || s[i + 3 + len] !== 0x03) return 0;
  let x = 0;
  for (let k = i; k < i + 4 + len; k++) x ^= s[k]!;
  if (x !== s[i + 4 + len]) return 0;
  const kind = s[i + 3];
  if (kind !== 0x43 && kind !== 0x50 && kind !== 0x4e) return 0;
  if (kind !== 0x43 && !(s[i + 6]! >= 0x30 && s[i + 6]! <= 0x39 && s[i + 7]! >= 0x30 && s[i + 7]! <= 0x39 && len >= 5)) return 0;
  return len + 5;
}

describe('Deframer property', () => {
  test('garbage interleaved with frames, any chunking: exactly the sent frames, in order', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(garbageArb, frameArb), { minLength: 1, maxLength: 8 }), garbageArb,
      fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }),
      (pairs, tail, chunkSizes) => {
        const parts: Uint8Array[] = [];
        const starts = new Set<number>();
        let offset = 0;
        for (const [garbage, frame] of pairs) {
          parts.push(garbage, frame);
          starts.add(offset + garbage.length);
          offset += garbage.length + frame.length;
        }
        parts.push(tail);
        const stream = concatBytes(...parts);
        // Set aside the rare case where garbage (with what follows) forms a valid frame elsewhere.
        for (let i = 0; i < stream.length; i++) fc.pre(starts.has(i) || validAt(stream, i) === 0);

        const d = new Deframer();
        const out: string[] = [];
        let at = 0;
        for (let c = 0; at < stream.length; c++) {
          const size = chunkSizes[c % chunkSizes.length]!;
          for (const e of d.push(stream.subarray(at, at + size))) if (e.type === 'frame') out.push(toHex(e.frame.raw));
          at += size;
        }
        for (const e of d.expire()) if (e.type === 'frame') out.push(toHex(e.frame.raw));
        expect(out).toEqual(pairs.map(([, f]) => toHex(f)));
      },
    ), { numRuns: 400 });
  });

  test('whatever the bytes, every accepted frame is a valid frame found by the oracle at that place', () => {
    fc.assert(fc.property(fc.array(fc.oneof(garbageArb, frameArb), { maxLength: 12 }), (parts) => {
      const stream = concatBytes(...parts);
      const d = new Deframer();
      const events = [...d.push(stream), ...d.expire()];
      let consumed = 0;
      for (const e of events) {
        if (e.type === 'frame') expect(validAt(stream, consumed)).toBe(e.frame.raw.length);
        consumed += e.type === 'frame' ? e.frame.raw.length : e.bytes.length;
      }
      expect(consumed).toBe(stream.length);
    }), { numRuns: 400 });
  });
});
