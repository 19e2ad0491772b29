// Pushes the till's ledger outbox to the store ledger, in order, in batches, for ever: registers
// first, then drains; on any failure waits (backoff) and resumes from the ledger-confirmed cursor.
// It never blocks the checkout — the checkout only writes SQLite; the outbox rows come from
// triggers. Head-office publications are picked up after each drain and acknowledged through the
// same outbox.
//
//   const replicator = new LedgerReplicator({ outbox, ledger, till, applyPublication });
//   replicator.start();  replicator.kick();  replicator.status();  await replicator.drain();  await replicator.stop();
import { LedgerSetupError, type LedgerPort, type Publication, type TillIdentity } from '../../core/ledger/port';
import { type TillOutbox } from './till-outbox';

export interface ReplicatorStatus {
  /** Facts not yet in the ledger (账本待传). */
  readonly pending: number;
  readonly registered: boolean;
  /** The last failure, with the setting to check; null after a successful push. */
  readonly lastError: null | { readonly code: string; readonly message: string; readonly setting: string | null; readonly at: string };
  readonly lastPushAt: string | null;
}

export interface ReplicatorOptions {
  readonly outbox: TillOutbox;
  readonly ledger: LedgerPort;
  readonly till: Omit<TillIdentity, 'instanceId'>;
  /** Applies a head-office publication to this till; returns what it did, throws to refuse it. */
  readonly applyPublication?: (publication: Publication) => string;
  /** After each successful pass: work the ledger has for this till (resolutions filed for it). A throw backs off like a failed push. */
  readonly afterPass?: () => Promise<void>;
  readonly batchSize?: number;
  /** How often an idle till looks for new facts and publications. */
  readonly idleMs?: number;
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
  readonly log?: (line: string) => void;
  readonly onStatus?: (status: ReplicatorStatus) => void;
}

export class LedgerReplicator {
  readonly till: TillIdentity;
  private registered = false;
  private lastError: ReplicatorStatus['lastError'] = null;
  private lastPushAt: string | null = null;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private chain: Promise<unknown> = Promise.resolve();
  private lastPending = -1;

  constructor(private readonly options: ReplicatorOptions) {
    this.till = { ...options.till, instanceId: options.outbox.instanceId() };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.kick();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.chain.catch(() => {});
  }

  /** Push now (a sale was recorded). Serialised with the loop. */
  kick(): void {
    if (!this.running) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    void this.serialised(() => this.pass()).then((wait) => this.schedule(wait));
  }

  /** One full pass, for tests and the shutdown path: register if needed, push everything, apply publications. */
  async drain(): Promise<ReplicatorStatus> {
    await this.serialised(() => this.pass());
    return this.status();
  }

  status(): ReplicatorStatus {
    return { pending: this.options.outbox.pending(), registered: this.registered, lastError: this.lastError, lastPushAt: this.lastPushAt };
  }

  /** Returns how long to wait before the next pass. */
  private async pass(): Promise<number> {
    const { outbox, ledger } = this.options;
    const idle = this.options.idleMs ?? 1_000;
    try {
      if (!this.registered) {
        await ledger.register(this.till);
        this.registered = true;
        this.options.log?.(`ledger: till ${this.till.tillId} of ${this.till.fixmedinsCode} registered`);
      }
      for (;;) {
        const batch = outbox.batch(this.options.batchSize ?? 500);
        if (batch.length === 0) break;
        const last = batch[batch.length - 1]!.seq;
        const pendingAfter = Math.max(0, outbox.pending() - batch.length);
        const report = await ledger.push(this.till, batch, pendingAfter);
        // The ledger may have had more than we sent (a push whose reply was lost): never past what we know.
        outbox.markPushed(Math.min(report.appliedUpTo, last));
        if (report.appliedUpTo < last) throw new Error(`ledger applied only up to ${report.appliedUpTo} of ${last}`);
        this.lastPushAt = new Date().toISOString();
      }
      await this.pickUpPublications();
      await this.options.afterPass?.();
      this.failures = 0;
      if (this.lastError) this.options.log?.('ledger: replication resumed');
      this.lastError = null;
      this.emit();
      return idle;
    } catch (error) {
      this.failures++;
      const setup = error instanceof LedgerSetupError ? error : null;
      // A refusal that is about this till's identity re-registers after the setting is changed.
      if (setup && setup.code !== 'LEDGER_UNREACHABLE') this.registered = false;
      const message = error instanceof Error ? error.message : String(error);
      if (this.lastError?.message !== message) this.options.log?.(`ledger: ${message}`);
      this.lastError = { code: setup?.code ?? 'LEDGER_PUSH_FAILED', message, setting: setup?.setting ?? null, at: new Date().toISOString() };
      this.emit();
      const { baseMs, maxMs } = this.options.backoff ?? { baseMs: 500, maxMs: 5_000 };
      return Math.min(maxMs, baseMs * 2 ** Math.min(this.failures - 1, 16));
    }
  }

  private async pickUpPublications(): Promise<void> {
    const apply = this.options.applyPublication;
    if (!apply) return;
    const publications = await this.options.ledger.publicationsFor(this.till);
    let applied = 0;
    for (const p of publications) {
      if (this.options.outbox.seenPublication(p.id)) continue;
      const outcome = this.options.outbox.applyPublication(p, () => apply(p));
      this.options.log?.(`ledger: publication ${p.id} (${p.kind}) ${outcome.ok ? 'applied' : 'refused'}: ${outcome.message}`);
      applied++;
    }
    if (applied > 0) {
      // The acknowledgements are in the outbox now: send them in this pass.
      const batch = this.options.outbox.batch(this.options.batchSize ?? 500);
      if (batch.length > 0) {
        const report = await this.options.ledger.push(this.till, batch, Math.max(0, this.options.outbox.pending() - batch.length));
        this.options.outbox.markPushed(Math.min(report.appliedUpTo, batch[batch.length - 1]!.seq));
      }
    }
  }

  private emit(): void {
    const status = this.status();
    if (status.pending !== this.lastPending || status.lastError) this.options.onStatus?.(status);
    this.lastPending = status.pending;
  }

  private schedule(waitMs: number): void {
    clearTimeout(this.timer);
    if (!this.running) return;
    this.timer = setTimeout(() => { this.timer = undefined; this.kick(); }, waitMs);
    this.timer.unref?.();
  }

  private serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task, task);
    this.chain = run.catch(() => {});
    return run;
  }
}
