// One store under test: its data folder, the backend process serving it (restarted after every
// kill), a sandbox centre in this process (so it survives the kills) that the backend reaches over
// loopback HTTP exactly as a real centre (mode http, the training institution code: training
// catalogue, SKUs, virtual reader and network switch included), and the POS driving it.
import { join } from 'node:path';
import { startSandbox, type RunningSandbox } from '../../native/sandbox/server';
import { startBackendProcess, type ServeProcess } from '../support/serve-process';
import { type Acknowledged, checkAcknowledged, checkNothingBookedTwice, checkSettledUp, openEntries, withStore } from './checks';
import { PERSONS, Pos } from './pos';

export type Step = 'identify' | 'basket' | 'presettle' | 'settle';

/** Request durations across rigs, so kill delays cover each request's real duration. */
export class Durations {
  private readonly seen: Record<string, number[]> = {};

  add(kind: string, ms: number): void {
    const list = (this.seen[kind] ??= []);
    list.push(ms);
    if (list.length > 25) list.shift();
  }

  /** The lower quartile: the first calls after a restart (cold code, the centre sign-in) are much slower. */
  typical(kind: string, fallback: number): number {
    const d = [...(this.seen[kind] ?? [])].sort((a, b) => a - b);
    return d.length ? d[Math.floor(d.length / 4)]! : fallback;
  }
}

export class Rig {
  readonly acknowledged: Acknowledged = new Map();
  readonly failures: string[] = [];
  readonly storePath: string;
  readonly pos: Pos;
  acknowledgements = 0;

  private constructor(
    readonly dir: string, readonly sandbox: RunningSandbox, private backend: ServeProcess,
    readonly rnd: (k: number) => number, readonly durations: Durations, private readonly command: readonly string[] | undefined,
  ) {
    this.storePath = join(dir, 'store', 'store.db');
    this.pos = new Pos(backend.url);
  }

  /**
   * A new store in `dir`, configured for the sandbox centre over HTTP, restarted, signed in.
   * `command` runs serve (default: node --import tsx electron/backend/serve.ts).
   */
  static async create(dir: string, rnd: (k: number) => number, durations: Durations, sandboxSeed: number, command?: readonly string[]): Promise<Rig> {
    const sandbox = await startSandbox({ dataDir: join(dir, 'centre'), port: 0, faults: { seed: sandboxSeed, latencyMs: [2, 20] } });
    const rig = new Rig(dir, sandbox, await startBackendProcess({ dataDir: join(dir, 'store'), ...(command && { command }) }), rnd, durations, command);
    const tech = await rig.pos.call('POST', '/api/session', { body: { operatorId: '3001', pin: '3333' } });
    const saved = await rig.pos.call('PUT', '/api/centre/settings', {
      token: tech.body.token,
      body: { mode: 'http', url: sandbox.endpoint, institutionCode: 'P42030200001', institutionName: '【培训】示例定点零售药店', areaCode: '420302', timeoutMs: 3000 },
    });
    if (saved.status !== 200) throw new Error(`centre settings: ${saved.status} ${JSON.stringify(saved.body)}`);
    await rig.backend.stop('SIGTERM');
    await rig.restart();
    await rig.pos.signIn();
    const status = await rig.pos.ok('GET', '/api/status');
    if (status.training.sandboxCentre !== false) throw new Error(`backend still uses its in-process sandbox: ${JSON.stringify(status)}`);
    return rig;
  }

  output(): string {
    return this.backend.output();
  }

  /** The backend process id (for its memory in /proc). */
  pid(): number {
    return this.backend.child.pid!;
  }

  async restart(): Promise<void> {
    this.backend = await startBackendProcess({ dataDir: join(this.dir, 'store'), ...(this.command && { command: this.command }) });
    this.pos.url = this.backend.url;
  }

  async close(): Promise<void> {
    await this.backend.stop('SIGTERM');
    await this.sandbox.close();
  }

  ack(id: string, state: string): void {
    if (state !== 'settled' && state !== 'provisional' && state !== 'selfpay') { this.failures.push(`sale ${id}: a successful settle replied state ${state}`); return; }
    if (!this.acknowledged.has(id)) this.acknowledgements++;
    this.acknowledged.set(id, state);
  }

  async timed<T>(kind: string, run: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    const value = await run();
    this.durations.add(kind, performance.now() - t0);
    return value;
  }

  /** Runs `request` and SIGKILLs the backend `delayMs` after it started (whether or not it replied by then). */
  async killDuring<T>(request: () => Promise<T>, delayMs: number): Promise<{ reply: T | undefined }> {
    const victim = this.backend;
    const killed = new Promise<void>((resolve) => setTimeout(() => { victim.child.kill('SIGKILL'); resolve(); }, delayMs));
    let reply: T | undefined;
    try { reply = await request(); } catch { reply = undefined; }
    await killed;
    const code = await victim.stop('SIGKILL');
    if (code !== null || victim.child.signalCode !== 'SIGKILL') this.failures.push(`the backend ended with code ${code} / ${victim.child.signalCode}, not by the kill:\n${victim.output().slice(-2000)}`);
    return { reply };
  }

  /** After a restart: the journal verifies; acknowledged sales stand; the centre holds nothing twice. */
  async afterRestart(label: string): Promise<void> {
    const verify = await this.pos.call('GET', '/api/journal/verify', { token: this.pos.manager });
    if (verify.status !== 200 || verify.body?.ok !== true) this.failures.push(`${label}: journal does not verify: ${verify.status} ${JSON.stringify(verify.body)}`);
    const problems = withStore(this.storePath, (db) => [...checkAcknowledged(db, this.acknowledged), ...checkNothingBookedTwice(db, this.sandbox.db)]);
    for (const p of problems) this.failures.push(`${label}: ${p}`);
  }

  /** Lets the outbox drain, then compares store and centre in full. */
  async settleUp(label: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (withStore(this.storePath, openEntries) > 0) {
      if (Date.now() > deadline) { this.failures.push(`${label}: the outbox did not drain within 60 s`); break; }
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const p of withStore(this.storePath, (db) => checkSettledUp(db, this.sandbox.db, this.acknowledged))) this.failures.push(`${label}: ${p}`);
  }

  /** A sale up to (not including) settle; a kill may be aimed at one of its steps. Null: start again. */
  async prepare(killAt: Exclude<Step, 'settle'> | null, label: string): Promise<string | null> {
    const { pos, rnd } = this;
    const person = PERSONS[rnd(PERSONS.length)]!;
    const byCard = rnd(2) === 0;
    const window = (kind: string, fallback: number): number => rnd(Math.ceil(this.durations.typical(kind, fallback) * 1.3));
    if (killAt === 'identify') {
      await this.killDuring(() => pos.identify(person, byCard), window('identify', 40));
      await this.restart();
      await this.afterRestart(label);
      return null; // the POS never learnt the sale number
    }
    const sale = await this.timed('identify', () => pos.identify(person, byCard));
    if (killAt === 'basket') {
      await this.killDuring(() => pos.fill(sale.id, person, rnd), window('basket', 30));
      await this.restart();
      await this.afterRestart(label);
    }
    await this.timed('basket', () => pos.fill(sale.id, person, rnd));
    if (killAt === 'presettle') {
      await this.killDuring(() => pos.ok('POST', `/api/sales/${sale.id}/presettle`, { useAccount: true }), window('presettle', 40));
      await this.restart();
      await this.afterRestart(label);
    }
    if (killAt === 'presettle' || rnd(2) === 0) await this.timed('presettle', () => pos.ok('POST', `/api/sales/${sale.id}/presettle`, { useAccount: true }));
    return sale.id as string;
  }

  async settleNormally(id: string, options: { acceptSelfPay?: boolean } = {}): Promise<void> {
    const r = await this.timed('settle', () => this.pos.settle(id, options));
    if (r.status >= 300) this.failures.push(`sale ${id}: settle failed without any kill: ${r.status} ${JSON.stringify(r.body)}`);
    else this.ack(id, r.body.state);
  }

  /** Queued settlements: pre-settled sales settled while the network is down (plus offline-priced ones). */
  async queueOffline(count: number, label: string): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await this.prepare(null, label))!);
    // The network drops. A pre-settled sale settles on the centre's split and is queued; one not yet
    // pre-settled is priced locally: provisional within the store's risk limits, else the POS
    // accepts self-pay (to be re-settled later).
    await this.pos.ok('POST', '/api/training/centre', { online: false });
    for (const id of ids) {
      const r = await this.pos.settle(id, { acceptSelfPay: true });
      if (r.status >= 300) this.failures.push(`${label}: sale ${id}: settle with the network off failed: ${r.status} ${JSON.stringify(r.body)}`);
      else this.ack(id, r.body.state);
    }
    return ids;
  }
}
