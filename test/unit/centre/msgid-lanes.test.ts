// Several tills of one pharmacy share its fixmedins_code: msgids issued in different lanes never
// collide, whatever the clocks do, and each lane stays inside its thousand.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextMsgid, type MsgidState } from '../../../core/centre/msgid';

const CODE = 'P42030200001';

describe('msgid lanes', () => {
  it('two tills issuing at the same instants never produce the same msgid', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: 3_000 }), { minLength: 1, maxLength: 400 }),
      fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }),
      (steps, a, b) => {
        fc.pre(a !== b);
        const seen = new Set<string>();
        let sa: MsgidState | null = null;
        let sb: MsgidState | null = null;
        let t = Date.parse('2026-12-02T02:00:00Z');
        for (const step of steps) {
          t += step; // ms; many calls within one second
          const x = nextMsgid(CODE, new Date(t), sa, a);
          const y = nextMsgid(CODE, new Date(t), sb, b);
          sa = x.state; sb = y.state;
          for (const [m, lane] of [[x.msgid, a], [y.msgid, b]] as const) {
            expect(seen.has(m)).toBe(false);
            seen.add(m);
            expect(Math.floor(Number(m.slice(26)) / 1000)).toBe(lane);
          }
        }
      }));
  });

  it('a lane that fills its 999 msgids of a second borrows the next second', () => {
    const full = nextMsgid(CODE, new Date('2026-12-02T02:00:00Z'), { stamp: '20261202100000', seq: 3999 }, 3);
    expect(full.msgid).toBe(`${CODE}202612021000013001`);
  });

  it('a till moved into a lane within the same second starts in the next second', () => {
    const moved = nextMsgid(CODE, new Date('2026-12-02T02:00:00Z'), { stamp: '20261202100000', seq: 12 }, 2);
    expect(moved.msgid).toBe(`${CODE}202612021000012001`);
  });
});
