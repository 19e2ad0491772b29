// Ledger replication against a real PostgreSQL server: a till's history is uploaded once, selling
// goes on while the ledger is down, the backlog (账本待传) drains after it is back, every fact
// arrives exactly once and in order; and each bad set-up is reported naming its setting while the
// till keeps selling.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../native/sandbox/server';
import { PgLedger } from '../../../native/ledger/pg-ledger';
import { startTestBackend, type TestBackend } from '../../support/backend';
import { startPostgres, type TestPostgres } from '../../support/postgres';
import { ledgerQuery, Pos, sellOne, tillDataDir, waitFor } from './support';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { repoRoot, tsxBin } from '../../support/serve-process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let server: TestPostgres;
let sandbox: RunningSandbox;
const running: TestBackend[] = [];
const dir = mkdtempSync(join(tmpdir(), 'ybjs-hq-'));
const cli = (...args: string[]) => spawnSync(tsxBin(), ['electron/cli/ledger.ts', ...args], { cwd: repoRoot, encoding: 'utf8' });

beforeAll(async () => {
  server = await startPostgres();
  sandbox = await startSandbox({ dataDir: mkdtempSync(join(tmpdir(), 'ybjs-sb-')), port: 0 });
});
afterAll(async () => {
  for (const b of running) await b.close().catch(() => {});
  await sandbox?.close();
  await server?.destroy();
});

async function till(ledgerUrl: string | null, tillId: string | null, dataDir?: string): Promise<{ api: TestBackend; pos: Pos }> {
  const api = await startTestBackend({ dataDir: tillDataDir({ centreEndpoint: sandbox.endpoint, ledgerUrl, tillId }, dataDir) });
  running.push(api);
  const pos = new Pos(api.url);
  await pos.signIn();
  return { api, pos };
}

const status = async (api: TestBackend) => (await api.call('GET', '/api/status', { token: await api.login('1001', '1111') })).body;

describe('ledger replication', () => {
  it('uploads a till\'s history once when it joins, keeps selling while the ledger is down, and then catches up exactly once', async () => {
    // History made without a ledger …
    const dataDir = mkdtempSync(join(tmpdir(), 'ybjs-hist-'));
    const alone = await till(null, null, dataDir);
    const before = [await sellOne(alone.pos, 1), await sellOne(alone.pos, 2)];
    expect(before.every((s) => s.status === 200)).toBe(true);
    expect((await status(alone.api)).ledger).toBeNull();
    await alone.api.close();
    running.splice(running.indexOf(alone.api), 1);

    // … is uploaded once the till is moved onto a ledger.
    const url = await server.createDatabase('hist');
    const t = await till(url, 'T2', tillDataDir({ centreEndpoint: sandbox.endpoint, ledgerUrl: url, tillId: 'T2' }, dataDir));
    await waitFor('history uploaded', async () => (await status(t.api)).ledger.pending === 0);
    const uploaded = await ledgerQuery<{ sale_id: string }>(url, "SELECT sale_id FROM ledger_settlement WHERE till_id = 'T2' ORDER BY sale_id");
    expect(uploaded.map((r) => r.sale_id).sort()).toEqual(before.map((s) => s.id).sort());

    // The ledger goes down: selling goes on, the backlog grows and is shown with the setting to check.
    await server.stop();
    const during = [await sellOne(t.pos, 3), await sellOne(t.pos, 4), await sellOne(t.pos, 5)];
    expect(during.every((s) => s.status === 200 && s.state === 'settled')).toBe(true);
    const down = await waitFor('ledger error shown', async () => { const s = await status(t.api); return s.ledger.error ? s : null; });
    expect(down.ledger.pending).toBeGreaterThan(0);
    expect(down.ledger.error).toMatch(/ledgerUrl/);

    await server.start();
    await waitFor('backlog drained', async () => { const s = await status(t.api); return s.ledger.pending === 0 && s.ledger.error === null; });
    const sales = await ledgerQuery<{ sale_id: string; outbox_state: string }>(url, "SELECT sale_id, outbox_state FROM ledger_settlement WHERE till_id = 'T2'");
    expect(sales.map((r) => r.sale_id).sort()).toEqual([...before, ...during].map((s) => s.id).sort());
    expect(sales.every((r) => r.outbox_state === 'confirmed')).toBe(true);
    // Every fact of the till's outbox exactly once, numbered without gaps or repeats, in order.
    const outboxSize = t.api.runtime.store.db.prepare('SELECT count(*) FROM ledger_outbox').pluck().get() as number;
    const facts = await ledgerQuery<{ n: string; lo: string; hi: string }>(url, "SELECT count(*) AS n, min(seq) AS lo, max(seq) AS hi FROM ledger_fact WHERE till_id = 'T2'");
    expect(facts[0]).toEqual({ n: String(outboxSize), lo: '1', hi: String(outboxSize) });
    // The journal arrived as it is on the till (same hashes, same order).
    const tillHashes = t.api.runtime.store.db.prepare('SELECT hash FROM journal ORDER BY seq').pluck().all();
    const ledgerHashes = (await ledgerQuery<{ h: string }>(url, "SELECT body->>'hash' AS h FROM ledger_fact WHERE till_id = 'T2' AND kind = 'journal' ORDER BY seq")).map((r) => r.h);
    expect(ledgerHashes).toEqual(tillHashes);

    // A refund changes the sale, not the settlement row: the ledger learns it too.
    const refunded = await t.pos.call('POST', `/api/sales/${during[0]!.id}/refund`, { token: t.pos.cashier, body: { reason: '顾客退货' } });
    expect(refunded.body.state).toBe('refunded');
    await waitFor('refund in the ledger', async () => (await ledgerQuery<{ r: string | null }>(url, "SELECT source->>'refundedAt' AS r FROM ledger_settlement WHERE sale_id = $1", [during[0]!.id]))[0]?.r);

    // Head office publishes a SKU-mapping change: the till applies it at its next sync, once, and says so.
    // Through the head-office CLI, which refuses a bad mapping or an unsigned package before storing anything.
    expect(cli('publish', '--url', url, '--mapping', '6909999999999:').stderr).toMatch(/--mapping: payload.catalogueCode/);
    writeFileSync(join(dir, 'unsigned.json'), JSON.stringify({ package: { id: 'x' } }));
    const unsigned = cli('publish', '--url', url, '--policy', join(dir, 'unsigned.json'));
    expect(unsigned.status).toBe(2);
    expect(unsigned.stderr).toMatch(/--policy: policy package: .*\(not published\)/);
    expect(cli('publish', '--url', url, '--mapping', '6909999999999:TRAIN-D-A01', '--store', 'H99999999999').stderr).toMatch(/scope: store H99999999999 is not in this ledger/);
    expect(await ledgerQuery(url, 'SELECT id FROM ledger_publication')).toEqual([]);
    const published = cli('publish', '--url', url, '--mapping', '6909999999999:TRAIN-D-A01:总部', '--by', '总部采购');
    expect(published.status, published.stderr).toBe(0);
    expect(published.stdout).toMatch(/published #\d+/);
    const ack = await waitFor('acknowledged', async () => (await ledgerQuery<{ ok: boolean; message: string }>(url, "SELECT ok, message FROM ledger_publication_ack WHERE till_id = 'T2'"))[0]);
    expect(ack).toEqual({ ok: true, message: 'sku 6909999999999 → TRAIN-D-A01' });
    expect(t.api.runtime.sales.mappings().find((m) => m.sku === '6909999999999')).toMatchObject({ catalogueCode: 'TRAIN-D-A01' });
    const acks = cli('acks', '--url', url).stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(acks).toEqual([expect.objectContaining({ kind: 'sku_mapping', publishedBy: '总部采购', tills: expect.arrayContaining([expect.objectContaining({ tillId: 'T2', state: 'applied', message: 'sku 6909999999999 → TRAIN-D-A01' })]) })]);
    // A policy package that is not signed by a trusted key is refused, and the refusal is reported.
    await ledgerQuery(url, "INSERT INTO ledger_publication (kind, payload, published_by) VALUES ('policy_package', $1, 'hq')", [JSON.stringify({ package: { id: 'x' }, signature: 'AAAA', keyId: 'nobody' })]);
    const refused = await waitFor('refusal acknowledged', async () => (await ledgerQuery<{ ok: boolean }>(url, "SELECT ok FROM ledger_publication_ack a JOIN ledger_publication p ON p.id = a.publication_id WHERE p.kind = 'policy_package'"))[0]);
    expect(refused.ok).toBe(false);
    const after = cli('acks', '--url', url).stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(after[1]).toMatchObject({ kind: 'policy_package', tills: expect.arrayContaining([expect.objectContaining({ tillId: 'T2', state: 'refused' })]) });
  });
});

describe('the ledger applies a batch once', () => {
  it('a batch pushed again (the till died after the ledger committed, before it moved its cursor) is recognised and not applied twice', async () => {
    const url = await server.createDatabase('repush');
    const ledger = new PgLedger({ url });
    const till = { fixmedinsCode: 'P42030200001', fixmedinsName: '店', areaCode: '420302', tillId: 'T1', instanceId: 'i1' };
    await ledger.register(till);
    const facts = [1, 2, 3].map((seq) => ({ seq, kind: 'journal' as const, at: new Date().toISOString(), body: { seq, at: '', kind: 'k', payload: {}, hash: `h${seq}` } }));
    expect(await ledger.push(till, facts.slice(0, 2), 1)).toEqual({ appliedUpTo: 2, alreadyHad: 0 });
    expect(await ledger.push(till, facts, 0)).toEqual({ appliedUpTo: 3, alreadyHad: 2 });
    expect(await ledger.push(till, facts, 0)).toEqual({ appliedUpTo: 3, alreadyHad: 3 });
    const rows = await ledgerQuery<{ seq: string }>(url, 'SELECT seq FROM ledger_fact ORDER BY seq');
    expect(rows.map((r) => r.seq)).toEqual(['1', '2', '3']);
    // Another data folder claiming the same till id is refused, and changes nothing.
    await expect(ledger.push({ ...till, instanceId: 'i2' }, [{ ...facts[0]!, seq: 4 }], 0)).rejects.toMatchObject({ code: 'LEDGER_TILL_TAKEN', setting: 'tillId' });
    expect((await ledgerQuery(url, 'SELECT seq FROM ledger_fact')).length).toBe(3);
    await ledger.close();
  });
});

describe('bad ledger set-ups: a clear message naming the setting, and the till keeps selling', () => {
  const sellsAnyway = async (pos: Pos): Promise<void> => { expect((await sellOne(pos, 9)).state).toBe('settled'); };

  it('a connection string that is not PostgreSQL\'s', async () => {
    const t = await till('postgres://nobody@127.0.0.1:1/none', 'T1');
    const s = await waitFor('error', async () => { const v = await status(t.api); return v.ledger.error ? v : null; });
    expect(s.ledger.error).toMatch(/连不上门店账本.*ledgerUrl/);
    await sellsAnyway(t.pos);
    const invalid = await t.api.call('PUT', '/api/centre/settings', {
      token: await t.pos.signInAs('3001', '3333'),
      body: { mode: 'http', url: sandbox.endpoint, institutionCode: 'P42030200001', institutionName: '店', areaCode: '420302', timeoutMs: 3000, policyFeedUrl: null, ledgerUrl: 'mysql://x/y', tillId: 'T1' },
    });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body)).toMatch(/ledgerUrl/);
  });

  it('a ledger of a newer schema', async () => {
    const url = await server.createDatabase('newer');
    await till(url, 'T1');
    await waitFor('registered', async () => (await ledgerQuery(url, 'SELECT 1 FROM ledger_till')).length === 1);
    await ledgerQuery(url, 'UPDATE ledger_meta SET schema_version = 99');
    const t = await till(url, 'T2');
    const s = await waitFor('error', async () => { const v = await status(t.api); return v.ledger.error ? v : null; });
    expect(s.ledger.error).toMatch(/更新版本.*账本版本 99.*ledgerUrl/);
    await sellsAnyway(t.pos);
  });

  it('a till id another till of the store already uses', async () => {
    const url = await server.createDatabase('dup');
    await till(url, 'T3');
    await waitFor('registered', async () => (await ledgerQuery(url, 'SELECT 1 FROM ledger_till')).length === 1);
    const second = await till(url, 'T3');
    const s = await waitFor('error', async () => { const v = await status(second.api); return v.ledger.error ? v : null; });
    expect(s.ledger.error).toMatch(/T3 已被本店另一台收银机使用.*tillId/);
    await sellsAnyway(second.pos);
    // The first till's facts are untouched by the second one.
    const tills = await ledgerQuery<{ till_id: string }>(url, 'SELECT till_id FROM ledger_till');
    expect(tills).toEqual([{ till_id: 'T3' }]);
  });

  it('a ledger that belongs to another 定点编码', async () => {
    const url = await server.createDatabase('other');
    const other = new PgLedger({ url });
    await other.register({ fixmedinsCode: 'H11010500007', fixmedinsName: '别家药店', areaCode: '110105', tillId: 'T1', instanceId: 'x' });
    await other.close();
    const t = await till(url, 'T1');
    const s = await waitFor('error', async () => { const v = await status(t.api); return v.ledger.error ? v : null; });
    expect(s.ledger.error).toMatch(/属于定点机构 H11010500007，不是本店 P42030200001.*ledgerUrl/);
    await sellsAnyway(t.pos);
  });
});
