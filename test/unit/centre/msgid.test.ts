import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { MSGID, msgidGenerator, nextMsgid, stateOfMsgid, type MsgidState } from '../../../core/centre/msgid';
import { addSecondsToCompact, formatCompact, formatDateTime, isDateTimeText } from '../../../core/centre/time';

const CODE = 'P42030200001';
const at = (iso: string): Date => new Date(iso);

describe('centre time', () => {
  test('is China time (UTC+8) whatever the machine zone', () => {
    expect(formatCompact(at('2024-12-31T16:00:00Z'))).toBe('20250101000000');
    expect(formatDateTime(at('2024-02-29T15:59:59.999Z'))).toBe('2024-02-29 23:59:59');
  });

  test('adds seconds across day, month and year ends', () => {
    expect(addSecondsToCompact('20241231235959', 1)).toBe('20250101000000');
    expect(addSecondsToCompact('20240228235959', 1)).toBe('20240229000000');
    expect(() => addSecondsToCompact('2024', 1)).toThrow(/yyyyMMddHHmmss/);
  });

  test('recognises only real date-times', () => {
    expect(isDateTimeText('2024-02-29 12:00:00')).toBe(true);
    expect(isDateTimeText('2023-02-29 12:00:00')).toBe(false);
    expect(isDateTimeText('2024-01-01 24:00:00')).toBe(false);
    expect(isDateTimeText('2024-01-01T12:00:00')).toBe(false);
  });
});

describe('msgid', () => {
  test('is institution code + yyyyMMddHHmmss (China time) + 4-digit sequence, 30 characters', () => {
    const { msgid, state } = nextMsgid(CODE, at('2025-03-01T01:02:03Z'), null);
    expect(msgid).toBe('P42030200001202503010902030001');
    expect(msgid).toHaveLength(30);
    expect(msgid).toMatch(MSGID);
    expect(state).toEqual({ stamp: '20250301090203', seq: 1 });
  });

  test('counts within a second and restarts at 1 in the next', () => {
    const t = at('2025-03-01T01:02:03.100Z');
    const a = nextMsgid(CODE, t, null);
    const b = nextMsgid(CODE, at('2025-03-01T01:02:03.900Z'), a.state);
    const c = nextMsgid(CODE, at('2025-03-01T01:02:04Z'), b.state);
    expect([a.msgid.slice(-4), b.msgid.slice(-4), c.msgid.slice(-4)]).toEqual(['0001', '0002', '0001']);
    expect(c.state.stamp).toBe('20250301090204');
  });

  test('a clock stepped backwards never reissues an earlier msgid', () => {
    const last: MsgidState = { stamp: '20250301090210', seq: 7 };
    const next = nextMsgid(CODE, at('2025-03-01T01:02:03Z'), last);
    expect(next.msgid).toBe(`${CODE}202503010902100008`);
  });

  test('after 9,999 in one second it borrows the next second (also across midnight)', () => {
    const next = nextMsgid(CODE, at('2025-12-31T15:59:59Z'), { stamp: '20251231235959', seq: 9999 });
    expect(next.msgid).toBe(`${CODE}202601010000000001`);
  });

  test('its state can be recovered from the last msgid issued', () => {
    expect(stateOfMsgid(`${CODE}202503010902030042`)).toEqual({ stamp: '20250301090203', seq: 42 });
    expect(() => stateOfMsgid('short')).toThrow(/not a msgid/);
  });

  test('refuses an institution code that would break the 30-character layout', () => {
    expect(() => nextMsgid('P4203', new Date(), null)).toThrow(/12 letters or digits/);
  });

  test('property: any clock (bursts, stalls, steps back) yields strictly increasing, unique msgids', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -5_000, max: 3_000 }), { minLength: 1, maxLength: 400 }), (steps) => {
      let t = Date.parse('2025-06-30T15:59:58Z');
      const gen = msgidGenerator(CODE, () => new Date(t));
      const ids: string[] = [];
      for (const step of steps) {
        t += step;
        ids.push(gen());
      }
      for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(MSGID);
    }));
  });

  test('10,001 msgids in the same millisecond are all distinct', () => {
    const gen = msgidGenerator(CODE, () => at('2025-01-01T00:00:00Z'));
    const ids = Array.from({ length: 10_001 }, gen);
    expect(new Set(ids).size).toBe(10_001);
    expect(ids.at(-1)).toBe(`${CODE}202501010800010002`);
  });
});
