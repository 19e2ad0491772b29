import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { request } from 'node:http';
import { startTestBackend, type TestBackend } from '../support/backend';

let api: TestBackend;
let manager: string;
let cashier: string;

beforeAll(async () => {
  api = await startTestBackend({ extraOrigins: ['app://yibao'] });
  manager = await api.login('2001', '2222');
  cashier = await api.login('1001', '1111');
});
afterAll(async () => { await api?.close(); });

/** A raw request, so the Host header can be set to what a DNS-rebinding page would send. */
function rawGet(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const url = new URL(path, api.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: url.port, path: url.pathname, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('sign-in and roles', () => {
  test('an operator signs in with id and PIN and sees who they are', async () => {
    const me = await api.call('GET', '/api/session', { token: cashier });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ kind: 'operator', id: '1001', name: '收银员', role: 'cashier' });
  });

  test('a wrong PIN is refused, and five in a row lock the operator', async () => {
    await api.call('POST', '/api/operators', { token: manager, body: { operatorId: '1009', name: '实习', role: 'cashier', pin: '9999' } });
    for (let i = 0; i < 4; i++) expect((await api.call('POST', '/api/session', { body: { operatorId: '1009', pin: '0000' } })).status).toBe(401);
    const fifth = await api.call('POST', '/api/session', { body: { operatorId: '1009', pin: '0000' } });
    expect(fifth.status).toBe(423);
    const evenRight = await api.call('POST', '/api/session', { body: { operatorId: '1009', pin: '9999' } });
    expect(evenRight.status).toBe(423);
    expect(evenRight.body.error).toBe('LOCKED');
  });

  test('no token is 401, a wrong role is 403, a bad token is 401', async () => {
    expect((await api.call('GET', '/api/pos-tokens')).status).toBe(401);
    const wrongRole = await api.call('GET', '/api/pos-tokens', { token: cashier });
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.body.error).toBe('FORBIDDEN_ROLE');
    expect((await api.call('GET', '/api/pos-tokens', { token: 'nope' })).status).toBe(401);
  });

  test('a manager creates a POS token that acts as a cashier and can be revoked', async () => {
    const created = await api.call('POST', '/api/pos-tokens', { token: manager, body: { name: '前台POS' } });
    expect(created.status).toBe(201);
    const pos = created.body.token as string;
    expect((await api.call('GET', '/api/session', { token: pos })).body).toMatchObject({ kind: 'pos', role: 'cashier', name: '前台POS' });
    expect((await api.call('GET', '/api/pos-tokens', { token: pos })).status).toBe(403);
    const listed = await api.call('GET', '/api/pos-tokens', { token: manager });
    expect(JSON.stringify(listed.body)).not.toContain(pos);
    expect((await api.call('POST', `/api/pos-tokens/${created.body.id}/revoke`, { token: manager })).status).toBe(200);
    expect((await api.call('GET', '/api/session', { token: pos })).status).toBe(401);
  });

  test('signing out ends the session', async () => {
    const t = await api.login('3001', '3333');
    expect((await api.call('DELETE', '/api/session', { token: t })).status).toBe(200);
    expect((await api.call('GET', '/api/session', { token: t })).status).toBe(401);
  });
});

describe('bad input names the field and changes nothing', () => {
  test.each([
    [{ operatorId: '1001' }, 'pin'],
    [{ operatorId: '1001', pin: 1111 }, 'pin'],
    [{ operatorId: 'a b', pin: '1111' }, 'operatorId'],
    [{ operatorId: '1001', pin: '1111', extra: 1 }, 'extra'],
  ])('login %j → 400 naming %s', async (body, field) => {
    const r = await api.call('POST', '/api/session', { body });
    expect(r.status).toBe(400);
    expect(r.body.field).toBe(field);
    expect(r.body.message).toContain(field);
  });

  // Operator ids are 4–8 digits wherever the API takes one (issue 13): exponent notation, NaN and a
  // resident ID number look like numbers or ids to a lax parser, and must be refused by field name.
  const BAD_OPERATOR_IDS = ['1e3', 'NaN', '360102199207080021', '36010219920708002X', '123', '123456789', '１００１', ' 1001', '-1001', '10.1', 'Infinity', 'abcd'];
  test.each(BAD_OPERATOR_IDS)('operator id %j is refused at sign-in, creation and deactivation', async (operatorId) => {
    const login = await api.call('POST', '/api/session', { body: { operatorId, pin: '1111' } });
    expect([login.status, login.body.field]).toEqual([400, 'operatorId']);
    const before = (await api.call('GET', '/api/operators', { token: manager })).body;
    const create = await api.call('POST', '/api/operators', { token: manager, body: { operatorId, name: '新人', role: 'cashier', pin: '4321' } });
    expect([create.status, create.body.field]).toEqual([400, 'operatorId']);
    expect(create.body.message).toContain('4–8 digits');
    expect((await api.call('GET', '/api/operators', { token: manager })).body).toEqual(before);
    const deactivate = await api.call('POST', `/api/operators/${encodeURIComponent(operatorId)}/deactivate`, { token: manager });
    expect([deactivate.status, deactivate.body.field]).toEqual([400, 'id']);
  });

  test.each(['0001', '1001', '12345678'])('operator id %j (4–8 digits) is accepted', async (operatorId) => {
    const r = await api.call('POST', '/api/session', { body: { operatorId, pin: '9876' } });
    expect(r.status).toBe(401);
  });

  test('malformed JSON and a huge body are refused with JSON errors', async () => {
    const bad = await api.call('POST', '/api/session', { rawBody: '{"operatorId":' });
    expect(bad.status).toBe(400);
    const huge = await api.call('POST', '/api/pos-tokens', { token: manager, rawBody: JSON.stringify({ name: 'x'.repeat(300_000) }) });
    expect(huge.status).toBe(413);
    expect((await api.call('GET', '/api/pos-tokens', { token: manager })).body.every((t: { name: string }) => t.name.length < 100)).toBe(true);
  });
});

describe('Host and Origin checks', () => {
  test('a foreign Host (DNS rebinding) is refused', async () => {
    const r = await rawGet('/api/health', { host: 'evil.example:80' });
    expect(r.status).toBe(403);
    expect(r.body).toContain('FORBIDDEN_HOST');
  });

  test('a foreign Origin is refused even with a valid token', async () => {
    const r = await api.call('GET', '/api/session', { token: cashier, headers: { origin: 'http://evil.example' } });
    expect(r.status).toBe(403);
    expect(r.body.error).toBe('FORBIDDEN_ORIGIN');
  });

  test('our own origins get CORS answers', async () => {
    const r = await api.call('OPTIONS', '/api/session', { headers: { origin: 'app://yibao', 'access-control-request-method': 'GET' } });
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe('app://yibao');
    expect(r.headers.get('access-control-allow-headers')).toContain('idempotency-key');
  });
});

describe('Idempotency-Key', () => {
  test('a retry with the same key returns the first response; a different body with it is refused', async () => {
    const headers = { 'idempotency-key': 'pos-retry-0001' };
    const first = await api.call('POST', '/api/pos-tokens', { token: manager, body: { name: '重试POS' }, headers });
    const second = await api.call('POST', '/api/pos-tokens', { token: manager, body: { name: '重试POS' }, headers });
    expect(second.status).toBe(first.status);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replay')).toBe('true');
    const tokens = (await api.call('GET', '/api/pos-tokens', { token: manager })).body as Array<{ name: string }>;
    expect(tokens.filter((t) => t.name === '重试POS')).toHaveLength(1);
    const other = await api.call('POST', '/api/pos-tokens', { token: manager, body: { name: '别的' }, headers });
    expect(other.status).toBe(422);
  });
});

describe('system', () => {
  test('the OpenAPI document lists the routes with their schemas', async () => {
    const r = await api.call('GET', '/api/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    expect(r.body.paths['/api/session'].post.requestBody.content['application/json'].schema.required).toEqual(['operatorId', 'pin']);
    expect(r.body.paths['/api/pos-tokens/{id}/revoke'].post.parameters[0]).toMatchObject({ name: 'id', in: 'path' });
  });

  test('the event stream sends events to a signed-in subscriber', async () => {
    const controller = new AbortController();
    const response = await fetch(new URL(`api/events?access_token=${cashier}`, api.url), { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    controller.abort();
    expect((await fetch(new URL('api/events', api.url))).status).toBe(401);
  });
});
