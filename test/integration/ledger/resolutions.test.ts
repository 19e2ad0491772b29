// Issue 17 item 3: a store-level discrepancy that belongs to another till is resolved by that till.
// Two till backends (separate data folders, real processes) on one standalone sandbox centre and a
// real PostgreSQL ledger. T2's settlement is booked at the centre but its reply is lost (and its
// reversal fails), so the store check from T1 finds it as 中心多 naming T2. With T2 switched off the
// manager resolves it from T1's seat: the request waits in the ledger ("等待收银台 T2"), a second
// submission is the same request, the day cannot be closed without acknowledging it. T2 restarted
// carries it out once through its own resolution code (5203 by setl_id + mdtrt_id, booked on its own
// settlement) and the result comes back through the ledger. A closed day takes no new request.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { businessDate } from '../../../core/checkout/business-date';
import { settleInputFromBasket } from '../../../core/centre/build';
import { createCentreClient } from '../../../core/centre/client';
import { msgidGenerator } from '../../../core/centre/msgid';
import { TRAINING_IDENTITY, TRAINING_TERMINAL } from '../../../core/centre/training';
import { HttpJsonTransport } from '../../../native/centre/http-transport';
import { paperRx } from '../../support/paper-rx';
import { PERSONS } from '../../crash/pos';
import { ledgerQuery, ledgerRig, type Pos, sellOne, waitFor } from './support';

const rig = ledgerRig('store');

function tillDb<T>(dataDir: string, read: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, 'store.db'), { readonly: true });
  try { return read(db); } finally { db.close(); }
}

const requests = (id: string) => ledgerQuery<{ status: string; till_id: string; requested_from: string; attempts: number }>(rig.url, 'SELECT status, till_id, requested_from, attempts FROM ledger_resolution WHERE discrepancy_id = $1', [id]);

it('a discrepancy of a switched-off till waits for it, is carried out once when it is back, and a closed day takes no new request', async () => {
  const dirs = { T1: rig.tillDir('T1'), T2: rig.tillDir('T2') };
  const pos = { T1: await rig.launch('T1', dirs.T1), T2: await rig.launch('T2', dirs.T2) };
  const today = businessDate(new Date());

  // T1 sells to the Nanchang person (so the store deals with that group); another system books a
  // settlement at the centre for the same person under a msgid no till of this store issued.
  let n = 7;
  const own = await pos.T1.identify(PERSONS[0], false);
  await pos.T1.fill(own.id, PERSONS[0], (k) => { n = (n * 1103515245 + 12345) % 2147483648; return n % k; });
  expect((await pos.T1.settle(own.id, { acceptSelfPay: true })).body.state).toBe('settled');
  const elsewhere = createCentreClient({
    transport: new HttpJsonTransport({ url: rig.sandbox.endpoint, connectTimeoutMs: 2_000, responseTimeoutMs: 10_000 }), identity: TRAINING_IDENTITY,
    clock: () => new Date(), terminal: TRAINING_TERMINAL, nextMsgid: msgidGenerator(`${TRAINING_IDENTITY.fixmedinsCode}`, () => new Date()),
  });
  const foreignMsgid = `${TRAINING_IDENTITY.fixmedinsCode}${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}0999`;
  const foreign = await elsewhere.settle(settleInputFromBasket({
    psnNo: 'PSN36010002', certType: '02', certNo: PERSONS[0].idNumber, insutype: '310', saleTime: new Date(), useAccount: true, rx: paperRx(null),
    lines: [{ medListCodg: 'TRAIN-D-A01', medinsListCodg: 'OTHER-POS', qty: '1', price: '7.50' }],
  }), { msgid: foreignMsgid, insuplcAdmdvs: '360100' });
  expect(foreign.kind).toBe('ok');
  // T2: the centre books it, the reply is lost; the reversal the sync engine tries next fails too.
  rig.sandbox.setFaults({ dropAfterCommitRate: 1, infnos: ['2102'] });
  const lost = await sellOne(pos.T2, 2);
  rig.sandbox.setFaults({ error5xxRate: 1, infnos: ['2601'] });
  expect(lost.state).toBe('provisional');
  const msgid = tillDb(dirs.T2, (db) => db.prepare('SELECT msgid FROM settlement ORDER BY id DESC LIMIT 1').pluck().get() as string);
  await waitFor('T2 pushed its settlement', async () => {
    const [row] = await ledgerQuery<{ outbox_state: string }>(rig.url, 'SELECT outbox_state FROM ledger_settlement WHERE msgid = $1', [msgid]);
    const status = await pos.T2.ok('GET', '/api/status');
    return row && ['unknown', 'reversing'].includes(row.outbox_state) && status.ledger.pending === 0;
  });
  // T1's sale must be in the ledger too: the store check covers the groups the ledger knows of, and
  // the foreign settlement is in the Nanchang group only T1's sale brings in (under load T1 pushes late).
  await waitFor('T1 pushed its sale', async () => (await pos.T1.ok('GET', '/api/status')).ledger.pending === 0);

  // The store check from T1 finds T2's settlement at the centre only.
  const checked = await pos.T1.ok('POST', `/api/store-ledger/days/${today}/check`, undefined, pos.T1.manager);
  expect(checked.result).toBe('unbalanced');
  const found = checked.discrepancies.find((d: any) => d.kind === 'centre_only' && d.msgid === msgid);
  expect(found).toMatchObject({ tillId: 'T2', status: 'open', request: null, label: '中心多', allowed: ['reverse_at_centre', 'record_locally'] });
  const notOurs = checked.discrepancies.find((d: any) => d.kind === 'centre_only' && d.msgid === foreignMsgid);
  expect(notOurs).toMatchObject({ tillId: null, status: 'open' });

  // T2 switched off; the manager resolves from T1's seat.
  await rig.proc('T2').stop('SIGTERM');
  const resolve = (p: Pos, action: string) => p.call('POST', `/api/store-ledger/discrepancies/${found.id}/resolve`, { token: p.manager, body: { action } });
  // Checked before anything is filed: an action the discrepancy does not allow, a write-off without reason, an unknown id.
  expect((await resolve(pos.T1, 'resettle')).body).toMatchObject({ error: 'RESOLUTION_NOT_ALLOWED', field: 'action' });
  expect((await pos.T1.call('POST', `/api/store-ledger/discrepancies/${found.id.replace('centre_only', 'store_only')}/resolve`, { token: pos.T1.manager, body: { action: 'write_off', reason: '原因说明' } })).status).toBe(404);
  expect(await requests(found.id)).toEqual([]);
  // Submitted twice at once (a double click, two seats): one request.
  const [first, twin] = await Promise.all([resolve(pos.T1, 'record_locally'), resolve(pos.T1, 'record_locally')]);
  expect([first.status, twin.status]).toEqual([200, 200]);
  const pendingView = first.body.discrepancies.find((d: any) => d.id === found.id);
  expect(pendingView).toMatchObject({ status: 'open', request: { action: 'record_locally', tillId: 'T2', status: 'pending', requestedFrom: 'T1', message: '等待收银台 T2' } });
  // The same request again is the same request: one row.
  expect((await resolve(pos.T1, 'record_locally')).status).toBe(200);
  expect(await requests(found.id)).toEqual([{ status: 'pending', till_id: 'T2', requested_from: 'T1', attempts: 0 }]);
  // T1 never carries out T2's resolution, however often it syncs; the day waits for T2.
  await new Promise((r) => setTimeout(r, 2_500));
  const still = await pos.T1.ok('GET', `/api/store-ledger/days/${today}`, undefined, pos.T1.manager);
  expect(still.discrepancies.find((d: any) => d.id === found.id).request.message).toBe('等待收银台 T2');
  // 差异处理 of the store (any day): listed naming T2 and its sale, with the pending request; T1's own per-till list does not have it.
  const listed = await pos.T1.ok('GET', '/api/store-ledger/discrepancies?status=open', undefined, pos.T1.manager);
  expect(listed.find((d: any) => d.id === found.id)).toMatchObject({ date: today, tillId: 'T2', saleId: found.saleId, msgid, request: { status: 'pending', tillId: 'T2' } });
  expect((await pos.T1.ok('GET', '/api/reconciliation/discrepancies', undefined, pos.T1.manager)).map((d: any) => d.id)).not.toContain(found.id);
  const refusedClose = await pos.T1.call('POST', `/api/store-ledger/days/${today}/close`, { token: pos.T1.manager, body: {} });
  expect(refusedClose.status).toBe(409);
  expect(refusedClose.body.message).toContain('等待收银台 T2 执行差异处理');
  // A switched-off till delays only what needs it: a discrepancy no till owns is carried out by the seat it is resolved from, at once.
  const mine = await pos.T1.call('POST', `/api/store-ledger/discrepancies/${notOurs.id}/resolve`, { token: pos.T1.manager, body: { action: 'record_locally' } });
  expect(mine.body.discrepancies.find((d: any) => d.id === notOurs.id)).toMatchObject({ status: 'resolved', request: { tillId: 'T1', status: 'done', message: expect.stringContaining('收银台 T1 已处理：已按中心记录补记') } });
  const queriesBefore = rig.sandbox.stats().byInfno['5203'] ?? 0;

  // T2 back: it carries the request out at its next ledger sync, through its own resolver.
  pos.T2 = await rig.launch('T2', dirs.T2);
  const done = await waitFor('T2 carried it out', async () => {
    const day = await pos.T1.ok('GET', `/api/store-ledger/days/${today}`, undefined, pos.T1.manager);
    const d = day.discrepancies.find((x: any) => x.id === found.id);
    return d.request.status === 'done' ? d : null;
  }, 60_000);
  expect(done).toMatchObject({ status: 'resolved', allowed: [], request: { status: 'done', tillId: 'T2', message: expect.stringMatching(/^收银台 T2 已处理：已按中心结果记账/) } });
  const resolvedList = await pos.T1.ok('GET', `/api/store-ledger/discrepancies?from=${today}&to=${today}&status=resolved`, undefined, pos.T1.manager);
  expect(resolvedList.find((d: any) => d.id === found.id)).toMatchObject({ tillId: 'T2', status: 'resolved', request: { status: 'done' } });
  expect((await pos.T1.ok('GET', '/api/store-ledger/discrepancies?status=open', undefined, pos.T1.manager)).map((d: any) => d.id)).not.toContain(found.id);
  // Once: one 5203 (by setl_id + mdtrt_id), one resolution in T2's own journal, its settlement confirmed.
  expect(rig.sandbox.stats().byInfno['5203']).toBe(queriesBefore + 1);
  const t2 = () => tillDb(dirs.T2, (db) => ({
    resolved: db.prepare("SELECT count(*) FROM journal WHERE kind = 'reconciliation.resolved' AND payload LIKE ?").pluck().get(`%${found.id}%`) as number,
    state: db.prepare('SELECT state FROM settlement_outbox o JOIN settlement s ON s.id = o.settlement_id WHERE s.msgid = ?').pluck().get(msgid) as string,
    local: db.prepare('SELECT status FROM recon_discrepancy WHERE id = ?').pluck().get(found.id) as string,
  }));
  expect(t2()).toEqual({ resolved: 1, state: 'confirmed', local: 'resolved' });
  // The result also came back as facts through T2's outbox: the ledger's copy of the settlement is confirmed.
  await waitFor('confirmed in the ledger', async () => (await ledgerQuery<{ s: string }>(rig.url, 'SELECT outbox_state AS s FROM ledger_settlement WHERE msgid = $1', [msgid]))[0]?.s === 'confirmed');
  // Submitting it again, from either till, changes nothing; T2 keeps syncing without doing it again.
  expect((await resolve(pos.T1, 'record_locally')).status).toBe(200);
  expect((await resolve(pos.T2, 'record_locally')).status).toBe(200);
  await new Promise((r) => setTimeout(r, 2_500));
  expect(await requests(found.id)).toEqual([{ status: 'done', till_id: 'T2', requested_from: 'T1', attempts: 0 }]);
  expect(rig.sandbox.stats().byInfno['5203']).toBe(queriesBefore + 1);
  expect(t2().resolved).toBe(1);
  // Another action on a resolved discrepancy is refused before it is filed.
  expect((await resolve(pos.T1, 'reverse_at_centre')).body.error).toBe('DISCREPANCY_RESOLVED');

  // The day closes (the re-check balances now), and a closed day takes no new request.
  rig.sandbox.setFaults({});
  const rechecked = await pos.T2.ok('POST', `/api/store-ledger/days/${today}/check`, undefined, pos.T2.manager);
  expect(rechecked.result).toBe('balanced');
  const closed = await pos.T2.ok('POST', `/api/store-ledger/days/${today}/close`, {}, pos.T2.manager);
  expect(closed.state).toBe('closed');
  const late = await resolve(pos.T1, 'reverse_at_centre');
  expect(late.status).toBe(409);
  expect(late.body.error).toBe('DAY_CLOSED');
  expect((await ledgerQuery(rig.url, 'SELECT 1 FROM ledger_resolution')).length).toBe(2);
}, 240_000);
