// The technician's choice of interface edition and gateway security over the API, the gateway
// secrets stored as 0600 files (never returned), and a restart that runs the chosen edition and
// security against the in-process sandbox; a missing key file shows in the connection test.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sm2 } from 'sm-crypto-v2';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, test, vi } from 'vitest';
import national from '../../core/centre/editions/national.json';
import { startTestBackend, type TestBackend } from '../support/backend';

let api: TestBackend | undefined;
afterEach(async () => { await api?.close(); api = undefined; });

async function settingsOf(backend: TestBackend, tech: string) {
  return (await backend.call('GET', '/api/centre/settings', { token: tech })).body as Record<string, unknown>;
}

describe('centre edition and security settings', () => {
  test('lists the editions; refuses an unknown edition, a mode the edition cannot run, x-tif without paasId', async () => {
    api = await startTestBackend();
    const tech = await api.login('3001', '3333');
    const editions = (await api.call('GET', '/api/centre/editions', { token: tech })).body as Array<{ id: string; modes: string[] }>;
    expect(editions.map((e) => e.id).sort()).toEqual(['jilin', 'national', 'shenzhen']);
    expect(editions.find((e) => e.id === 'jilin')!.modes).toContain('sm4-sm2');
    const current = await settingsOf(api, tech);
    expect(current).toMatchObject({ edition: 'national', security: null, paasId: null });
    const put = (body: Record<string, unknown>) => api!.call('PUT', '/api/centre/settings', { token: tech, body: { ...current, ...body } });
    expect((await put({ edition: 'atlantis' })).body).toMatchObject({ field: 'edition' });
    expect((await put({ edition: 'national', security: 'sm4-sm2' })).body).toMatchObject({ field: 'security', message: expect.stringContaining('不支持 sm4-sm2') });
    expect((await put({ security: 'tif-headers' })).body).toMatchObject({ field: 'paasId' });
    expect((await put({ edition: 'jilin' })).status).toBe(200);
    // The cashier sees the edition on the status bar after the restart, not before.
    expect((await api.call('GET', '/api/status', { token: tech })).body.edition).toMatchObject({ id: 'national' });
    expect((await api.call('GET', '/api/centre/editions', { token: await api.login('1001', '1111') })).status).toBe(403);
  });

  test('secrets are stored as 0600 files, reported only as present, and a restart runs Jilin over SM4/SM2', async () => {
    api = await startTestBackend();
    const dataDir = api.dataDir;
    let tech = await api.login('3001', '3333');
    const privateKey = sm2.generateKeyPairHex().privateKey;
    expect((await api.call('PUT', '/api/centre/secrets', { token: tech, body: { name: 'sm4.key', value: 'short' } })).body).toMatchObject({ field: 'value', message: expect.stringContaining('格式不对') });
    const saved = await api.call('PUT', '/api/centre/secrets', { token: tech, body: { name: 'sm4.key', value: '00112233445566778899aabbccddeeff' } });
    expect(saved.body).toEqual({ stored: { 'tif-paas-token': false, 'sm4.key': true, 'sm2-private.key': false, 'oauth-client-secret': false, 'oauth-password': false } });
    await api.call('PUT', '/api/centre/secrets', { token: tech, body: { name: 'sm2-private.key', value: privateKey } });
    const listed = await api.call('GET', '/api/centre/secrets', { token: tech });
    expect(JSON.stringify(listed.body)).not.toContain(privateKey);
    expect(statSync(join(dataDir, 'centre-keys', 'sm2-private.key')).mode & 0o777).toBe(0o600);
    const current = await settingsOf(api, tech);
    // Jilin's gateway also wants an OAuth token: the non-secret half in the settings, the rest as key files.
    await api.call('PUT', '/api/centre/secrets', { token: tech, body: { name: 'oauth-client-secret', value: 'client-secret-1' } });
    await api.call('PUT', '/api/centre/secrets', { token: tech, body: { name: 'oauth-password', value: 'password-1' } });
    const oauth = { clientId: 'client-1', username: 'p42030200001', scope: 'all' };
    expect((await api.call('PUT', '/api/centre/settings', { token: tech, body: { ...current, edition: 'jilin', security: 'sm4-sm2', oauth } })).status).toBe(200);
    await api.close();

    api = await startTestBackend({ dataDir });
    tech = await api.login('3001', '3333');
    expect((await api.call('GET', '/api/status', { token: tech })).body.edition).toEqual({ id: 'jilin', name: expect.stringContaining('吉林'), security: 'sm4-sm2' });
    expect((await api.call('POST', '/api/centre/online-test', { token: tech })).body).toMatchObject({ ok: true, message: expect.stringContaining('签到成功') });
    expect(JSON.stringify((await api.call('GET', '/api/centre/settings', { token: tech })).body)).not.toContain('password-1');
  });

  test('with a key file missing, the connection test names it and the backend still runs', async () => {
    api = await startTestBackend();
    const dataDir = api.dataDir;
    let tech = await api.login('3001', '3333');
    const current = await settingsOf(api, tech);
    await api.call('PUT', '/api/centre/settings', { token: tech, body: { ...current, edition: 'jilin' } });
    await api.close();
    api = await startTestBackend({ dataDir });
    tech = await api.login('3001', '3333');
    const r = await api.call('POST', '/api/centre/online-test', { token: tech });
    expect(r.body).toMatchObject({ ok: false, message: expect.stringContaining(`缺少密钥文件 ${join(dataDir, 'centre-keys', 'sm4.key')}`) });
  });
});

describe('a province\'s own edition, imported', () => {
  test('a profile with a typo is refused naming the key path and nothing is stored; a valid one is offered, chosen and run', async () => {
    api = await startTestBackend();
    const dataDir = api.dataDir;
    let tech = await api.login('3001', '3333');
    const typo = structuredClone(national) as Record<string, unknown> & { transactions: Record<string, { input: { nodes: Record<string, { fields: Record<string, unknown> }> } }> };
    typo.id = 'hubei-test';
    typo.transactions['2101']!.input.nodes['druginfo']!.fields['psn_no'] = { requird: true };
    const refused = await api.call('POST', '/api/centre/editions', { token: tech, body: typo });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ field: 'edition', message: expect.stringContaining('transactions.2101.input.nodes.druginfo.fields.psn_no.requird: unknown key (a typo?)') });
    expect((await api.call('POST', '/api/centre/editions', { token: tech, body: { ...national } })).body.message).toContain('national is a shipped edition');
    expect(() => readdirSync(join(dataDir, 'editions'))).toThrow();

    const own = { ...structuredClone(national), id: 'hubei-test', name: '湖北（导入测试）', recerSysCode: 'HBXT' };
    const imported = await api.call('POST', '/api/centre/editions', { token: tech, body: own });
    expect(imported.body).toMatchObject({ id: 'hubei-test', origin: 'local', modes: ['plain', 'tif-headers'] });
    // A broken file dropped in by hand is not offered (and does not break the list).
    writeFileSync(join(dataDir, 'editions', 'broken.json'), '{"format":"ybjs-edition/1"');
    const listed = (await api.call('GET', '/api/centre/editions', { token: tech })).body as Array<{ id: string; origin: string }>;
    expect(listed.map((e) => `${e.id}:${e.origin}`)).toEqual(['national:shipped', 'jilin:shipped', 'shenzhen:shipped', 'hubei-test:local']);
    const current = await settingsOf(api, tech);
    expect((await api.call('PUT', '/api/centre/settings', { token: tech, body: { ...current, edition: 'hubei-test' } })).status).toBe(200);
    await api.close();
    api = await startTestBackend({ dataDir });
    tech = await api.login('3001', '3333');
    expect((await api.call('GET', '/api/status', { token: tech })).body.edition).toMatchObject({ id: 'hubei-test', name: '湖北（导入测试）' });
    expect((await api.call('POST', '/api/centre/online-test', { token: tech })).body).toMatchObject({ ok: true });
  });
});

describe('the store ledger\'s password', () => {
  test('is never returned or logged; saving with the mask keeps it, with no stored password to keep the save is refused naming ledgerUrl', async () => {
    const secret = 's3cret-Ledger-pw';
    const logged: string[] = [];
    const spies = (['log', 'warn', 'error', 'info'] as const).map((level) => vi.spyOn(console, level).mockImplementation((...args: unknown[]) => { logged.push(args.map(String).join(' ')); }));
    try {
      api = await startTestBackend();
      const tech = await api.login('3001', '3333');
      const current = await settingsOf(api, tech);
      const put = (body: Record<string, unknown>) => api!.call('PUT', '/api/centre/settings', { token: tech, body: { ...current, tillId: 'T1', ...body } });
      // Nothing stored yet: the mask cannot stand for a password.
      expect((await put({ ledgerUrl: 'postgres://yb:******@127.0.0.1:1/ledger' })).body).toMatchObject({ field: 'ledgerUrl' });

      const saved = await put({ ledgerUrl: `postgres://yb:${secret}@127.0.0.1:1/ledger` });
      expect(saved.status).toBe(200);
      expect(saved.body.ledgerUrl).toBe('postgres://yb:******@127.0.0.1:1/ledger');
      const shown = await settingsOf(api, tech);
      expect(shown.ledgerUrl).toBe('postgres://yb:******@127.0.0.1:1/ledger');
      // Saved again as shown (the technician changed something else): the stored password stays.
      expect((await put({ ...shown, timeoutMs: 4000 })).status).toBe(200);
      const dataDir = api.dataDir;
      await api.close(); api = undefined;
      const db = new Database(join(dataDir, 'store.db'), { readonly: true });
      const stored = JSON.parse((db.prepare("SELECT value_json FROM terminal_setting WHERE key = 'centre'").get() as { value_json: string }).value_json) as { ledgerUrl: string; timeoutMs: number };
      db.close();
      expect(stored).toMatchObject({ ledgerUrl: `postgres://yb:${secret}@127.0.0.1:1/ledger`, timeoutMs: 4000 });
      // The restarted till tries the (unreachable) ledger with it: its status and logs name the setting, never the password.
      api = await startTestBackend({ dataDir });
      const again = await api.login('3001', '3333');
      const status = (await api.call('GET', '/api/status', { token: again })).body;
      expect(JSON.stringify(status)).not.toContain(secret);
      expect(JSON.stringify(await settingsOf(api, again))).not.toContain(secret);
    } finally { for (const spy of spies) spy.mockRestore(); }
    expect(logged.join('\n')).not.toContain(secret);
  });
});
