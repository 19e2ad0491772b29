// The technician's bench and the terminal's status over the API.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestBackend, type TestBackend } from '../support/backend';

let api: TestBackend;
let tech: string;
let cashier: string;
beforeAll(async () => {
  api = await startTestBackend();
  tech = await api.login('3001', '3333');
  cashier = await api.login('1001', '1111');
});
afterAll(async () => { await api?.close(); });

describe('reader self-test', () => {
  test('reads the card in the (virtual) reader and shows every frame as timestamped hex', async () => {
    await api.call('POST', '/api/training/card', { token: tech, body: { fixtureId: 'jincheng-active' } });
    const r = await api.call('POST', '/api/reader/self-test', { token: tech });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, error: null, holder: { name: '测试丙', region: '140500', ssnMasked: expect.stringContaining('*') } });
    expect(r.body.frames.length).toBeGreaterThan(10);
    const first = r.body.frames[0];
    expect(first).toMatchObject({ t: 0, dir: 'tx' });
    expect(first.hex).toMatch(/^F2 00 03 43 /);
    expect(r.body.frames.some((f: any) => f.dir === 'rx' && /^F2 /.test(f.hex))).toBe(true);
    expect(JSON.stringify(r.body)).not.toContain('140502197811300035');
  });

  test('with no card it reports NO_CARD and still shows the frames', async () => {
    await api.call('POST', '/api/training/card', { token: tech, body: { fixtureId: null } });
    const r = await api.call('POST', '/api/reader/self-test', { token: tech });
    expect(r.body.ok).toBe(false);
    expect(r.body.error.code).toBe('NO_CARD');
    expect(r.body.frames.length).toBeGreaterThan(0);
  });

  test('a cashier may not run it', async () => {
    expect((await api.call('POST', '/api/reader/self-test', { token: cashier })).status).toBe(403);
  });
});

describe('reader settings and ports', () => {
  test('settings are saved per terminal and validated', async () => {
    expect((await api.call('GET', '/api/reader/settings', { token: tech })).body).toEqual({ model: 'virtual' });
    const bad = await api.call('PUT', '/api/reader/settings', { token: tech, body: { model: 'reference-serial', port: '/dev/ttyUSB0', baud: 1234 } });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('baud');
    const ok = await api.call('PUT', '/api/reader/settings', { token: tech, body: { model: 'reference-serial', port: '/dev/ttyS99', baud: 38400 } });
    expect(ok.status).toBe(200);
    expect((await api.call('GET', '/api/status', { token: tech })).body.reader).toEqual({ kind: 'serial', port: '/dev/ttyS99', model: 'reference-serial' });
    const test = await api.call('POST', '/api/reader/self-test', { token: tech });
    expect(test.body.ok).toBe(false);
    expect(['PORT_UNAVAILABLE', 'READER_DISCONNECTED']).toContain(test.body.error.code);
    await api.call('PUT', '/api/reader/settings', { token: tech, body: { model: 'virtual' } });
  });

  test('the ports list is an array of ports, and says how it was found', async () => {
    const r = await api.call('GET', '/api/reader/ports', { token: tech });
    expect(r.status).toBe(200);
    expect(Array.isArray(r.body.ports)).toBe(true);
    expect(['platform', 'kernel']).toContain(r.body.source);
    expect(r.body.fallback === null).toBe(r.body.source === 'platform');
  });
});

describe('SKU mapping, policies, centre settings, status', () => {
  test('a technician maps a SKU to a catalogue code; an unknown code is refused', async () => {
    const bad = await api.call('PUT', '/api/sku-mappings/6909999999999', { token: tech, body: { catalogueCode: 'NOPE' } });
    expect(bad.status).toBe(422);
    expect(bad.body.field).toBe('catalogueCode');
    const ok = await api.call('PUT', '/api/sku-mappings/6909999999999', { token: tech, body: { catalogueCode: 'TRAIN-D-B02', note: '新进货' } });
    expect(ok.body).toMatchObject({ sku: '6909999999999', catalogueCode: 'TRAIN-D-B02', updatedBy: '3001', catalogue: { listClass: 'B' } });
    expect((await api.call('DELETE', '/api/sku-mappings/6909999999999', { token: tech })).status).toBe(200);
    expect((await api.call('DELETE', '/api/sku-mappings/6909999999999', { token: tech })).status).toBe(404);
  });

  test('policies in force list every parameter with its source, unknown ones as unknown', async () => {
    const r = await api.call('GET', '/api/policies', { token: tech });
    const nanchang = r.body.find((p: any) => p.region === '360100');
    expect(nanchang.inForce).toBe(true);
    expect(nanchang.parameters.some((p: any) => p.known && /第七条/.test(p.source))).toBe(true);
    const chongqing = r.body.find((p: any) => p.region === '500000');
    expect(chongqing.parameters.filter((p: any) => !p.known).length).toBeGreaterThan(3);
  });

  test('centre settings validate the url for http mode', async () => {
    const current = (await api.call('GET', '/api/centre/settings', { token: tech })).body;
    expect(current.mode).toBe('sandbox');
    const bad = await api.call('PUT', '/api/centre/settings', { token: tech, body: { ...current, mode: 'http', url: null } });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('url');
  });

  test('status is visible to every role', async () => {
    const r = await api.call('GET', '/api/status', { token: cashier });
    expect(r.body).toMatchObject({ online: true, training: { sandboxCentre: true, virtualReader: true }, terminalId: 'T01' });
  });
});

describe('signed policy updates', () => {
  test("the sandbox's signed feed is verified and imported; a second check adds nothing", async () => {
    const first = await api.call('POST', '/api/policies/update', { token: tech });
    expect(first.status).toBe(200);
    expect(first.body.refused).toEqual([]);
    expect(first.body.added.length + first.body.unchanged.length).toBeGreaterThan(0);
    const second = await api.call('POST', '/api/policies/update', { token: tech });
    expect(second.body.added).toEqual([]);
  });
});

describe('centre online test and security headers', () => {
  test('the online test signs in (9001) and reports the time taken', async () => {
    const r = await api.call('POST', '/api/centre/online-test', { token: tech });
    expect(r.body).toMatchObject({ ok: true, message: expect.stringContaining('签到成功') });
    await api.call('POST', '/api/training/centre', { token: tech, body: { online: false } });
    const off = await api.call('POST', '/api/centre/online-test', { token: tech });
    expect(off.body.ok).toBe(false);
    await api.call('POST', '/api/training/centre', { token: tech, body: { online: true } });
  });

  test('every response forbids framing', async () => {
    const r = await api.call('GET', '/api/health');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});
