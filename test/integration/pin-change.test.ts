// Outside training mode, an operator whose PIN someone else set (a manager, or the training
// defaults) must set their own before doing anything else (issue 13). Training keeps the documented PINs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestBackend, type TestBackend } from '../support/backend';

const dataDir = mkdtempSync(join(tmpdir(), 'ybjs-pin-'));
let api: TestBackend;

beforeAll(async () => {
  // A fresh install is in training mode; the technician points it at a real centre (applied at the next start).
  const training = await startTestBackend({ dataDir });
  const first = await training.call('POST', '/api/session', { body: { operatorId: '2001', pin: '2222' } });
  expect(first.body.pinChangeRequired).toBe(false);
  expect((await training.call('GET', '/api/operators', { token: first.body.token })).status).toBe(200);
  const tech = await training.login('3001', '3333');
  const settings = await training.call('PUT', '/api/centre/settings', {
    token: tech, body: { mode: 'http', url: 'http://127.0.0.1:9/fsi/api/rsfComIfsService/callService', institutionCode: 'P36010200001', institutionName: '示例药店', areaCode: '360102', timeoutMs: 1000 },
  });
  expect(settings.status).toBe(200);
  await training.close();
  api = await startTestBackend({ dataDir });
});
afterAll(async () => { await api?.close(); });

describe('first sign-in outside training mode', () => {
  let token: string;

  test('the session says a PIN change is required, and only the change, who-am-I and sign-out are open', async () => {
    const session = await api.call('POST', '/api/session', { body: { operatorId: '2001', pin: '2222' } });
    expect(session.status).toBe(200);
    expect(session.body.pinChangeRequired).toBe(true);
    token = session.body.token;
    const blocked = await api.call('GET', '/api/operators', { token });
    expect([blocked.status, blocked.body.error]).toEqual([403, 'PIN_CHANGE_REQUIRED']);
    expect((await api.call('GET', '/api/reconciliation/days', { token })).body.error).toBe('PIN_CHANGE_REQUIRED');
    expect((await api.call('GET', '/api/session', { token })).status).toBe(200);
  });

  test('a wrong current PIN and an unchanged PIN are refused by field; nothing changes', async () => {
    const wrong = await api.call('POST', '/api/session/pin', { token, body: { currentPin: '0000', newPin: '5678' } });
    expect([wrong.status, wrong.body.error, wrong.body.field]).toEqual([422, 'PIN_WRONG', 'currentPin']);
    const same = await api.call('POST', '/api/session/pin', { token, body: { currentPin: '2222', newPin: '2222' } });
    expect([same.status, same.body.error, same.body.field]).toEqual([422, 'PIN_UNCHANGED', 'newPin']);
    const malformed = await api.call('POST', '/api/session/pin', { token, body: { currentPin: '2222', newPin: '12' } });
    expect([malformed.status, malformed.body.field]).toEqual([400, 'newPin']);
    expect((await api.call('GET', '/api/operators', { token })).status).toBe(403);
  });

  test('after the change the session works, the old PIN no longer signs in, the new one needs no change', async () => {
    expect((await api.call('POST', '/api/session/pin', { token, body: { currentPin: '2222', newPin: '5678' } })).status).toBe(200);
    expect((await api.call('GET', '/api/operators', { token })).status).toBe(200);
    expect((await api.call('POST', '/api/session', { body: { operatorId: '2001', pin: '2222' } })).status).toBe(401);
    const again = await api.call('POST', '/api/session', { body: { operatorId: '2001', pin: '5678' } });
    expect([again.status, again.body.pinChangeRequired]).toEqual([200, false]);
  });

  test('an operator the manager creates must change the PIN the manager chose', async () => {
    const created = await api.call('POST', '/api/operators', { token, body: { operatorId: '1005', name: '新收银员', role: 'cashier', pin: '4321' } });
    expect(created.status).toBe(201);
    const session = await api.call('POST', '/api/session', { body: { operatorId: '1005', pin: '4321' } });
    expect(session.body.pinChangeRequired).toBe(true);
    expect((await api.call('GET', '/api/sales', { token: session.body.token })).body.error).toBe('PIN_CHANGE_REQUIRED');
  });

  test('a POS token has no PIN and is not held back', async () => {
    const pos = await api.call('POST', '/api/pos-tokens', { token, body: { name: '前台POS' } });
    expect((await api.call('GET', '/api/sales', { token: pos.body.token })).status).toBe(200);
    expect((await api.call('POST', '/api/session/pin', { token: pos.body.token, body: { currentPin: '1111', newPin: '2345' } })).body.error).toBe('OPERATORS_ONLY');
  });
});
