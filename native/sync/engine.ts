// The sync engine: drains the settlement outbox to the centre, exactly once, with up to N calls in
// flight (core/sync/scheduler.ts decides which: a person's settlements one at a time in recording
// order, dependencies first). The transitions of the calls started together are written in one
// transaction before any is sent, and the answers that arrive together in one transaction after —
// one fsync for several entries, each still durable before the step that depends on it.
//
//   const engine = new SyncEngine({ store, centre, concurrency: 8 });
//   engine.start();                  // recovers entries a dead process left mid-call, then drains
//   engine.kick();                   // new settlement recorded, or the network came back
//   await engine.syncOne(id);        // settle this one now (never while the loop has it in flight)
//   await engine.sendRecorded(() => store.record(input, within, { sending: true })); // the online checkout: record + send, one commit before the call
//   engine.status();                 // online/offline, backoff, counts — for the UI
//   await engine.stop();
//
// Per entry (core/sync/outbox.ts): pending → 2102 under its msgid; unknown → 5203 by that msgid
// (found: confirmed; not found: pending again, same msgid); too many useless answers → 2601 by that
// msgid. Business rejections park the entry and the queue moves on. Any call without a usable
// answer (not delivered, timeout, 5xx, malformed) marks the centre offline and ends the pass (the
// calls already in flight finish and are recorded; no new one starts); the next pass waits for the backoff.
import { type CentreOutcome } from '../../core/centre/outcome';
import { type CentrePort } from '../../core/centre/port';
import { CentreInputError } from '../../core/centre/client';
import {
  backoffDelay, DEFAULT_BACKOFF, initialConnectivity, mayCall, onAnswer, onFailure, type BackoffPolicy, type Connectivity,
} from '../../core/sync/connectivity';
import { IllegalTransition, type OutboxEntry, type OutboxState } from '../../core/sync/outbox';
import { MAX_SYNC_CONCURRENCY, pickReady } from '../../core/sync/scheduler';
import { type SettlementRecord, type SettlementStore } from './settlement-store';

export interface SyncEngineOptions {
  readonly store: SettlementStore;
  readonly centre: CentrePort;
  readonly now?: () => number;
  readonly random?: () => number;
  readonly backoff?: BackoffPolicy;
  /** Per-entry wait after a countable failure (a rejected or unreadable query), doubled each time. */
  readonly entryBackoff?: BackoffPolicy;
  readonly log?: (line: string) => void;
  /** Calls in flight at once (1 = one at a time). Default DEFAULT_SYNC_CONCURRENCY; read per pass. */
  readonly concurrency?: number | (() => number);
}

/**
 * Default calls in flight. Evidence (npm run bench -- drain, docs/performance.md): against a centre
 * taking 800 ms per call, 50 queued sales across 10 people drain in ~0.16× the serial time at 8,
 * ~0.3× at 4, and 16 gains little more (a person's sales stay in order, so ten people allow at most
 * ten at once). The platform's tolerance for parallel calls from one pharmacy is not documented
 * (unknown), so the default stays at the smallest value that meets the drain target with room.
 */
export const DEFAULT_SYNC_CONCURRENCY = 8;
/** How much of the open queue the scheduler looks at per refill. */
const HEAD_WINDOW = 256;

export interface SyncStatus extends Connectivity {
  readonly counts: Record<OutboxState, number>;
  readonly draining: boolean;
}

export interface DrainReport {
  readonly steps: number;
  readonly stoppedBy: 'empty' | 'offline' | 'stopped';
}

type StepResult = 'answered' | 'no_answer';
/** A step after its before-call transition: the call, which resolves to the after-call write. */
type Prepared = { readonly done: StepResult } | { readonly call: () => Promise<() => StepResult> };

/** A call's answer waiting to be written: its write runs in the turn's transaction. */
interface Answer { readonly id: number; readonly write: () => StepResult; readonly release: () => void }

export class SyncEngine {
  private connectivity: Connectivity;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly backoff: BackoffPolicy;
  private readonly entryBackoff: BackoffPolicy;
  private readonly log: (line: string) => void;
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopping = false;
  private draining = false;
  private readonly listeners = new Set<(status: SyncStatus) => void>();
  /** syncOne's callers' follow-ups, booked in the confirmation's own commit (SettlementStore.confirm). */
  private readonly confirmHooks = new Map<number, (record: SettlementRecord) => void>();
  /** Entries with a call in flight (the loop's or syncOne's), settled once the answer is recorded. */
  private readonly inFlight = new Map<number, Promise<void>>();

  constructor(private readonly options: SyncEngineOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.entryBackoff = options.entryBackoff ?? { baseMs: 5_000, maxMs: 300_000, jitter: 0.2 };
    this.log = options.log ?? (() => {});
    this.connectivity = initialConnectivity(this.now());
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    const recovered = this.options.store.recoverInFlight();
    if (recovered > 0) this.log(`sync: ${recovered} settlement(s) were mid-call when the last process stopped; their outcome is unknown and will be queried`);
    this.kick();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    clearTimeout(this.timer);
    await this.chain.catch(() => {});
  }

  /** Drain now (if the backoff allows, or `force` after a known network change). */
  kick(options: { force?: boolean } = {}): void {
    if (!this.running) return;
    if (options.force) this.connectivity = { ...this.connectivity, retryAt: 0 };
    clearTimeout(this.timer);
    void this.serialised(() => this.drainOnce()).then(() => this.schedule(), (error: unknown) => {
      this.log(`sync: drain failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      this.schedule();
    });
  }

  /** One pass over the due entries; also usable without start() (tests, the drain worker). */
  async drainOnce(): Promise<DrainReport> {
    let steps = 0;
    let stoppedBy: DrainReport['stoppedBy'] = 'empty';
    const mine = new Map<number, Promise<void>>();
    const answers: Answer[] = [];
    let landed: Answer[] = [];
    this.draining = true;
    try {
      while (true) {
        // One transaction per turn: the answers that landed together, then the refill they made room
        // for. The refill's before-call transitions are durable before any of its calls goes out.
        const turn = this.recordAndRefill(landed, () => stoppedBy);
        landed = [];
        stoppedBy = turn.stoppedBy;
        if (turn.failure) throw turn.failure.error;
        for (const { id, step } of turn.prepared) {
          steps++;
          if ('done' in step) { if (step.done === 'no_answer') stoppedBy = 'offline'; continue; }
          let release = (): void => {};
          const settled = new Promise<void>((resolve) => { release = resolve; });
          this.inFlight.set(id, settled);
          mine.set(id, step.call().then(
            (write) => { answers.push({ id, write, release }); },
            (error: unknown) => { answers.push({ id, write: () => { throw error; }, release }); },
          ));
        }
        if (mine.size === 0) return { steps, stoppedBy };
        await Promise.race(mine.values());
        landed = answers.splice(0);
        for (const a of landed) mine.delete(a.id);
      }
    } finally {
      // A local error above leaves calls in flight: let them land and record them, so no entry stays claimed.
      if (mine.size > 0 || landed.length > 0) {
        await Promise.allSettled(mine.values());
        try { this.recordAnswers([...landed, ...answers.splice(0)]); } catch (error) { this.log(`sync: recording answers after an error failed: ${String(error)}`); }
      }
      this.draining = false;
      this.emit();
    }
  }

  /**
   * One turn of the drain in one transaction (one fsync): the landed answers, each in its own
   * savepoint, then — unless one failed or the drain must stop — the next entries' before-call
   * transitions in a savepoint of their own, so a local error there never undoes an answer.
   */
  private recordAndRefill(landed: readonly Answer[], stoppedBefore: () => DrainReport['stoppedBy']): { prepared: Array<{ id: number; step: Prepared }>; stoppedBy: DrainReport['stoppedBy']; failure?: { error: unknown } } {
    const { store } = this.options;
    let failure: { error: unknown } | undefined;
    let stoppedBy = stoppedBefore();
    let prepared: Array<{ id: number; step: Prepared }> = [];
    try {
      store.db.transaction(() => {
        const results = this.writeAnswers(landed, (error) => { failure ??= { error }; });
        for (const a of landed) this.inFlight.delete(a.id);
        if (results.includes('no_answer') && stoppedBy === 'empty') stoppedBy = 'offline';
        if (failure) return;
        if (stoppedBy === 'empty' && this.stopping) stoppedBy = 'stopped';
        if (stoppedBy === 'empty' && !mayCall(this.connectivity, this.now())) stoppedBy = 'offline';
        if (stoppedBy !== 'empty') return;
        const picked = pickReady({ open: store.openHead(HEAD_WINDOW), inFlight: new Set(this.inFlight.keys()), limit: this.concurrency(), now: this.now(), isResolved: (key) => store.isResolved(key) });
        if (picked.length === 0) return;
        try {
          prepared = store.db.transaction(() => picked.map((e) => ({ id: e.id, step: this.prepareSafely(store.get(e.id)!) })))();
        } catch (error) {
          failure = { error };
          prepared = [];
        }
      })();
    } finally {
      for (const a of landed) { this.inFlight.delete(a.id); a.release(); }
    }
    return { prepared, stoppedBy, ...(failure && { failure }) };
  }

  /** Each answer in its own savepoint: one that fails (a local bug) rolls back alone; `onFailure` hears of it. */
  private writeAnswers(batch: readonly Answer[], onFailure: (error: unknown) => void): StepResult[] {
    return batch.map((a) => {
      try {
        return this.options.store.db.transaction(() => this.writeSafely(a.id, a.write))();
      } catch (error) {
        onFailure(error);
        return 'answered' as const;
      }
    });
  }

  /**
   * Writes answers that arrived together in one transaction (one fsync), then throws the first
   * failure, if any (the others are committed).
   */
  private recordAnswers(batch: readonly Answer[]): StepResult[] {
    let failure: { error: unknown } | undefined;
    let results: StepResult[];
    try {
      results = this.options.store.db.transaction(() => this.writeAnswers(batch, (error) => { failure ??= { error }; }))();
    } finally {
      for (const a of batch) { this.inFlight.delete(a.id); a.release(); }
    }
    if (failure) throw failure.error;
    return results;
  }

  /** Processes one settlement now (the online checkout's path); waits if the loop has it in flight. */
  async syncOne(id: number, options: { readonly onConfirmed?: (record: SettlementRecord) => void } = {}): Promise<SettlementRecord> {
    if (options.onConfirmed) this.confirmHooks.set(id, options.onConfirmed);
    try {
      return await this.syncOneNow(id);
    } finally {
      if (options.onConfirmed) this.confirmHooks.delete(id);
    }
  }

  /**
   * The online checkout's settle in one commit before the 2102: `write` records the settlement
   * already `sending` (SettlementStore.record with `{ sending: true }`, the caller's own writes
   * joined to it) and the engine claims it in the same tick the commit returns, so the loop never
   * sees it unclaimed; then it is sent exactly as syncOne would send it. Nothing goes out before
   * that commit; a crash after it leaves a `sending` entry, recovered like any other (unknown →
   * 5203 / 2601 by its msgid).
   */
  async sendRecorded(write: () => SettlementRecord, options: { readonly onConfirmed?: (record: SettlementRecord) => void } = {}): Promise<SettlementRecord> {
    const record = write();
    const id = record.id;
    if (record.outbox.state !== 'sending' || this.inFlight.has(id)) throw new Error(`settlement ${id}: sendRecorded needs an entry just recorded as sending, found ${record.outbox.state}`);
    let release = (): void => {};
    this.inFlight.set(id, new Promise<void>((resolve) => { release = resolve; }));
    if (options.onConfirmed) this.confirmHooks.set(id, options.onConfirmed);
    try {
      let result: StepResult;
      try {
        result = this.writeSafely(id, await this.send(record));
      } finally {
        this.inFlight.delete(id);
        release();
      }
      // An answer leaves it confirmed or parked (syncOne returns at once); re-read as syncOne would.
      if (result === 'answered') return await this.syncOneNow(id);
      this.emit();
      return this.options.store.get(id)!;
    } finally {
      if (options.onConfirmed) this.confirmHooks.delete(id);
    }
  }

  private async syncOneNow(id: number): Promise<SettlementRecord> {
    const { store } = this.options;
    for (let guard = 0; guard < 4; guard++) {
      for (let busy = this.inFlight.get(id); busy; busy = this.inFlight.get(id)) await busy;
      const record = store.get(id);
      if (!record) throw new Error(`settlement ${id} does not exist`);
      if (['confirmed', 'reversed', 'parked'].includes(record.outbox.state)) return record;
      let release = (): void => {};
      this.inFlight.set(id, new Promise<void>((resolve) => { release = resolve; }));
      let result: StepResult;
      try {
        const step = this.prepareSafely(record);
        result = 'done' in step ? step.done : this.writeSafely(id, await step.call());
      } finally {
        this.inFlight.delete(id);
        release();
      }
      if (result === 'no_answer') break;
    }
    this.emit();
    return store.get(id)!;
  }

  /**
   * Runs `task` with the entry claimed, as the loop and syncOne claim it: nothing else calls the
   * centre for it meanwhile (the manager's 5203 before booking an entry that is being reversed).
   */
  async exclusive<T>(id: number, task: (record: SettlementRecord) => Promise<T>): Promise<T> {
    for (let busy = this.inFlight.get(id); busy; busy = this.inFlight.get(id)) await busy;
    const record = this.options.store.get(id);
    if (!record) throw new Error(`settlement ${id} does not exist`);
    let release = (): void => {};
    this.inFlight.set(id, new Promise<void>((resolve) => { release = resolve; }));
    try {
      return await task(record);
    } finally {
      this.inFlight.delete(id);
      release();
      this.emit();
    }
  }

  private concurrency(): number {
    const configured = typeof this.options.concurrency === 'function' ? this.options.concurrency() : this.options.concurrency;
    const n = configured ?? DEFAULT_SYNC_CONCURRENCY;
    return Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_SYNC_CONCURRENCY) : DEFAULT_SYNC_CONCURRENCY;
  }

  status(): SyncStatus {
    return { ...this.connectivity, counts: this.options.store.counts(), draining: this.draining };
  }

  onStatus(listener: (status: SyncStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Only one engine should drain a store database. If another one changed an entry under us anyway,
   * our transition is refused (IllegalTransition): log it and let the next pass re-read the entry.
   * Exactly-once does not depend on this — the centre deduplicates by msgid.
   */
  private prepareSafely(record: SettlementRecord): Prepared {
    try {
      return this.prepare(record);
    } catch (error) {
      return { done: this.changedUnderUs(record.id, error) };
    }
  }

  private writeSafely(id: number, write: () => StepResult): StepResult {
    try {
      return write();
    } catch (error) {
      return this.changedUnderUs(id, error);
    }
  }

  private changedUnderUs(id: number, error: unknown): StepResult {
    if (!(error instanceof IllegalTransition)) throw error;
    this.log(`sync: settlement ${id} changed while we worked on it (${error.message}); re-reading it`);
    return 'answered';
  }

  /**
   * One action for one entry: the before-call transition persisted now, the call, and the write of
   * its answer (run by the caller, in a transaction with the other answers that arrived with it).
   */
  private prepare(record: SettlementRecord): Prepared {
    const { store, centre } = this.options;
    const id = record.id;
    const context = { insuplcAdmdvs: record.insuplcAdmdvs };
    switch (record.outbox.state) {
      case 'sending':
      case 'querying':
        // Left mid-call by another engine or a dead process: the outcome is unknown.
        store.apply(id, { type: 'crash_recovered' });
        return { done: 'answered' };
      case 'pending': {
        store.apply(id, { type: 'send_started' });
        return { call: () => this.send(record) };
      }
      case 'unknown': {
        if (!centre.queriesByMsgid) {
          // This edition's 5203 needs setl_id, which a lost reply never told us: reverse instead.
          store.apply(id, { type: 'escalate', reason: '5203 cannot look up by msgid in this interface edition; reversing (2601)' });
          this.log(`sync: settlement ${id} (${record.msgid}) outcome unknown and 5203 cannot find it by msgid; reversing it (2601)`);
          return { done: 'answered' };
        }
        store.apply(id, { type: 'query_started' });
        return { call: async () => {
          const outcome = await this.guard(() => centre.querySettlement({ data: { psn_no: record.psnNo, medins_setl_id: record.msgid } }, context), '5203', record.msgid);
          return () => {
            if (outcome.kind === 'ok') {
              const { setlinfo, setldetail } = outcome.output;
              if (setlinfo) store.confirm(id, { setlinfo, setldetail, detlcutinfo: [] }, '5203');
              else store.apply(id, { type: 'query_not_found' });
              return this.answered();
            }
            const countable = outcome.kind === 'rejected' || (outcome.kind === 'unknown' && ['malformed_reply', 'echo_mismatch', 'reply_too_large'].includes(outcome.reason));
            const reason = outcome.kind === 'rejected' ? `5203 rejected: ${outcome.message}` : outcome.kind === 'unknown' ? `5203 ${outcome.reason}: ${outcome.detail}` : `5203 not delivered: ${outcome.reason}`;
            const after = store.apply(id, { type: 'query_failed', reason, countable }, { nextAttemptAt: countable ? this.entryWait(record.outbox) : 0 });
            if (after.state === 'reversing') this.log(`sync: settlement ${id} (${record.msgid}) could not be resolved by 5203; reversing it (2601)`);
            return outcome.kind === 'rejected' ? this.answered() : this.noAnswer(reason);
          };
        } };
      }
      case 'reversing': {
        const msgid = store.allocateMsgid();
        return { call: async () => {
          const outcome = await this.guard(() => centre.reverse({ data: { psn_no: record.psnNo, omsgid: record.msgid, oinfno: '2102' } }, { ...context, msgid }), '2601', record.msgid);
          return () => {
            switch (outcome.kind) {
              case 'ok': store.apply(id, { type: 'reversed' }); return this.answered();
              case 'rejected': store.apply(id, { type: 'reverse_rejected', message: outcome.message }); return this.answered();
              default: {
                const reason = outcome.kind === 'unknown' ? `${outcome.reason}: ${outcome.detail}` : outcome.reason;
                store.apply(id, { type: 'reverse_failed', reason });
                return this.noAnswer(reason);
              }
            }
          };
        } };
      }
      default:
        return { done: 'answered' };
    }
  }

  /** The 2102 of an entry whose `sending` is durable, and the write of its answer. */
  private async send(record: SettlementRecord): Promise<() => StepResult> {
    const { store, centre } = this.options;
    const id = record.id;
    const outcome = await this.guard(() => centre.settle(record.request, { insuplcAdmdvs: record.insuplcAdmdvs, msgid: record.msgid }), '2102', record.msgid);
    return () => {
      switch (outcome.kind) {
        case 'ok': store.confirm(id, outcome.output, '2102', this.confirmHooks.get(id)); return this.answered();
        case 'rejected': store.apply(id, { type: 'rejected', message: outcome.message }); return this.answered();
        case 'not_delivered': store.apply(id, { type: 'not_delivered', reason: outcome.reason }); return this.noAnswer(outcome.reason);
        case 'unknown': store.apply(id, { type: 'outcome_unknown', reason: `${outcome.reason}: ${outcome.detail}` }); return this.noAnswer(`${outcome.reason}: ${outcome.detail}`);
      }
    };
  }

  /** A local bug (invalid stored input) must not masquerade as a centre answer: it parks the entry. */
  private async guard<T>(call: () => Promise<CentreOutcome<T>>, infno: string, msgid: string): Promise<CentreOutcome<T>> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof CentreInputError)) throw error;
      return { kind: 'rejected', infcode: -1, message: `not sent, our request is invalid: ${error.message}`, meta: { infno, msgid } };
    }
  }

  private entryWait(entry: OutboxEntry): number {
    return this.now() + backoffDelay(entry.queryFailures + 1, this.entryBackoff, this.random());
  }

  private answered(): StepResult {
    this.connectivity = onAnswer(this.connectivity, this.now());
    return 'answered';
  }

  private noAnswer(reason: string): StepResult {
    const wasOnline = this.connectivity.online;
    this.connectivity = onFailure(this.connectivity, reason, this.now(), this.backoff, this.random());
    if (wasOnline) this.log(`sync: centre not answering (${reason}); retrying with backoff`);
    return 'no_answer';
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.running) return;
    const wake = this.options.store.nextWake();
    if (wake === null) return;
    const at = Math.max(wake, this.connectivity.retryAt);
    this.timer = setTimeout(() => { this.timer = undefined; this.kick(); }, Math.max(0, at - this.now()));
    this.timer.unref?.();
  }

  private serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task, task);
    this.chain = run.catch(() => {});
    return run;
  }

  private emit(): void {
    if (this.listeners.size === 0) return;
    const status = this.status();
    for (const listener of this.listeners) listener(status);
  }
}
