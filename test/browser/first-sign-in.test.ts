// Outside training mode, the first sign-in asks the operator for a PIN of their own before the
// workspace opens (issue 13), in headless Chromium against a real serve process.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestBackend } from '../support/backend';
import { expectText, shot, startApp, type AppUnderTest } from './support/app';

let app: AppUnderTest;

beforeAll(async () => {
  // A store whose technician has configured a real centre (not training); the sandbox is not started.
  const dataDir = mkdtempSync(join(tmpdir(), 'ybjs-first-'));
  const setup = await startTestBackend({ dataDir });
  const tech = await setup.login('3001', '3333');
  const r = await setup.call('PUT', '/api/centre/settings', {
    token: tech, body: { mode: 'http', url: 'http://127.0.0.1:9/fsi/api/rsfComIfsService/callService', institutionCode: 'P36010200001', institutionName: '示例药店', areaCode: '360102', timeoutMs: 1000 },
  });
  expect(r.status).toBe(200);
  await setup.close();
  app = await startApp({ dataDir });
});
afterAll(async () => { await app?.close(); });

test('a manager signing in for the first time sets a new PIN, then works; the new PIN signs in', async () => {
  const page = await app.newPage();
  await page.getByTestId('role-manager').click();
  await page.getByTestId('operator-id').fill('2001');
  await page.getByTestId('pin').fill('2222');
  await page.getByTestId('pin').press('Enter');
  await page.getByTestId('change-pin').waitFor();
  // Mismatched entries are caught before anything is sent.
  await page.getByTestId('new-pin').fill('5678');
  await page.getByTestId('new-pin-again').fill('5679');
  await page.getByTestId('change-pin-submit').click();
  await expectText(page, 'change-pin-error', '两次输入的新密码不一致');
  await page.getByTestId('new-pin-again').fill('5678');
  await shot(page, 'first-sign-in-change-pin');
  await page.getByTestId('change-pin-submit').click();
  await page.getByTestId('workspace-manager').waitFor({ timeout: 15_000 });
  const again = await fetch(new URL('api/session', app.serve.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ operatorId: '2001', pin: '5678' }) });
  expect((await again.json()).pinChangeRequired).toBe(false);
  expect(page.errors()).toEqual([]);
});
