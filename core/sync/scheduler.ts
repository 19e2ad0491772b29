// Which outbox entries may be worked on now, with up to N calls in flight. Pure: the sync engine
// (native/sync/engine.ts) feeds it the head of the open queue and starts what it returns.
//
// Rules (checked by fast-check in test/unit/sync/scheduler.test.ts):
//   - at most `limit` entries in flight at once;
//   - entries sharing a lane go one at a time, in recording order: an entry waits while ANY earlier
//     open entry of one of its lanes is open (in flight, in backoff, or not yet started). A settlement's
//     lane is its person (`person:<psn_no>`), so a person's settlements reach the centre in order and
//     the centre's year-to-date totals grow in the order the till priced them;
//   - an entry that names keys in `waitsFor` waits until each of them is resolved (a refund after its
//     settlement is confirmed, a 3505 sales report after its settlement …). `isResolved` answers for
//     keys outside the queue head; a key of an entry still in the head is never resolved;
//   - an entry is never started twice at once (`inFlight`), and never before its `dueAt`.
// Entries that are finished or parked are not open: they are not passed in and block nothing. Nor is
// an entry whose dependency was parked: it is held with it (else a head full of them starves the queue).

export interface SchedulableEntry {
  /** Recording order: smaller first. */
  readonly id: number;
  /** The key other entries name in `waitsFor`, e.g. `settlement:12`. */
  readonly key: string;
  /** Serialisation lanes, e.g. [`person:<psn_no>`]. */
  readonly lanes: readonly string[];
  /** Keys that must be resolved before this entry may start. */
  readonly waitsFor: readonly string[];
  /** Epoch ms before which the entry must not be tried again (its own backoff); 0 = now. */
  readonly dueAt: number;
}

export interface SchedulerInput {
  /** A prefix of the open queue in id order (every open entry with a smaller id than the last one). */
  readonly open: readonly SchedulableEntry[];
  /** Ids with a call in flight now. */
  readonly inFlight: ReadonlySet<number>;
  /** Largest number of calls in flight at once (≥ 1). */
  readonly limit: number;
  readonly now: number;
  /** Whether a key outside `open` is resolved (e.g. its settlement is confirmed). */
  readonly isResolved: (key: string) => boolean;
}

/** The entries to start now, in id order (never more than the free slots). */
export function pickReady(input: SchedulerInput): SchedulableEntry[] {
  if (!Number.isInteger(input.limit) || input.limit < 1) throw new RangeError(`limit: must be a whole number ≥ 1, got ${input.limit}`);
  let free = input.limit - input.inFlight.size;
  const picked: SchedulableEntry[] = [];
  if (free <= 0) return picked;
  const busyLanes = new Set<string>();
  const openKeys = new Set(input.open.map((e) => e.key));
  let lastId = -Infinity;
  for (const entry of input.open) {
    if (entry.id <= lastId) throw new RangeError(`open: entries must be in increasing id order (${entry.id} after ${lastId})`);
    lastId = entry.id;
    const ready = !input.inFlight.has(entry.id)
      && entry.dueAt <= input.now
      && !entry.lanes.some((lane) => busyLanes.has(lane))
      && entry.waitsFor.every((key) => !openKeys.has(key) && input.isResolved(key));
    for (const lane of entry.lanes) busyLanes.add(lane);
    if (!ready) continue;
    picked.push(entry);
    if (--free === 0) break;
  }
  return picked;
}

/** Largest concurrency accepted from settings: more would only queue in the HTTP agent (16 sockets) and at the gateway. */
export const MAX_SYNC_CONCURRENCY = 16;
