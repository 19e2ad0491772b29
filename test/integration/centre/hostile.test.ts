// Malformed and hostile centre replies, and transport trouble: the client answers with a clear
// outcome naming what was wrong, and the settlement store never holds a half-recorded result.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningSandbox } from '../../../native/sandbox/server';
import { SyncEngine } from '../../../native/sync/engine';
import { HttpJsonTransport } from '../../../native/centre/http-transport';
import { BY_MSGID, client, person, sale, sandbox, storeDb } from './fixture';

let sb: RunningSandbox;
beforeAll(async () => { sb = await sandbox(); });
afterAll(async () => { await sb.close(); });

const p = person('shiyan-active');
const lookup = { data: { mdtrt_cert_type: '02' as const, mdtrt_cert_no: p.certno } };

describe('hostile replies to a read (1101)', () => {
  test.each([
    ['wrong_types', 'malformed_reply', /output\.insuinfo\.0\.balc: /],
    ['missing_fields', 'malformed_reply', /output\.\w+(\.\w+)*: /],
    ['huge_body', 'reply_too_large', /exceeded 2097152 bytes/],
    ['non_json', 'malformed_reply', /reply is not JSON: "<html>/],
    ['truncated', 'connection_lost', /./],
  ] as const)('%s → unknown (%s), naming the problem', async (kind, reason, detail) => {
    const c = client(sb);
    await c.centre.signIn();
    sb.setFaults({ hostile: kind, infnos: ['1101'] });
    try {
      const outcome = await c.centre.personInfo(lookup);
      expect(outcome.kind).toBe('unknown');
      if (outcome.kind !== 'unknown') return;
      expect(outcome.reason).toBe(reason);
      expect(outcome.detail).toMatch(detail);
    } finally {
      sb.setFaults({});
      await c.transport.close();
    }
  });
});

describe('hostile replies to a settlement (2102) through the outbox', () => {
  // The query-by-msgid recovery (test profile BY_MSGID); national reverses instead (test/integration/centre/editions.test.ts).
  test.each(['wrong_types', 'missing_fields', 'huge_body', 'non_json', 'truncated', 'wrong_echo'] as const)('%s: nothing half-recorded; the queried result is stored later', async (kind) => {
    const fresh = await sandbox({}, { edition: BY_MSGID });
    const c = client(fresh, { nextMsgid: undefined, edition: BY_MSGID });
    const { store, db } = storeDb();
    const engine = new SyncEngine({ store, centre: c.centre, backoff: { baseMs: 1, maxMs: 5, jitter: 0 } });
    const s = sale(p, [{ medListCodg: 'TRAIN-D-A01', qty: '2', price: '30.00' }]);
    const rec = store.record({ saleRef: `hostile-${kind}`, ...s });
    fresh.setFaults({ hostile: kind, infnos: ['2102'] });
    await engine.drainOnce();
    const stuck = store.get(rec.id)!;
    expect(stuck.outbox.state).toBe('unknown');
    expect(stuck.centre).toBeNull();
    expect(db.prepare('SELECT centre_setl_id, centre_output_json, confirmed_at FROM settlement WHERE id = ?').get(rec.id)).toEqual({ centre_setl_id: null, centre_output_json: null, confirmed_at: null });
    expect(fresh.centre.summary().settled).toBe(1); // the centre did book it
    fresh.setFaults({});
    await new Promise((r) => setTimeout(r, 10));
    await engine.drainOnce();
    const done = store.get(rec.id)!;
    expect(done.outbox.state).toBe('confirmed');
    expect(done.centre?.setlId).toBe(db.prepare('SELECT centre_setl_id AS id FROM settlement WHERE id = ?').pluck().get(rec.id));
    expect(fresh.centre.summary()).toMatchObject({ settled: 1, msgids: [rec.msgid] });
    expect(store.history(rec.id).map((h) => h.event)).toEqual(['recorded', 'send_started', 'outcome_unknown', 'query_started', 'settled']);
    await c.transport.close();
    db.close();
    await fresh.close();
  });
});

describe('transport trouble', () => {
  test('a refused connection is not delivered; a closed port too', async () => {
    const c = client(sb);
    await c.centre.signIn();
    sb.refuseFor(300);
    const refused = await c.centre.personInfo(lookup);
    expect(refused).toMatchObject({ kind: 'not_delivered', reason: expect.stringMatching(/ECONNREFUSED/) });
    await new Promise((r) => setTimeout(r, 400));
    expect((await c.centre.personInfo(lookup)).kind).toBe('ok');
    await c.transport.close();
  });

  test('no reply within the response timeout is UNKNOWN (timeout), never a failure', async () => {
    const c = client(sb, { responseTimeoutMs: 150 });
    await c.centre.signIn();
    sb.setFaults({ latencyMs: [1500, 1500], infnos: ['1101'] });
    const started = Date.now();
    const outcome = await c.centre.personInfo(lookup);
    sb.setFaults({});
    expect(outcome).toMatchObject({ kind: 'unknown', reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1200);
    await c.transport.close();
  });

  test('a fixed answer time (answerMs): the reply leaves no earlier than that after the request arrived', async () => {
    const c = client(sb);
    await c.centre.signIn();
    sb.setFaults({ answerMs: [400, 400], infnos: ['1101'] });
    try {
      const started = performance.now();
      const outcome = await c.centre.personInfo(lookup);
      expect(outcome.kind).toBe('ok');
      expect(performance.now() - started).toBeGreaterThanOrEqual(400);
      sb.setFaults({ answerMs: [3000, 3000], infnos: ['2101'] }); // other transactions answer at once
      const quick = performance.now();
      expect((await c.centre.personInfo(lookup)).kind).toBe('ok');
      expect(performance.now() - quick).toBeLessThan(3000);
    } finally {
      sb.setFaults({});
      await c.transport.close();
    }
  });

  test('5xx before or after the work is UNKNOWN (http_status)', async () => {
    const c = client(sb);
    await c.centre.signIn();
    for (const faults of [{ error5xxRate: 1 }, { error5xxAfterCommitRate: 1 }]) {
      sb.setFaults({ ...faults, infnos: ['1101'] });
      expect(await c.centre.personInfo(lookup)).toMatchObject({ kind: 'unknown', reason: 'http_status', detail: expect.stringMatching(/^HTTP 50[23]/) });
    }
    sb.setFaults({});
    await c.transport.close();
  });

  test('a reply written twice is read once; the next call gets its own answer', async () => {
    const c = client(sb);
    await c.centre.signIn();
    sb.setFaults({ duplicateReplyRate: 1, infnos: ['1101'] });
    const first = await c.centre.personInfo(lookup);
    sb.setFaults({});
    const other = await c.centre.personInfo({ data: { mdtrt_cert_type: '02', mdtrt_cert_no: person('nanchang-active').certno } });
    expect(first.kind === 'ok' && first.output.baseinfo.psn_no).toBe(p.psnNo);
    expect(other.kind === 'ok' && other.output.baseinfo.psn_no).toBe(person('nanchang-active').psnNo);
    await c.transport.close();
  });

  test('a duplicated 2102 reply on a reused connection cannot pass for the next settlement (echo check)', async () => {
    const c = client(sb, { keepAlive: true });
    await c.centre.signIn();
    const one = sale(p, [{ medListCodg: 'TRAIN-D-A01', qty: '1', price: '3.00' }]);
    const two = sale(p, [{ medListCodg: 'TRAIN-D-A01', qty: '1', price: '4.00' }]);
    sb.setFaults({ duplicateReplyRate: 1, infnos: ['2102'] });
    const m1 = c.nextMsgid();
    const r1 = await c.centre.settle(one.request, { msgid: m1, insuplcAdmdvs: one.insuplcAdmdvs });
    sb.setFaults({});
    const m2 = c.nextMsgid();
    const r2 = await c.centre.settle(two.request, { msgid: m2, insuplcAdmdvs: two.insuplcAdmdvs });
    expect(r1.kind === 'ok' && r1.output.setlinfo.medins_setl_id).toBe(m1);
    // Either the stale copy was discarded with its connection, or it was caught by the echo check —
    // never accepted as the answer to m2.
    if (r2.kind === 'ok') expect(r2.output.setlinfo.medins_setl_id).toBe(m2);
    else expect(r2).toMatchObject({ kind: 'unknown', reason: 'echo_mismatch' });
    await c.transport.close();
  });

  test('a server that accepts and never answers, or declares a huge body, or hangs up', async () => {
    const sockets: net.Socket[] = [];
    const mode = { now: 'silent' as 'silent' | 'huge' | 'hangup' };
    const server = net.createServer((s) => {
      sockets.push(s);
      s.on('error', () => {});
      s.once('data', () => {
        if (mode.now === 'huge') s.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 999999999\r\n\r\n{"infcode":0');
        if (mode.now === 'hangup') s.destroy();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/fsi/api/rsfComIfsService/callService`;
    const transport = new HttpJsonTransport({ url, connectTimeoutMs: 500, responseTimeoutMs: 200 });
    const envelope = { infno: '9001', msgid: 'P42030200001202506161000000001', mdtrtarea_admvs: '420302', insuplc_admdvs: '', recer_sys_code: 'YBXT', dev_no: '', dev_safe_info: '', cainfo: '', signtype: '', infver: 'V1.0', opter_type: '1' as const, opter: 'T', opter_name: 'T', inf_time: '2025-06-16 10:00:00', fixmedins_code: 'P42030200001', fixmedins_name: 'T', sign_no: '', input: {} };
    expect(await transport.send({ envelope, expect: 'json' })).toMatchObject({ kind: 'unknown', reason: 'timeout' });
    mode.now = 'huge';
    expect(await transport.send({ envelope, expect: 'json' })).toMatchObject({ kind: 'unknown', reason: 'reply_too_large', detail: expect.stringMatching(/declares 999999999 bytes/) });
    mode.now = 'hangup';
    expect(await transport.send({ envelope, expect: 'json' })).toMatchObject({ kind: 'unknown', reason: 'connection_lost' });
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
    // Nothing listens there now.
    expect(await transport.send({ envelope, expect: 'json' })).toMatchObject({ kind: 'not_delivered' });
    await transport.close();
  });
});
