// The drain scheduler's ordering rules, as properties: a simulated queue of settlements, refunds and
// sales reports (which wait for their settlement), drained by pickReady with random N, random
// completion order, retries with backoff and business rejections (parked), and a random window of
// the queue head (the engine reads only a prefix).
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { pickReady, type SchedulableEntry } from '../../../core/sync/scheduler';

type Kind = 'settlement' | 'refund' | 'report';
interface Planned extends SchedulableEntry { readonly kind: Kind }
type Outcome = 'confirm' | 'retry' | 'park';

const scenario = fc.record({
  persons: fc.integer({ min: 1, max: 5 }),
  specs: fc.array(fc.record({ kind: fc.constantFrom<Kind>('settlement', 'settlement', 'settlement', 'refund', 'report'), person: fc.nat(), target: fc.nat() }), { minLength: 1, maxLength: 40 }),
  limit: fc.integer({ min: 1, max: 8 }),
  window: fc.integer({ min: 1, max: 50 }),
  choices: fc.array(fc.nat(), { minLength: 50, maxLength: 50 }),
  outcomes: fc.array(fc.constantFrom<Outcome>('confirm', 'confirm', 'confirm', 'retry', 'park'), { minLength: 30, maxLength: 30 }),
});

/** Settlements go in their person's lane; refunds and reports wait for an earlier settlement. */
function plan(persons: number, specs: ReadonlyArray<{ kind: Kind; person: number; target: number }>): Planned[] {
  const entries: Planned[] = [];
  for (const [i, spec] of specs.entries()) {
    const id = i + 1;
    const settlements = entries.filter((e) => e.kind === 'settlement');
    if (spec.kind === 'settlement' || settlements.length === 0) {
      entries.push({ id, key: `settlement:${id}`, kind: 'settlement', lanes: [`person:${spec.person % persons}`], waitsFor: [], dueAt: 0 });
    } else {
      const of = settlements[spec.target % settlements.length]!;
      entries.push({ id, key: `${spec.kind}:${id}`, kind: spec.kind, lanes: spec.kind === 'report' ? ['reports'] : [], waitsFor: [of.key], dueAt: 0 });
    }
  }
  return entries;
}

interface Trace { starts: number[]; confirmed: Set<number>; parked: Set<number>; stuck: Planned[] }

/** Runs the queue to the end the way the engine does: refill the free slots, finish one call, repeat. */
function simulate(entries: readonly Planned[], run: { limit: number; window: number; choices: readonly number[]; outcomes: readonly Outcome[] }): Trace {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const open = new Map(entries.map((e) => [e.id, { ...e }]));
  const inFlight = new Set<number>();
  const confirmed = new Set<number>();
  const parked = new Set<number>();
  const resolvedKeys = new Set<string>();
  const starts: number[] = [];
  let now = 0;
  let turn = 0;
  const choose = (n: number): number => run.choices[turn++ % run.choices.length]! % n;
  for (let guard = 0; guard < 10_000; guard++) {
    // Like the engine's store query: an entry whose dependency was parked is held with it, not open.
    const held = (e: Planned): boolean => e.waitsFor.some((k) => entries.some((d) => d.key === k && parked.has(d.id)));
    const head = [...open.values()].filter((e) => !held(e)).sort((a, b) => a.id - b.id).slice(0, run.window);
    const picked = pickReady({ open: head, inFlight, limit: run.limit, now, isResolved: (key) => resolvedKeys.has(key) });
    expect(picked.length).toBeLessThanOrEqual(run.limit - inFlight.size);
    for (const entry of picked) {
      const e = byId.get(entry.id)!;
      // Lane order: every earlier entry of the same lane is finished (confirmed or parked) or held.
      for (const earlier of entries) {
        if (earlier.id < e.id && earlier.lanes.some((l) => e.lanes.includes(l))) expect(confirmed.has(earlier.id) || parked.has(earlier.id) || held(earlier)).toBe(true);
      }
      // Dependencies: all confirmed before the dependent starts.
      for (const key of e.waitsFor) expect(resolvedKeys.has(key)).toBe(true);
      expect(inFlight.has(e.id)).toBe(false);
      expect(confirmed.has(e.id) || parked.has(e.id)).toBe(false);
      expect(entry.dueAt).toBeLessThanOrEqual(now);
      inFlight.add(e.id);
      starts.push(e.id);
    }
    expect(inFlight.size).toBeLessThanOrEqual(run.limit);
    // No two calls in flight share a lane.
    const lanes = [...inFlight].flatMap((id) => byId.get(id)!.lanes);
    expect(new Set(lanes).size).toBe(lanes.length);
    if (inFlight.size === 0) {
      const waiting = [...open.values()].filter((e) => e.dueAt > now && !held(e));
      if (waiting.length === 0) break;
      now = Math.min(...waiting.map((e) => e.dueAt));
      continue;
    }
    // One call comes back, any of them.
    const flying = [...inFlight];
    const id = flying[choose(flying.length)]!;
    inFlight.delete(id);
    const outcome = run.outcomes[turn++ % run.outcomes.length]!;
    const entry = open.get(id)!;
    if (outcome === 'confirm') { open.delete(id); confirmed.add(id); resolvedKeys.add(entry.key); }
    else if (outcome === 'park') { open.delete(id); parked.add(id); }
    else open.set(id, { ...entry, dueAt: now + 1 + choose(5) });
    now += choose(3);
  }
  return { starts, confirmed, parked, stuck: [...open.values()] };
}

describe('drain scheduler', () => {
  test('N in flight, lanes in order, dependencies first, nothing twice at once, and everything that can finish does', () => {
    fc.assert(fc.property(scenario, ({ persons, specs, limit, window, choices, outcomes }) => {
      const entries = plan(persons, specs);
      const trace = simulate(entries, { limit, window, choices, outcomes });
      // Exactly once: a confirmed entry was never started after its confirmation (checked at start), and
      // nothing is both confirmed and parked.
      for (const id of trace.confirmed) expect(trace.parked.has(id)).toBe(false);
      // What is left open is exactly what waits on a parked dependency (held with it for the manager).
      const blockedByParked = (e: SchedulableEntry): boolean => e.waitsFor.some((k) => entries.some((d) => d.key === k && trace.parked.has(d.id)));
      for (const e of trace.stuck) expect(blockedByParked(e), `entry ${e.id} left open`).toBe(true);
      expect(trace.confirmed.size + trace.parked.size + trace.stuck.length).toBe(entries.length);
    }), { numRuns: 300 });
  });

  test('a person\'s settlements start in recording order, whatever N and the completion order', () => {
    fc.assert(fc.property(scenario, ({ persons, specs, limit, window, choices }) => {
      const entries = plan(persons, specs);
      const trace = simulate(entries, { limit, window, choices, outcomes: ['confirm'] });
      expect(trace.confirmed.size).toBe(entries.length);
      expect(trace.starts).toHaveLength(entries.length);
      for (let p = 0; p < persons; p++) {
        const lane = `person:${p}`;
        const order = trace.starts.filter((id) => entries[id - 1]!.lanes.includes(lane));
        expect(order).toEqual([...order].sort((a, b) => a - b));
      }
    }), { numRuns: 300 });
  });

  test('with free slots, the oldest open entry that is due and not waiting on anything is always started', () => {
    fc.assert(fc.property(scenario, fc.integer({ min: 0, max: 8 }), ({ persons, specs, limit }, flying) => {
      const entries = plan(persons, specs);
      const inFlight = new Set(entries.slice(1, 1 + Math.min(flying, limit - 1)).map((e) => e.id));
      const picked = pickReady({ open: entries, inFlight, limit, now: 0, isResolved: () => true });
      const first = entries[0]!;
      if (!inFlight.has(first.id) && first.waitsFor.length === 0) expect(picked[0]?.id).toBe(first.id);
      expect(picked.length).toBeLessThanOrEqual(limit - inFlight.size);
    }), { numRuns: 200 });
  });

  test('distinct persons fill every slot; one person gets one slot', () => {
    const distinct = Array.from({ length: 10 }, (_, i): SchedulableEntry => ({ id: i + 1, key: `settlement:${i + 1}`, lanes: [`person:${i}`], waitsFor: [], dueAt: 0 }));
    expect(pickReady({ open: distinct, inFlight: new Set(), limit: 4, now: 0, isResolved: () => true }).map((e) => e.id)).toEqual([1, 2, 3, 4]);
    const same = distinct.map((e) => ({ ...e, lanes: ['person:0'] }));
    expect(pickReady({ open: same, inFlight: new Set(), limit: 4, now: 0, isResolved: () => true }).map((e) => e.id)).toEqual([1]);
    // An entry in backoff still holds its lane: the person's later sale waits for it.
    const backoff = [{ ...same[0]!, dueAt: 50 }, same[1]!, distinct[2]!];
    expect(pickReady({ open: backoff, inFlight: new Set(), limit: 4, now: 0, isResolved: () => true }).map((e) => e.id)).toEqual([3]);
  });

  test('a bad limit or an unordered queue is refused', () => {
    expect(() => pickReady({ open: [], inFlight: new Set(), limit: 0, now: 0, isResolved: () => true })).toThrow(/limit/);
    const e = (id: number): SchedulableEntry => ({ id, key: `k${id}`, lanes: [], waitsFor: [], dueAt: 0 });
    expect(() => pickReady({ open: [e(2), e(1)], inFlight: new Set(), limit: 2, now: 0, isResolved: () => true })).toThrow(/increasing id order/);
  });
});
