// Issue 15 item 3: a box (追溯码) sold anywhere in the chain is refused at another till's basket,
// and sellable again once the till that sold it refunded it. Two till backends (separate data
// folders, real processes) on one standalone sandbox centre and a real PostgreSQL ledger. With the
// ledger stopped the basket goes on with the till's own check and says the chain was not checked;
// a till killed (SIGKILL) while it pushes its backlog of code facts neither loses nor doubles one.
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { businessDate } from '../../../core/checkout/business-date';
import { TRAINING_IDENTITY } from '../../../core/centre/training';
import { trainingDoctorCode } from '../../../core/policy/training-doctors';
import { initChainLedger, PgLedger } from '../../../native/ledger/pg-ledger';
import { type OutgoingFact } from '../../../core/ledger/port';
import { traceCode } from '../../support/checkout';
import { PERSONS } from '../../crash/pos';
import { ledgerQuery, ledgerRig, type Pos, waitFor } from './support';

const rig = ledgerRig('chain');

const PERSON = PERSONS[0];
const SKU_A01 = '6901000000011';

/** A sale with a prescription, waiting for its basket. */
async function openSale(pos: Pos): Promise<string> {
  const sale = await pos.identify(PERSON, false);
  const issuerCode = `TRAIN-H${PERSON.district}-L1`;
  await pos.ok('PUT', `/api/sales/${sale.id}/prescription`, {
    issuerCode, prescriberCode: trainingDoctorCode(issuerCode), rxNo: `RX-${sale.id.slice(-8)}`, issuedOn: businessDate(new Date()), prescriber: '王医生', items: ['TRAIN-D-A01'],
  });
  return sale.id as string;
}

const basket = (pos: Pos, saleId: string, codes: string[]) => pos.call('PUT', `/api/sales/${saleId}/basket`, {
  token: pos.cashier, body: { lines: [{ sku: SKU_A01, name: '药品A01', qty: String(codes.length), price: '6.50', traceCodes: codes }] },
});

async function sell(pos: Pos, codes: string[]): Promise<{ id: string; chainCheck: unknown }> {
  const id = await openSale(pos);
  const set = await basket(pos, id, codes);
  if (set.status !== 200) throw new Error(`basket: ${set.status} ${JSON.stringify(set.body)}`);
  const settled = await pos.settle(id, { acceptSelfPay: true });
  expect(settled.status).toBe(200);
  return { id, chainCheck: set.body.chainCheck };
}

const unreturned = async (code: string) => ledgerQuery<{ till_id: string }>(rig.url, 'SELECT till_id FROM ledger_trace_code WHERE code = $1 AND returned_at IS NULL', [code]);
const ledgerStatus = async (pos: Pos) => (await pos.ok('GET', '/api/status')).ledger as { pending: number; error: string | null };

it('a code sold on T1 is refused on T2 until T1 refunds it; with the ledger down T2 checks locally and says so; a kill -9 mid-push loses and doubles no code', async () => {
  const dirs = { T1: rig.tillDir('T1'), T2: rig.tillDir('T2') };
  const pos = { T1: await rig.launch('T1', dirs.T1), T2: await rig.launch('T2', dirs.T2) };
  await waitFor('both tills registered', async () => (await ledgerQuery(rig.url, 'SELECT 1 FROM ledger_till')).length === 2);

  // T1 sells the box; once its fact is in the ledger, T2's basket refuses it, naming store and date.
  const box = traceCode();
  const first = await sell(pos.T1, [box]);
  expect(first.chainCheck).toMatchObject({ state: 'checked' });
  await waitFor('T1 pushed the code', async () => (await unreturned(box)).length === 1);
  const onT2 = await openSale(pos.T2);
  const refused = await basket(pos.T2, onT2, [traceCode(), box]);
  expect(refused.status).toBe(422);
  expect(refused.body).toMatchObject({ error: 'TRACE_CODE_SOLD_IN_CHAIN', field: 'lines.0.traceCodes.1' });
  expect(refused.body.message).toContain(box);
  expect(refused.body.message).toContain(TRAINING_IDENTITY.fixmedinsCode);
  expect(refused.body.message).toContain(TRAINING_IDENTITY.fixmedinsName);
  expect(refused.body.message).toContain(businessDate(new Date()));
  expect(refused.body.message).toContain('T1');
  expect(refused.body.message).not.toContain(PERSON.idNumber);
  // On T1 itself the local check still refuses it, as before.
  const againOnT1 = await basket(pos.T1, await openSale(pos.T1), [box]);
  expect(againOnT1.body).toMatchObject({ error: 'TRACE_CODE_ALREADY_SOLD' });

  // T1 refunds: the box is freed in the ledger and T2 sells it.
  const refund = await pos.T1.call('POST', `/api/sales/${first.id}/refund`, { token: pos.T1.cashier, body: { reason: '顾客退货' } });
  expect(refund.status).toBe(200);
  expect(refund.body.state).toBe('refunded');
  await waitFor('T1 pushed the return', async () => (await unreturned(box)).length === 0);
  const accepted = await basket(pos.T2, onT2, [box]);
  expect(accepted.status).toBe(200);
  expect(accepted.body.chainCheck).toMatchObject({ state: 'checked' });
  expect((await pos.T2.settle(onT2, { acceptSelfPay: true })).status).toBe(200);
  // Now T2 holds it: T1, whose own record is freed, is refused by the chain check.
  await waitFor('T2 pushed the code', async () => (await unreturned(box)).map((r) => r.till_id).join() === 'T2');
  const backOnT1 = await basket(pos.T1, await openSale(pos.T1), [box]);
  expect(backOnT1.body).toMatchObject({ error: 'TRACE_CODE_SOLD_IN_CHAIN' });
  expect(backOnT1.body.message).toContain('T2');

  // The ledger stopped: T2 still sells (its own check only), quickly, and the answer says so.
  await rig.server.stop();
  const offline = await openSale(pos.T2);
  const started = Date.now();
  const local = await basket(pos.T2, offline, [traceCode()]);
  expect(Date.now() - started).toBeLessThan(1_500);
  expect(local.status).toBe(200);
  expect(local.body.chainCheck).toMatchObject({ state: 'unavailable', message: expect.stringContaining('本收银台') });
  expect((await pos.T2.settle(offline, { acceptSelfPay: true })).status).toBe(200);
  // Codes sold on T2 are still refused there without the ledger.
  expect((await basket(pos.T2, await openSale(pos.T2), [box])).body).toMatchObject({ error: 'TRACE_CODE_ALREADY_SOLD' });
  // A backlog of code facts, then T2 is killed while pushing it and started again.
  const backlog: string[] = [];
  for (let i = 0; i < 6; i++) { const codes = [traceCode(), traceCode()]; backlog.push(...codes); await sell(pos.T2, codes); }
  await rig.server.start();
  const before = Number((await ledgerQuery<{ s: string }>(rig.url, "SELECT applied_seq AS s FROM ledger_till WHERE till_id = 'T2'"))[0]!.s);
  await waitFor('T2 pushing', async () => Number((await ledgerQuery<{ s: string }>(rig.url, "SELECT applied_seq AS s FROM ledger_till WHERE till_id = 'T2'"))[0]!.s) !== before, 20_000).catch(() => undefined);
  await rig.proc('T2').stop('SIGKILL');
  pos.T2 = await rig.launch('T2', dirs.T2);
  await waitFor('T2 pushed everything', async () => { const s = await ledgerStatus(pos.T2); return s.pending === 0 && s.error === null; }, 60_000);

  // Every code event of T2 is in the ledger exactly once, and every backlog code is sold there by T2.
  const db = new Database(join(dirs.T2, 'store.db'), { readonly: true });
  const events = (() => { try { return db.prepare("SELECT count(*) FROM ledger_outbox WHERE kind = 'trace'").pluck().get() as number; } finally { db.close(); } })();
  const facts = (await ledgerQuery<{ n: string; d: string }>(rig.url, "SELECT count(*) AS n, count(DISTINCT body->>'id') AS d FROM ledger_fact WHERE till_id = 'T2' AND kind = 'trace'"))[0]!;
  expect(facts).toEqual({ n: String(events), d: String(events) });
  const held = await ledgerQuery<{ code: string }>(rig.url, "SELECT code FROM ledger_trace_code WHERE till_id = 'T2' AND returned_at IS NULL AND code = ANY($1)", [backlog]);
  expect(held.map((r) => r.code).sort()).toEqual([...backlog].sort());
  // And T1 refuses a box of that backlog.
  const late = await basket(pos.T1, await openSale(pos.T1), [backlog[0]!]);
  expect(late.body).toMatchObject({ error: 'TRACE_CODE_SOLD_IN_CHAIN' });
}, 240_000);

it('a ledger that accepts the connection but never answers is given up on within the limit', async () => {
  const sockets: Socket[] = [];
  const silent = createServer((socket) => { sockets.push(socket); });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as { port: number }).port;
  const ledger = new PgLedger({ url: `postgres://ledger@127.0.0.1:${port}/chain` });
  try {
    const started = Date.now();
    await expect(ledger.soldInChain({ fixmedinsCode: TRAINING_IDENTITY.fixmedinsCode, tillId: 'T2' }, [traceCode()], 300)).rejects.toMatchObject({ code: 'LEDGER_UNREACHABLE' });
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(800);
    // No codes: nothing to ask.
    expect(await ledger.soldInChain({ fixmedinsCode: TRAINING_IDENTITY.fixmedinsCode, tillId: 'T2' }, [], 300)).toBeNull();
  } finally {
    for (const s of sockets) s.destroy();
    await ledger.close().catch(() => {});
    await new Promise((resolve) => silent.close(resolve));
  }
});

it('two stores of one chain: a box sold at store A is refused at store B, naming store A; freed by A, a re-pushed old fact does not bring it back', async () => {
  const chainUrl = await rig.server.createDatabase('chain2');
  await initChainLedger(chainUrl, { name: '测试连锁', stores: [
    { code: 'P36010200001', name: '一号店', areaCode: '360102' }, { code: 'P36010200002', name: '二号店', areaCode: '360102' },
  ] });
  const ledger = new PgLedger({ url: chainUrl });
  try {
    const a = { fixmedinsCode: 'P36010200001', fixmedinsName: '一号店', areaCode: '360102', tillId: 'T1', instanceId: 'a'.repeat(32) };
    const b = { fixmedinsCode: 'P36010200002', fixmedinsName: '二号店', areaCode: '360102', tillId: 'T1', instanceId: 'b'.repeat(32) };
    await ledger.register(a);
    await ledger.register(b);
    const box = traceCode();
    const fact = (seq: number, event: 'sold' | 'freed', at: string): OutgoingFact => ({ seq, kind: 'trace', at, body: { id: seq, code: box, saleId: 'S-A-1', sku: SKU_A01, split: false, event, at } });
    const sold = fact(1, 'sold', '2026-12-01T02:00:00.000Z');
    await ledger.push(a, [sold], 0);
    // Store A's own till is not asked about its own codes; store B is told where and when.
    expect(await ledger.soldInChain(a, [box], 2_000)).toBeNull();
    expect(await ledger.soldInChain(b, [traceCode(), box], 2_000)).toEqual({ code: box, fixmedinsCode: a.fixmedinsCode, storeName: '一号店', tillId: 'T1', soldAt: '2026-12-01T02:00:00.000Z' });
    // Sold and freed in one batch and pushed again: freed, once.
    await ledger.push(a, [sold, fact(2, 'freed', '2026-12-01T03:00:00.000Z')], 0);
    expect(await ledger.soldInChain(b, [box], 2_000)).toBeNull();
    await ledger.push(a, [sold], 0);
    expect(await ledger.soldInChain(b, [box], 2_000)).toBeNull();
    expect(await ledgerQuery(chainUrl, "SELECT seq FROM ledger_fact WHERE kind = 'trace' ORDER BY seq")).toEqual([{ seq: '1' }, { seq: '2' }]);
  } finally {
    await ledger.close();
  }
});
