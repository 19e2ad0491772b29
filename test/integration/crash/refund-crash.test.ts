// Refunds under SIGKILL: the backend is killed at random moments of a refund (2103) and restarted;
// the POS retries. The store and the centre must end agreeing: the sale refunded once at the centre
// and refunded in the store, the journal intact.
import { afterAll, expect, test } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Durations, Rig } from '../../crash/rig';

const KILLS = 6;
let rig: Rig | undefined;
afterAll(async () => { await rig?.close(); });

test(`a refund killed ${KILLS} times at random points is neither lost nor applied twice`, async () => {
  let seed = 97531;
  const rnd = (k: number): number => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return k <= 1 ? 0 : seed % k; };
  rig = await Rig.create(mkdtempSync(join(tmpdir(), 'ybjs-refund-crash-')), rnd, new Durations(), 11);
  const cancellations = rig.sandbox.db.prepare("SELECT count(*) FROM cancellation WHERE setl_id = ? AND status = 'done'").pluck();
  let cutMidRequest = 0;
  for (let k = 0; k < KILLS; k++) {
    const id = (await rig.prepare(null, `refund ${k}`))!;
    const settled = await rig.pos.settle(id);
    expect(settled.status).toBe(200);
    const setlId = settled.body.centre?.setlId as string;
    expect(setlId).toBeTruthy();
    // Early kills land before the reply (the sandbox answers in 2–20 ms), later ones after it.
    const { reply } = await rig.killDuring(() => rig!.pos.call('POST', `/api/sales/${id}/refund`, { token: rig!.pos.cashier, body: { reason: '崩溃测试退费' } }), k < 3 ? 1 + rnd(15) : rnd(60));
    if (reply === undefined) cutMidRequest++;
    await rig.restart();
    // The POS retries; start-up recovery may already have finished the refund.
    const retry = await rig.pos.call('POST', `/api/sales/${id}/refund`, { token: rig.pos.cashier, body: { reason: '崩溃测试退费' } });
    expect([200, 409], JSON.stringify(retry.body)).toContain(retry.status);
    const sale = await rig.pos.ok('GET', `/api/sales/${id}`);
    expect(sale.state).toBe('refunded');
    expect(cancellations.get(setlId)).toBe(1);
    const journal = await rig.pos.call('GET', '/api/journal/verify', { token: rig.pos.manager });
    expect(journal.body.ok).toBe(true);
  }
  expect(rig.failures).toEqual([]);
  expect(cutMidRequest).toBeGreaterThan(0);
}, 120_000);
