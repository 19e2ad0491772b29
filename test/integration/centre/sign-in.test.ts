// Daily sign-in per operator (issue 14 point 5): the sign_no is persisted in the store database and
// reused across restarts; a stale sign-in (the sandbox refuses it) makes the client sign in again;
// each API operator signs in under their own id; ending a session sends 9002.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCentreClient } from '../../../core/centre/client';
import { msgidGenerator } from '../../../core/centre/msgid';
import { TRAINING_IDENTITY, TRAINING_TERMINAL } from '../../../core/centre/training';
import { HttpJsonTransport } from '../../../native/centre/http-transport';
import { SqliteSignInBook } from '../../../native/centre/sign-in-store';
import { openDatabase } from '../../../native/db/open';
import { type RunningSandbox } from '../../../native/sandbox/server';
import { storeMigrations } from '../../../native/store/migrations';
import { startTestBackend, type TestBackend } from '../../support/backend';
import { ok, person, sandbox, tempDir } from './fixture';

const query = { data: { mdtrt_cert_type: '02' as const, mdtrt_cert_no: person('shiyan-active').certno } };

describe('sign-in book in SQLite against the sandbox', () => {
  let sb: RunningSandbox;
  const transports: HttpJsonTransport[] = [];
  const dbPath = join(tempDir('signin'), 'store.db');
  beforeAll(async () => { sb = await sandbox(); });
  afterAll(async () => { for (const t of transports) await t.close(); await sb?.close(); });

  function tillClient() {
    const db = openDatabase(dbPath, storeMigrations);
    const transport = new HttpJsonTransport({ url: sb.endpoint, connectTimeoutMs: 1000, responseTimeoutMs: 3000 });
    transports.push(transport);
    const book = new SqliteSignInBook(db);
    // The sandbox's clock is fixed (2025-06-16); the till's must agree on the business day.
    const clock = (): Date => new Date('2025-06-16T02:00:00Z');
    const centre = createCentreClient({ transport, identity: TRAINING_IDENTITY, clock, terminal: TRAINING_TERMINAL, nextMsgid: msgidGenerator(TRAINING_IDENTITY.fixmedinsCode, clock), signIns: book });
    return { db, book, centre };
  }

  test('the sign_no survives a restart: a second client on the same database signs in no more', async () => {
    const first = tillClient();
    ok(await first.centre.personInfo(query));
    const signNo = first.centre.signNo();
    expect(signNo).not.toBeNull();
    expect(first.book.recent()).toMatchObject([{ signNo, opter: 'TRAIN01', day: '2025-06-16', endedAt: null }]);
    first.db.close();
    const signInsBefore = sb.stats().byInfno['9001'] ?? 0;
    const second = tillClient();
    ok(await second.centre.personInfo(query));
    expect(sb.stats().byInfno['9001'] ?? 0).toBe(signInsBefore);
    expect(second.centre.signNo()).toBe(signNo);
    second.db.close();
  });

  test('a stale sign-in is refused by the centre; the client signs in again and the call succeeds', async () => {
    const till = tillClient();
    const old = till.centre.signNo()!;
    expect(sb.centre.ageSignIns()).toBeGreaterThan(0);
    const outcome = await till.centre.personInfo(query);
    expect(outcome.kind).toBe('ok');
    const fresh = till.centre.signNo();
    expect(fresh).not.toBe(old);
    const rows = till.book.recent();
    expect(rows.find((r) => r.signNo === old)).toMatchObject({ endedWhy: 'stale' });
    expect(rows.find((r) => r.signNo === fresh)).toMatchObject({ endedAt: null });
    // 9002 ends it at the centre and in the book; the old sign_no no longer works there.
    ok(await till.centre.signOut());
    expect(till.book.recent().find((r) => r.signNo === fresh)).toMatchObject({ endedWhy: 'signed_out' });
    expect(till.centre.signNo()).toBeNull();
    expect(sb.centre.liveSignIns().map((s) => s.sign_no)).not.toContain(fresh);
    till.db.close();
  });
});

describe('operators through the API', () => {
  let api: TestBackend;
  beforeAll(async () => { api = await startTestBackend(); });
  afterAll(async () => { await api?.close(); });

  test('each operator signs in under their own id, once a day; ending the session sends 9002 for them', async () => {
    const cashier = await api.login('1001', '1111');
    const manager = await api.login('2001', '2222');
    const identify = (token: string) => api.call('POST', '/api/sales', { token, body: { identify: { method: 'idNumber', idNumber: person('shiyan-active').certno } } });
    expect((await identify(cashier)).status).toBe(201);
    expect((await identify(cashier)).status).toBe(201);
    const sb = api.runtime.sandbox!;
    const live = () => sb.centre.liveSignIns().map((s) => s.opter_no).sort();
    expect(live()).toEqual(['1001']);
    const rows = api.runtime.signIns.recent();
    expect(rows).toMatchObject([{ opter: '1001', endedAt: null }]);
    // A manager may not start sales, but reconciliation and the like run under their own sign-in:
    // here the cashier's session ends, and only theirs is signed out at the centre.
    expect((await api.call('DELETE', '/api/session', { token: cashier })).status).toBe(200);
    expect(live()).toEqual([]);
    expect(api.runtime.signIns.recent()[0]).toMatchObject({ opter: '1001', endedWhy: 'signed_out' });
    // Signing in again later the same day gets a new sign_no.
    const again = await api.login('1001', '1111');
    expect((await identify(again)).status).toBe(201);
    expect(live()).toEqual(['1001']);
    expect(api.runtime.signIns.recent()[0]!.signNo).not.toBe(rows[0]!.signNo);
    await api.call('DELETE', '/api/session', { token: manager });
    expect(live()).toEqual(['1001']);
  });
});
