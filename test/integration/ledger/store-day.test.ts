// Three tills of one pharmacy (separate data folders, real backend processes) against one
// standalone sandbox centre and one real PostgreSQL ledger: they sell at the same time while the
// ledger is stopped and restarted and the centre refuses connections for a while; one till is
// killed (SIGKILL) while it pushes its backlog and restarted. Then every till's facts are in the
// ledger exactly once, the store's day reconciles balanced over all tills (3201 once per group),
// and of two closes started together from two tills exactly one wins.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { businessDate } from '../../../core/checkout/business-date';
import { ledgerQuery, ledgerRig, type Pos, sellOne, waitFor } from './support';

const rig = ledgerRig('store');

const TILLS = ['T1', 'T2', 'T3'] as const;

const ledgerStatus = async (pos: Pos) => (await pos.ok('GET', '/api/status')).ledger as { pending: number; error: string | null };

function tillRecords(dataDir: string): { msgids: string[]; outbox: number } {
  const db = new Database(join(dataDir, 'store.db'), { readonly: true });
  try {
    return {
      msgids: db.prepare('SELECT msgid FROM settlement ORDER BY msgid').pluck().all() as string[],
      outbox: db.prepare('SELECT count(*) FROM ledger_outbox').pluck().get() as number,
    };
  } finally { db.close(); }
}

it('three tills sell through ledger and centre outages and a kill -9; the store day closes balanced with every sale once', async () => {
  const dirs = Object.fromEntries(TILLS.map((t) => [t, rig.tillDir(t)]));
  const pos: Record<string, Pos> = {};
  for (const t of TILLS) pos[t] = await rig.launch(t, dirs[t]!);

  const sellRound = async (seed: number): Promise<void> => {
    await Promise.all(TILLS.map(async (t, i) => { for (let k = 0; k < 2; k++) await sellOne(pos[t]!, seed + i * 100 + k); }));
  };
  await sellRound(1);
  await rig.server.stop();                       // ledger down: selling goes on
  await sellRound(2);
  rig.sandbox.refuseFor(1_500);                  // and the centre flaps
  await sellRound(3);
  await waitFor('backlog on T2', async () => (await ledgerStatus(pos.T2!)).pending > 0);
  await rig.server.start();
  // T2 is killed while it pushes its backlog, and started again on the same data folder.
  const before = Number((await waitFor('T2 row', async () => (await ledgerQuery<{ s: string }>(rig.url, "SELECT applied_seq AS s FROM ledger_till WHERE till_id = 'T2'"))[0]))?.s);
  await waitFor('T2 pushing', async () => Number((await ledgerQuery<{ s: string }>(rig.url, "SELECT applied_seq AS s FROM ledger_till WHERE till_id = 'T2'"))[0]!.s) !== before, 20_000).catch(() => undefined);
  await rig.proc('T2').stop('SIGKILL');
  await sellRound(4).catch(() => undefined); // T2 is down: only the others sell
  pos.T2 = await rig.launch('T2', dirs.T2!);
  await Promise.all([sellOne(pos.T1!, 900), sellOne(pos.T2, 901), sellOne(pos.T3!, 902)]);

  // Everything synced to the centre and pushed to the ledger.
  for (const t of TILLS) {
    await waitFor(`${t} synced`, async () => {
      const s = await pos[t]!.ok('GET', '/api/status');
      return s.queue.pending === 0 && s.queue.unknown === 0 && s.ledger.pending === 0 && s.ledger.error === null;
    }, 60_000);
  }

  // Exactly once: per till, the ledger has every fact of its outbox once (seq 1 … n) and every settlement once.
  let ledgerSettlements = 0;
  for (const t of TILLS) {
    const local = tillRecords(dirs[t]!);
    const facts = (await ledgerQuery<{ n: string; lo: string; hi: string }>(rig.url, 'SELECT count(*) AS n, min(seq) AS lo, max(seq) AS hi FROM ledger_fact WHERE till_id = $1', [t]))[0]!;
    expect(facts).toEqual({ n: String(local.outbox), lo: '1', hi: String(local.outbox) });
    const msgids = (await ledgerQuery<{ msgid: string }>(rig.url, 'SELECT msgid FROM ledger_settlement WHERE till_id = $1 ORDER BY msgid', [t])).map((r) => r.msgid);
    expect(msgids).toEqual(local.msgids);
    ledgerSettlements += msgids.length;
  }
  expect(ledgerSettlements).toBeGreaterThan(12);
  // The centre booked each confirmed settlement once, and the ledger holds exactly those msgids.
  const confirmed = (await ledgerQuery<{ msgid: string }>(rig.url, "SELECT msgid FROM ledger_settlement WHERE outbox_state = 'confirmed' ORDER BY msgid")).map((r) => r.msgid);
  expect(confirmed).toEqual([...rig.sandbox.centre.summary().msgids].sort());
  expect(new Set(confirmed.map((m) => m.slice(26, 27)))).toEqual(new Set(['1', '2', '3'])); // each till's msgid lane

  // The store's day over all three tills: balanced, every till's sales counted once.
  const today = businessDate(new Date());
  const checked = await pos.T1!.ok('POST', `/api/store-ledger/days/${today}/check`, undefined, pos.T1!.manager);
  expect(checked.result).toBe('balanced');
  expect(checked.totals.confirmed.count).toBe(confirmed.length);
  expect(checked.totals.confirmed.medfee).toBe(rig.sandbox.centre.summary().medfee);
  expect(checked.tills.map((t: { tillId: string }) => t.tillId)).toEqual(['T1', 'T2', 'T3']);
  // Offline sales to the same person at several tills are estimated by each till from its own sales
  // only, so the store check may find 暂估差额 (or an outcome still unknown after the flapping centre):
  // real findings, each naming its till; the manager closes acknowledging them.
  const open = checked.discrepancies.filter((d: { status: string }) => d.status === 'open');
  for (const d of open) {
    expect(['provisional_difference', 'outcome_unknown'], JSON.stringify(d)).toContain(d.kind);
    expect(['T1', 'T2', 'T3']).toContain(d.tillId);
  }
  // One close per store and day, whichever till starts it.
  const closeBody = { acknowledgeUnbalanced: open.length > 0 };
  const closes = await Promise.all([pos.T1!, pos.T3!].map((p) => p.call('POST', `/api/store-ledger/days/${today}/close`, { token: p.manager, body: closeBody })));
  expect(closes.map((c) => c.status).sort(), JSON.stringify(closes.map((c) => c.body))).toEqual([200, 409]);
  expect(closes.find((c) => c.status === 409)!.body.error).toBe('DAY_CLOSED');
  const closed = closes.find((c) => c.status === 200)!.body;
  expect(closed.state).toBe('closed');
  expect(closed.totals.confirmed.count).toBe(confirmed.length);
  const fromT2 = await pos.T2.call('POST', `/api/store-ledger/days/${today}/close`, { token: pos.T2.manager, body: closeBody });
  expect(fromT2.status).toBe(409);
  expect(fromT2.body.message).toMatch(/全店已日结/);
}, 240_000);
