// A store day closed while a resolution request still waits for its till: the close (in its own
// transaction) withdraws it, and the owning till, started afterwards, never carries it out — it
// sends the centre nothing for it, writes nothing back, and the closed day stays as it was closed.
// Two till processes (separate data folders) on one standalone sandbox and a real PostgreSQL.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { businessDate } from '../../../core/checkout/business-date';
import { PgLedger } from '../../../native/ledger/pg-ledger';
import { StoreDays } from '../../../native/ledger/pg-store-days';
import { ledgerQuery, ledgerRig, sellOne, waitFor } from './support';

const rig = ledgerRig('store');

function tillDb<T>(dataDir: string, read: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, 'store.db'), { readonly: true });
  try { return read(db); } finally { db.close(); }
}

it('closing with a request pending withdraws it; the owning till started later does nothing with it', async () => {
  const dirs = { T1: rig.tillDir('T1'), T2: rig.tillDir('T2') };
  const pos = { T1: await rig.launch('T1', dirs.T1), T2: await rig.launch('T2', dirs.T2) };
  const today = businessDate(new Date());

  // T2's settlement is booked at the centre but its reply is lost (and the reversal fails): 中心多 naming T2.
  rig.sandbox.setFaults({ dropAfterCommitRate: 1, infnos: ['2102'] });
  const lost = await sellOne(pos.T2, 3);
  rig.sandbox.setFaults({ error5xxRate: 1, infnos: ['2601'] });
  expect(lost.state).toBe('provisional');
  const msgid = tillDb(dirs.T2, (db) => db.prepare('SELECT msgid FROM settlement ORDER BY id DESC LIMIT 1').pluck().get() as string);
  await waitFor('T2 pushed its settlement', async () => {
    const [row] = await ledgerQuery<{ outbox_state: string }>(rig.url, 'SELECT outbox_state FROM ledger_settlement WHERE msgid = $1', [msgid]);
    return row && ['unknown', 'reversing'].includes(row.outbox_state) && (await pos.T2.ok('GET', '/api/status')).ledger.pending === 0;
  });
  const checked = await pos.T1.ok('POST', `/api/store-ledger/days/${today}/check`, undefined, pos.T1.manager);
  const found = checked.discrepancies.find((d: any) => d.kind === 'centre_only' && d.msgid === msgid);
  expect(found).toMatchObject({ tillId: 'T2', allowed: expect.arrayContaining(['reverse_at_centre']) });

  // T2 switched off; the manager asks for a 2601 from T1: it waits for T2.
  await rig.proc('T2').stop('SIGTERM');
  const filed = await pos.T1.call('POST', `/api/store-ledger/discrepancies/${found.id}/resolve`, { token: pos.T1.manager, body: { action: 'reverse_at_centre' } });
  expect(filed.status, JSON.stringify(filed.body)).toBe(200);
  expect(filed.body.discrepancies.find((d: any) => d.id === found.id).request).toMatchObject({ status: 'pending', tillId: 'T2', message: '等待收银台 T2' });

  // Closed with the acknowledgement: in the close's own transaction the request is withdrawn.
  const refused = await pos.T1.call('POST', `/api/store-ledger/days/${today}/close`, { token: pos.T1.manager, body: {} });
  expect(refused.status).toBe(409);
  expect(refused.body.message).toContain('等待收银台 T2 执行差异处理');
  const closed = await pos.T1.ok('POST', `/api/store-ledger/days/${today}/close`, { acknowledgeUnbalanced: true }, pos.T1.manager);
  expect(closed.state).toBe('closed');
  const withdrawn = closed.discrepancies.find((d: any) => d.id === found.id);
  expect(withdrawn).toMatchObject({ status: 'open', request: { status: 'withdrawn', tillId: 'T2', message: expect.stringContaining('日结已关闭，未执行') } });
  const row = async () => (await ledgerQuery<any>(rig.url, 'SELECT status, note, result, attempts, claimed_at FROM ledger_resolution WHERE discrepancy_id = $1', [found.id]))[0];
  expect(await row()).toEqual({ status: 'withdrawn', note: '日结已关闭，未执行', result: null, attempts: 0, claimed_at: null });
  const closeRow = await ledgerQuery(rig.url, 'SELECT * FROM ledger_day_close');
  const dayBefore = await pos.T1.ok('GET', `/api/store-ledger/days/${today}`, undefined, pos.T1.manager);

  // T2 starts again and syncs: it does nothing with the withdrawn request.
  const before = { ...rig.sandbox.stats().byInfno };
  pos.T2 = await rig.launch('T2', dirs.T2);
  await waitFor('T2 synced', async () => (await pos.T2.ok('GET', '/api/status')).ledger.pending === 0);
  await new Promise((r) => setTimeout(r, 3_000));
  expect(await row()).toEqual({ status: 'withdrawn', note: '日结已关闭，未执行', result: null, attempts: 0, claimed_at: null });
  // Nothing of the resolution at T2: the discrepancy never reached its own table, no journal line, no
  // 5203 asked for it (T2's sync engine keeps trying its own reversal of the unknown outcome, as it did before the close).
  expect(tillDb(dirs.T2, (db) => ({
    local: db.prepare('SELECT count(*) FROM recon_discrepancy WHERE id = ?').pluck().get(found.id),
    journal: db.prepare("SELECT count(*) FROM journal WHERE kind = 'reconciliation.resolved'").pluck().get(),
  }))).toEqual({ local: 0, journal: 0 });
  expect(rig.sandbox.stats().byInfno['5203'] ?? 0).toBe(before['5203'] ?? 0);
  // The closed day is as it was closed.
  expect(await ledgerQuery(rig.url, 'SELECT * FROM ledger_day_close')).toEqual(closeRow);
  const dayAfter = await pos.T1.ok('GET', `/api/store-ledger/days/${today}`, undefined, pos.T1.manager);
  expect({ totals: dayAfter.totals, tills: dayAfter.tills, closed: dayAfter.closed }).toEqual({ totals: dayBefore.totals, tills: dayBefore.tills, closed: dayBefore.closed });
  // A closed day takes no new request.
  expect((await pos.T1.call('POST', `/api/store-ledger/discrepancies/${found.id}/resolve`, { token: pos.T1.manager, body: { action: 'record_locally' } })).body.error).toBe('DAY_CLOSED');
}, 240_000);

it('claim and close under one lock: a claimed request holds the close, a withdrawn one is never claimed, a write-back needs the claim', async () => {
  const db = await rig.server.createDatabase('race');
  const ledger = new PgLedger({ url: db });
  const code = 'H36010200001';
  for (const tillId of ['T1', 'T2']) await ledger.register({ fixmedinsCode: code, fixmedinsName: '八一店', areaCode: '360102', tillId, instanceId: tillId });
  const days = new StoreDays(ledger, code);
  const file = async (date: string, id: string) => days.requestResolution({ date, discrepancyId: id, action: 'reverse_at_centre', tillId: 'T2', reason: '', facts: {}, requestedBy: '2001', requestedFrom: 'T1' });
  const close = (date: string) => days.close({ date, closedBy: '2001', closedFrom: 'T1', result: 'unbalanced', acknowledged: true, totals: {}, entries: [] });
  const key = (date: string, id: string) => ({ date, discrepancyId: id, action: 'reverse_at_centre' });

  // The till claimed first: the close is refused while it runs, and goes through once it wrote back.
  await file('2026-12-01', 'a');
  expect(await days.claimResolution(key('2026-12-01', 'a'))).toBe('claimed');
  expect(await close('2026-12-01')).toMatchObject({ running: [expect.objectContaining({ tillId: 'T2', status: 'running' })] });
  expect(await days.finishResolution(key('2026-12-01', 'a'), 'done', { detail: 'ok' }, '')).toBe(true);
  expect(await close('2026-12-01')).toMatchObject({ withdrawn: 0 });

  // The close came first: the request is withdrawn; the till's claim and a late write-back change nothing.
  await file('2026-12-02', 'b');
  const [pendingSeen] = await days.pendingResolutions('T2'); // fetched just before the close
  expect(pendingSeen).toMatchObject({ discrepancyId: 'b', status: 'pending' });
  expect(await close('2026-12-02')).toMatchObject({ withdrawn: 1 });
  expect(await days.claimResolution(key('2026-12-02', 'b'))).toBe('withdrawn');
  expect(await days.finishResolution(key('2026-12-02', 'b'), 'done', { detail: 'late' }, '')).toBe(false);
  await days.resolutionAttempted(key('2026-12-02', 'b'), 'no answer');
  expect((await days.resolutions('2026-12-02')).map((r) => [r.status, r.note, r.result, r.attempts])).toEqual([['withdrawn', '日结已关闭，未执行', null, 0]]);
  expect(await days.pendingResolutions('T2')).toEqual([]);
  await ledger.close();
}, 60_000);
