// The sync engine: drains the settlement outbox to the centre, in recording order, exactly once.
//
//   const engine = new SyncEngine({ store, centre });
//   engine.start();                  // recovers entries a dead process left mid-call, then drains
//   engine.kick();                   // new settlement recorded, or the network came back
//   await engine.syncOne(id);        // the online checkout: settle this one now (serialised with the loop)
//   engine.status();                 // online/offline, backoff, counts — for the UI
//   await engine.stop();
//
// Per entry (core/sync/outbox.ts): pending → 2102 under its msgid; unknown → 5203 by that msgid
// (found: confirmed; not found: pending again, same msgid); too many useless answers → 2601 by that
// msgid. Business rejections park the entry and the queue moves on. Any call without a usable
// answer (not delivered, timeout, 5xx, malformed) marks the centre offline and ends the pass; the
// next pass waits for the backoff.
import { type CentreOutcome } from '../../core/centre/outcome';
import { type CentrePort } from '../../core/centre/port';
import { CentreInputError } from '../../core/centre/client';
import {
  backoffDelay, DEFAULT_BACKOFF, initialConnectivity, mayCall, onAnswer, onFailure, type BackoffPolicy, type Connectivity,
} from '../../core/sync/connectivity';
import { IllegalTransition, type OutboxEntry, type OutboxState } from '../../core/sync/outbox';
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
}

export interface SyncStatus extends Connectivity {
  readonly counts: Record<OutboxState, number>;
  readonly draining: boolean;
}

export interface DrainReport {
  readonly steps: number;
  readonly stoppedBy: 'empty' | 'offline' | 'stopped';
}

type StepResult = 'answered' | 'no_answer';

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
    this.draining = true;
    try {
      while (true) {
        if (!mayCall(this.connectivity, this.now())) return { steps, stoppedBy: 'offline' };
        const entry = this.options.store.nextDue(this.now());
        if (!entry) return { steps, stoppedBy: 'empty' };
        steps++;
        if ((await this.stepSafely(entry)) === 'no_answer') return { steps, stoppedBy: 'offline' };
        if (this.stopping) return { steps, stoppedBy: 'stopped' };
      }
    } finally {
      this.draining = false;
      this.emit();
    }
  }

  /** Processes one settlement now, serialised with the loop (the online checkout's path). */
  async syncOne(id: number): Promise<SettlementRecord> {
    return this.serialised(async () => {
      for (let guard = 0; guard < 4; guard++) {
        const record = this.options.store.get(id);
        if (!record) throw new Error(`settlement ${id} does not exist`);
        if (['confirmed', 'reversed', 'parked'].includes(record.outbox.state)) return record;
        if ((await this.stepSafely(record)) === 'no_answer') break;
      }
      this.emit();
      return this.options.store.get(id)!;
    });
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
  private async stepSafely(record: SettlementRecord): Promise<StepResult> {
    try {
      return await this.step(record);
    } catch (error) {
      if (!(error instanceof IllegalTransition)) throw error;
      this.log(`sync: settlement ${record.id} changed while we worked on it (${error.message}); re-reading it`);
      return 'answered';
    }
  }

  /** One action for one entry, every transition persisted before and after the call. */
  private async step(record: SettlementRecord): Promise<StepResult> {
    const { store, centre } = this.options;
    const id = record.id;
    const context = { insuplcAdmdvs: record.insuplcAdmdvs };
    switch (record.outbox.state) {
      case 'sending':
      case 'querying':
        // Left mid-call by another engine in this process or a dead one: the outcome is unknown.
        store.apply(id, { type: 'crash_recovered' });
        return 'answered';
      case 'pending': {
        store.apply(id, { type: 'send_started' });
        const outcome = await this.guard(() => centre.settle(record.request, { ...context, msgid: record.msgid }), '2102', record.msgid);
        switch (outcome.kind) {
          case 'ok': store.confirm(id, outcome.output, '2102'); return this.answered();
          case 'rejected': store.apply(id, { type: 'rejected', message: outcome.message }); return this.answered();
          case 'not_delivered': store.apply(id, { type: 'not_delivered', reason: outcome.reason }); return this.noAnswer(outcome.reason);
          case 'unknown': store.apply(id, { type: 'outcome_unknown', reason: `${outcome.reason}: ${outcome.detail}` }); return this.noAnswer(`${outcome.reason}: ${outcome.detail}`);
        }
        break;
      }
      case 'unknown': {
        if (!centre.queriesByMsgid) {
          // This edition's 5203 needs setl_id, which a lost reply never told us: reverse instead.
          store.apply(id, { type: 'escalate', reason: '5203 cannot look up by msgid in this interface edition; reversing (2601)' });
          this.log(`sync: settlement ${id} (${record.msgid}) outcome unknown and 5203 cannot find it by msgid; reversing it (2601)`);
          return 'answered';
        }
        store.apply(id, { type: 'query_started' });
        const outcome = await this.guard(() => centre.querySettlement({ data: { psn_no: record.psnNo, medins_setl_id: record.msgid } }, context), '5203', record.msgid);
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
      }
      case 'reversing': {
        const outcome = await this.guard(() => centre.reverse({ data: { psn_no: record.psnNo, omsgid: record.msgid, oinfno: '2102' } }, { ...context, msgid: store.allocateMsgid() }), '2601', record.msgid);
        switch (outcome.kind) {
          case 'ok': store.apply(id, { type: 'reversed' }); return this.answered();
          case 'rejected': store.apply(id, { type: 'reverse_rejected', message: outcome.message }); return this.answered();
          default: {
            const reason = outcome.kind === 'unknown' ? `${outcome.reason}: ${outcome.detail}` : outcome.reason;
            store.apply(id, { type: 'reverse_failed', reason });
            return this.noAnswer(reason);
          }
        }
      }
      default:
        return 'answered';
    }
    return 'answered';
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
