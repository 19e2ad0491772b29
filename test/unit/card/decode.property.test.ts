// Fuzz: random record bytes never crash the decoder other than with a typed CardDecodeError, and a
// well-formed TLV of the right tag and length either decodes or fails with that same typed error.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CardDecodeError, decodeRecord } from '../../../core/card/decode';
import { SSSE_RECORDS } from '../../../core/card/records';

const outcome = (run: () => string): 'ok' | 'typed' => {
  try {
    expect(typeof run()).toBe('string');
    return 'ok';
  } catch (error) {
    if (error instanceof CardDecodeError) return 'typed';
    throw error;
  }
};

describe('decoder fuzz', () => {
  test.each(SSSE_RECORDS.map((r) => [r.key, r] as const))('%s: arbitrary bytes', (_key, record) => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => { outcome(() => decodeRecord(record, bytes)); }), { numRuns: 500 });
  });

  test.each(SSSE_RECORDS.map((r) => [r.key, r] as const))('%s: right tag and length, random value', (_key, record) => {
    fc.assert(fc.property(fc.integer({ min: 0, max: record.length }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })), (value) => {
      outcome(() => decodeRecord(record, Uint8Array.from([record.tag, value.length, ...value])));
    }), { numRuns: 500 });
  });
});
