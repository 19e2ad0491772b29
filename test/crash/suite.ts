// The crash suite: the backend as a real process, SIGKILLed at random moments and restarted on the
// same data folder after every kill. Three kill points:
//   checkout   mostly while a settle is in flight (else during identify, basket or pre-settle); the
//              POS then retries the settle with the same Idempotency-Key, as the API invites;
//   sync       while the outbox drains after the centre came back (settlements queued while the
//              network was down);
//   day-close  while the manager's POST /api/reconciliation/days/:date/close runs (a fresh store
//              with its own day of trade each time, since a day closes only once).
// After each restart:
//   · the journal verifies (GET /api/journal/verify),
//   · no sale the POS got a success for is lost or rolled back (store.db read directly),
//   · the centre holds nothing the store does not know and never two bookings of one sale
//     (the sandbox centre's own database read directly),
//   · a day close is all or nothing, and what it locked is what the store had confirmed.
// Every few kills, and at the end, the queue is left to drain and the store's confirmed settlements
// must equal the centre's booked ones, id for id and cent for cent. A settlement a kill left with an
// unknown outcome is reversed by its msgid (national's 5203 cannot look it up by msgid): the centre
// then holds nothing for it, and a sale the POS was told is provisional may end that way.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { businessDate } from '../../core/checkout/business-date';
import { fmt, money } from '../../core/money/money';
import { checkDayClose, tally, withStore } from './checks';
import { Durations, Rig, type Step } from './rig';

export const KILL_POINTS = ['checkout', 'sync', 'day-close'] as const;
export type KillPoint = (typeof KILL_POINTS)[number];

export interface CrashOptions {
  /** How many times the backend is SIGKILLed. */
  readonly kills: number;
  readonly seed?: number;
  /** Which moments to kill at (default: all three). */
  readonly points?: readonly KillPoint[];
  /** Let the queue drain and compare store and centre in full every N kills (and at the end). */
  readonly settleUpEvery?: number;
  readonly log?: (line: string) => void;
}

export interface CrashReport {
  readonly kills: number;
  readonly byPoint: Record<string, number>;
  /** Checkout kills aimed at a settle: landed before its reply reached the POS, or after. */
  readonly landed: { midRequest: number; afterReply: number };
  readonly sales: {
    readonly acknowledged: number;
    /** Settles the kill cut off, acknowledged after the restart by retrying with the same Idempotency-Key. */
    readonly retriedOk: number;
    /** …of which the retry got 409 SALE_CLOSED because the sale had committed before the kill. */
    readonly retryFoundClosed: number;
  };
  /** Outbox entries a kill left mid-call, resolved after the restart (reversed by 2601 with the same msgid: national cannot look them up). */
  readonly recoveredInFlight: number;
  /** Day-close kills that landed before the close committed, and after. */
  readonly dayCloses: { readonly cutOff: number; readonly committed: number };
  readonly settleUps: number;
  readonly centre: { readonly booked: number; readonly storeConfirmed: number; readonly medfee: string };
  readonly failures: readonly string[];
  readonly seconds: number;
  readonly workDir: string;
}

export async function runCrashSuite(options: CrashOptions): Promise<CrashReport> {
  const log = options.log ?? (() => {});
  const points = options.points ?? KILL_POINTS;
  const settleUpEvery = options.settleUpEvery ?? 10;
  let seed = (options.seed ?? 20261123) >>> 0;
  const rnd = (k: number): number => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return k <= 1 ? 0 : seed % k; };
  const started = Date.now();
  const workDir = mkdtempSync(join(tmpdir(), 'ybjs-crash-'));
  const durations = new Durations();
  const failures: string[] = [];
  const byPoint: Record<string, number> = Object.fromEntries(points.map((p) => [p, 0]));
  const landed = { midRequest: 0, afterReply: 0 };
  const sales = { acknowledged: 0, retriedOk: 0, retryFoundClosed: 0 };
  const dayCloses = { cutOff: 0, committed: 0 };
  let settleUps = 0;
  let recoveredInFlight = 0;
  let booked = 0;
  let storeConfirmed = 0;
  let medfee = money('0.00');
  let main: Rig | null = null;

  /** Folds a finished rig's figures into the report. */
  const account = (rig: Rig): void => {
    failures.push(...rig.failures.splice(0));
    sales.acknowledged += rig.acknowledgements;
    rig.acknowledgements = 0;
    withStore(rig.storePath, (db) => {
      recoveredInFlight += db.prepare("SELECT count(*) FROM settlement_outbox_log WHERE event = 'crash_recovered'").pluck().get() as number;
      const t = tally(db, rig.sandbox.db);
      booked += t.centreBooked;
      storeConfirmed += t.storeConfirmed;
      medfee = medfee.plus(money(t.medfee));
    });
  };

  /** Checkout half the time, sync 30 %, day close 20 % (of the points asked for). */
  const WEIGHT: Record<KillPoint, number> = { checkout: 5, sync: 3, 'day-close': 2 };
  const pick = (from: readonly KillPoint[]): KillPoint => {
    let r = rnd(from.reduce((n, p) => n + WEIGHT[p], 0));
    for (const p of from) { r -= WEIGHT[p]; if (r < 0) return p; }
    return from[0]!;
  };

  let checkoutKills = 0;
  async function checkoutKill(rig: Rig, label: string): Promise<void> {
    const steps: Step[] = ['settle', 'settle', 'settle', 'settle', 'settle', 'settle', 'presettle', 'presettle', 'identify', 'basket'];
    // The first two aim early into a settle, so even a short run surely cuts one off mid-flight.
    const early = ++checkoutKills <= 2;
    const step = early ? 'settle' : steps[rnd(steps.length)]!;
    let id = await rig.prepare(step === 'settle' ? null : step, label);
    if (id === null) id = await rig.prepare(null, label);
    if (step !== 'settle') { await rig.settleNormally(id!); return; }
    const window = durations.typical('settle', 40);
    // The very first lands within a few ms (a settle takes longer than that: HTTP, the transaction, a
    // 2102 with ≥ 2 ms of centre latency), the second a fifth to half-way in.
    const delay = checkoutKills === 1 ? 1 + rnd(3) : early ? Math.round(window * (0.2 + rnd(30) / 100)) : rnd(Math.ceil(window * 1.2));
    const { reply } = await rig.killDuring(() => rig.pos.settle(id!), delay);
    if (reply === undefined) landed.midRequest++; else landed.afterReply++;
    if (reply && reply.status < 300) rig.ack(id!, reply.body.state);
    else if (reply) rig.failures.push(`${label}: sale ${id}: settle replied ${reply.status} ${JSON.stringify(reply.body)}`);
    await rig.restart();
    await rig.afterRestart(label);
    if (reply) return;
    // The POS never got an answer: it retries with the same Idempotency-Key, as the API invites.
    const retry = await rig.pos.settle(id!);
    if (retry.status < 300) { rig.ack(id!, retry.body.state); sales.retriedOk++; return; }
    if (retry.status === 409 && retry.body?.error === 'SALE_CLOSED') {
      const now = await rig.pos.ok('GET', `/api/sales/${id}`);
      if (now.state === 'provisional' || now.state === 'settled') { rig.ack(id!, now.state); sales.retriedOk++; sales.retryFoundClosed++; return; }
      rig.failures.push(`${label}: sale ${id}: retry said SALE_CLOSED but the sale is ${now.state}`);
      return;
    }
    rig.failures.push(`${label}: sale ${id}: retry after the crash failed: ${retry.status} ${JSON.stringify(retry.body)}`);
  }

  async function syncKill(rig: Rig, label: string): Promise<void> {
    const count = 2 + rnd(5);
    await rig.queueOffline(count, label);
    // The network comes back; the outbox drains; the kill lands somewhere in the drain.
    const window = Math.ceil(count * durations.typical('settle', 60) * 1.2);
    await rig.killDuring(async () => {
      await rig.pos.ok('POST', '/api/training/centre', { online: true });
      await new Promise((r) => setTimeout(r, window + 50));
      return true;
    }, rnd(window));
    await rig.restart();
    await rig.afterRestart(label);
  }

  async function dayCloseKill(k: number, label: string): Promise<void> {
    const dir = join(workDir, `day-close-${k}`);
    const rig = await Rig.create(dir, rnd, durations, rnd(100_000));
    try {
      // A day's trade: online sales, and some queued while the network was down — left queued
      // (provisional at close time) or drained first.
      for (let i = 2 + rnd(4); i > 0; i--) await rig.settleNormally((await rig.prepare(null, label))!);
      if (rnd(2) === 0) {
        await rig.queueOffline(1 + rnd(3), label);
        await rig.pos.ok('POST', '/api/training/centre', { online: true });
        if (rnd(2) === 0) await new Promise((r) => setTimeout(r, 300));
      }
      const date = businessDate(new Date());
      const close = () => rig.pos.call('POST', `/api/reconciliation/days/${date}/close`, { token: rig.pos.manager, body: { acknowledgeUnbalanced: true, note: '崩溃测试' } });
      const { reply } = await rig.killDuring(close, rnd(Math.ceil(durations.typical('close', 150) * 1.2)));
      if (reply && reply.status !== 200) rig.failures.push(`${label}: close replied ${reply.status} ${JSON.stringify(reply.body)}`);
      await rig.restart();
      await rig.afterRestart(label);
      const after = withStore(rig.storePath, (db) => checkDayClose(db, date));
      for (const p of after.problems) rig.failures.push(`${label}: ${p}`);
      if (reply?.status === 200 && !after.closed) rig.failures.push(`${label}: the manager was told ${date} is closed, but it is not`);
      if (after.closed) dayCloses.committed++; else dayCloses.cutOff++;
      // The manager closes again: done now, or already done before the kill.
      const retry = await rig.timed('close', close);
      if (after.closed ? !(retry.status === 409 && retry.body?.error === 'DAY_CLOSED') : retry.status !== 200) {
        rig.failures.push(`${label}: closing again after the restart: ${retry.status} ${JSON.stringify(retry.body).slice(0, 300)}`);
      }
      const final = withStore(rig.storePath, (db) => checkDayClose(db, date));
      for (const p of final.problems) rig.failures.push(`${label} (after the retry): ${p}`);
      if (!final.closed) rig.failures.push(`${label}: ${date} is still open after closing it again`);
      await rig.settleUp(label);
      settleUps++;
    } finally {
      const clean = rig.failures.length === 0;
      account(rig);
      await rig.close();
      if (clean) rmSync(dir, { recursive: true, force: true });
    }
  }

  try {
    main = await Rig.create(join(workDir, 'main'), rnd, durations, seed % 100_000);
    // A few ordinary sales first, so kill delays start from measured durations.
    for (let i = 0; i < 3; i++) await main.settleNormally((await main.prepare(null, 'warm-up'))!);
    for (let k = 1; k <= options.kills; k++) {
      const point = k <= points.length ? points[k - 1]! : pick(points);
      const label = `kill ${k}/${options.kills} (${point})`;
      byPoint[point] = (byPoint[point] ?? 0) + 1;
      if (point === 'checkout') await checkoutKill(main, label);
      else if (point === 'sync') await syncKill(main, label);
      else await dayCloseKill(k, label);
      if (point !== 'day-close' && k % settleUpEvery === 0 && k !== options.kills) { await main.settleUp(`after ${label}`); settleUps++; }
      log(`${label}: ${failures.length + main.failures.length} failure(s) so far`);
      if (failures.length + main.failures.length > 20) break;
    }
    await main.settleUp('at the end');
    settleUps++;
  } catch (error) {
    failures.push(`the suite itself failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}${main ? `\nlast backend output:\n${main.output().slice(-3000)}` : ''}`);
  } finally {
    if (main) {
      account(main);
      await main.close();
    }
    if (failures.length === 0) rmSync(workDir, { recursive: true, force: true });
  }
  return {
    kills: Object.values(byPoint).reduce((a, b) => a + b, 0), byPoint, landed, sales, recoveredInFlight, dayCloses, settleUps,
    centre: { booked, storeConfirmed, medfee: fmt(medfee) }, failures, seconds: (Date.now() - started) / 1000, workDir,
  };
}
