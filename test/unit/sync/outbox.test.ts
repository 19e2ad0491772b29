import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  actionFor, IllegalTransition, newEntry, OUTBOX_EVENT_TYPES, OUTBOX_STATES, transition, type OutboxEntry, type OutboxEvent,
  type OutboxEventType, type OutboxState,
} from '../../../core/sync/outbox';

const sample: Record<OutboxEventType, OutboxEvent> = {
  send_started: { type: 'send_started' },
  settled: { type: 'settled' },
  rejected: { type: 'rejected', message: '目录编码不存在' },
  not_delivered: { type: 'not_delivered', reason: 'ECONNREFUSED' },
  outcome_unknown: { type: 'outcome_unknown', reason: 'timeout' },
  query_started: { type: 'query_started' },
  query_not_found: { type: 'query_not_found' },
  query_failed: { type: 'query_failed', reason: 'rejected', countable: true },
  escalate: { type: 'escalate', reason: 'manager' },
  reversed: { type: 'reversed' },
  reverse_failed: { type: 'reverse_failed', reason: 'timeout' },
  reverse_rejected: { type: 'reverse_rejected', message: 'no' },
  crash_recovered: { type: 'crash_recovered' },
  requeue: { type: 'requeue' },
  withdrawn: { type: 'withdrawn' },
};

/** The whole table: every (state, event) pair, allowed ones with their target. */
const ALLOWED: Record<OutboxState, Partial<Record<OutboxEventType, OutboxState>>> = {
  pending: { send_started: 'sending', withdrawn: 'reversed' },
  sending: { settled: 'confirmed', rejected: 'parked', not_delivered: 'pending', outcome_unknown: 'unknown', crash_recovered: 'unknown' },
  unknown: { query_started: 'querying', settled: 'confirmed', escalate: 'reversing' },
  querying: { settled: 'confirmed', query_not_found: 'pending', query_failed: 'unknown', crash_recovered: 'unknown' },
  reversing: { settled: 'confirmed', reversed: 'reversed', reverse_failed: 'reversing', reverse_rejected: 'parked' },
  confirmed: {},
  parked: { requeue: 'pending' },
  reversed: {},
};

const entry = (state: OutboxState, changes: Partial<OutboxEntry> = {}): OutboxEntry => ({ ...newEntry(), state, ...changes });

describe('outbox transitions', () => {
  const pairs = OUTBOX_STATES.flatMap((s) => OUTBOX_EVENT_TYPES.map((e) => [s, e] as const));

  test(`the table covers all ${OUTBOX_STATES.length} × ${OUTBOX_EVENT_TYPES.length} pairs`, () => {
    expect(pairs).toHaveLength(OUTBOX_STATES.length * OUTBOX_EVENT_TYPES.length);
  });

  test.each(pairs)('%s + %s', (state, event) => {
    const target = ALLOWED[state][event];
    const before = entry(state);
    const frozen = JSON.stringify(before);
    if (target === undefined) {
      expect(() => transition(before, sample[event])).toThrow(IllegalTransition);
    } else {
      expect(transition(before, sample[event]).state).toBe(target);
    }
    expect(JSON.stringify(before)).toBe(frozen);
  });

  test('only send_started counts a send, and only from pending', () => {
    const sent = transition(newEntry(), sample.send_started);
    expect(sent.sends).toBe(1);
    const again = transition(transition(sent, sample.not_delivered), sample.send_started);
    expect(again.sends).toBe(2);
  });

  test('withdrawing a pending sale: never sent → reversed at once; sent before → reversed through 2601', () => {
    expect(transition(entry('pending'), sample.withdrawn)).toMatchObject({ state: 'reversed', note: expect.stringMatching(/before it was ever sent/) });
    expect(transition(entry('pending', { sends: 2 }), sample.withdrawn)).toMatchObject({ state: 'reversing', sends: 2 });
  });

  test('rejections, reasons and not-found are kept as the note the manager sees', () => {
    expect(transition(entry('sending'), sample.rejected).note).toBe('目录编码不存在');
    expect(transition(entry('querying'), sample.query_not_found).note).toMatch(/same msgid/);
    expect(transition(entry('reversing'), sample.reverse_rejected).note).toBe('reversal rejected: no');
  });

  test('countable query failures escalate to reversal at the limit; transport trouble never does', () => {
    let e = entry('unknown');
    for (let i = 1; i <= 4; i++) {
      e = transition(transition(e, sample.query_started), { type: 'query_failed', reason: 'rejected', countable: true }, { maxQueryFailures: 5 });
      expect(e).toMatchObject({ state: 'unknown', queryFailures: i });
    }
    const offline = transition(transition(e, sample.query_started), { type: 'query_failed', reason: 'ECONNREFUSED', countable: false }, { maxQueryFailures: 5 });
    expect(offline).toMatchObject({ state: 'unknown', queryFailures: 4 });
    const last = transition(transition(offline, sample.query_started), { type: 'query_failed', reason: 'rejected', countable: true }, { maxQueryFailures: 5 });
    expect(last).toMatchObject({ state: 'reversing', queryFailures: 5 });
  });

  test('each state names the drain loop\'s next action', () => {
    expect(Object.fromEntries(OUTBOX_STATES.map((s) => [s, actionFor(s)]))).toEqual({
      pending: 'send', sending: 'none', unknown: 'query', querying: 'none', reversing: 'reverse', confirmed: 'none', parked: 'none', reversed: 'none',
    });
  });
});

/**
 * A model of the drain loop against a model centre that books by msgid, under random faults and
 * crashes. Whatever happens: a confirmed entry is booked exactly once, a reversed one not at all, a
 * settlement is only ever sent from `pending`, and once faults stop everything resolves.
 */
describe('exactly once under faults (model)', () => {
  interface Faults { lose: number; drop: number; reject: number; crash: number }
  const faultArb = fc.record({ lose: fc.double({ min: 0, max: 0.5, noNaN: true }), drop: fc.double({ min: 0, max: 0.5, noNaN: true }), reject: fc.double({ min: 0, max: 0.3, noNaN: true }), crash: fc.double({ min: 0, max: 0.2, noNaN: true }) });

  function run(entries: number, faults: Faults, seed: number, stormSteps: number): { states: OutboxState[]; booked: Map<number, number>; sendsFromPendingOnly: boolean } {
    let s = seed >>> 0;
    const rnd = (): number => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
    const booked = new Map<number, number>(); // msgid (entry index) → bookings
    const tombstones = new Set<number>();
    const state: OutboxEntry[] = Array.from({ length: entries }, newEntry);
    let sendsFromPendingOnly = true;
    for (let step = 0; step < stormSteps + entries * 40; step++) {
      const storm = step < stormSteps;
      const hit = (p: number): boolean => storm && rnd() < p;
      const i = state.findIndex((e) => actionFor(e.state) !== 'none');
      if (i < 0) break;
      let e = state[i]!;
      const action = actionFor(e.state);
      if (action === 'send') {
        if (e.state !== 'pending') sendsFromPendingOnly = false;
        e = transition(e, { type: 'send_started' });
        if (hit(faults.lose)) e = transition(e, { type: 'not_delivered', reason: 'refused' });
        else {
          const reached = tombstones.has(i) ? 'rejected' : 'booked';
          if (reached === 'booked' && !booked.has(i)) booked.set(i, 1); // the centre dedupes by msgid
          if (hit(faults.crash)) e = transition(e, { type: 'crash_recovered' });
          else if (reached === 'rejected') e = transition(e, { type: 'rejected', message: 'tombstoned' });
          else if (hit(faults.drop)) e = transition(e, { type: 'outcome_unknown', reason: 'dropped' });
          else e = transition(e, { type: 'settled' });
        }
      } else if (action === 'query') {
        e = transition(e, { type: 'query_started' });
        if (hit(faults.crash)) e = transition(e, { type: 'crash_recovered' });
        else if (hit(faults.lose)) e = transition(e, { type: 'query_failed', reason: 'lost', countable: false });
        else if (hit(faults.reject)) e = transition(e, { type: 'query_failed', reason: 'rejected', countable: true }, { maxQueryFailures: 3 });
        else e = booked.has(i) ? transition(e, { type: 'settled' }) : transition(e, { type: 'query_not_found' });
      } else if (action === 'reverse') {
        if (hit(faults.lose)) e = transition(e, { type: 'reverse_failed', reason: 'lost' });
        else { booked.delete(i); tombstones.add(i); e = transition(e, { type: 'reversed' }); }
      }
      state[i] = e;
      for (const [k, entryState] of state.entries()) {
        if (entryState.state === 'confirmed') expect(booked.get(k)).toBe(1);
        if (entryState.state === 'reversed') expect(booked.has(k)).toBe(false);
      }
    }
    return { states: state.map((e) => e.state), booked, sendsFromPendingOnly };
  }

  test('property: confirmed ⇔ booked once, reversed ⇒ not booked, everything resolves', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 12 }), faultArb, fc.integer(), fc.integer({ min: 0, max: 300 }), (n, faults, seed, storm) => {
      const { states, booked, sendsFromPendingOnly } = run(n, faults, seed, storm);
      expect(sendsFromPendingOnly).toBe(true);
      expect(states.every((s) => s === 'confirmed' || s === 'reversed')).toBe(true);
      expect(states.filter((s) => s === 'confirmed').length).toBe(booked.size);
    }), { numRuns: 300 });
  });
});
