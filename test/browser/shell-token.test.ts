// The renderer sends the shell's per-start token with every call (issue 13): with the desktop
// bridge present (emulated here the way the preload exposes it) an operator signs in and works
// against a backend that requires the token; the same page without the bridge is refused.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startBackend, type RunningBackend } from '../../electron/backend/backend';
import { BackendConfig } from '../../electron/backend/config';
import { launchChromium } from '../support/browser';
import { repoRoot } from '../support/serve-process';
import { ensureRenderer, expectText, signIn } from './support/app';

const TOKEN = 'shell-token-for-the-browser-test-0123456789';
let backend: RunningBackend;
let browser: Browser;

beforeAll(async () => {
  ensureRenderer();
  backend = await startBackend(BackendConfig.parse({
    host: '127.0.0.1', port: 0, dataDir: mkdtempSync(join(tmpdir(), 'ybjs-shell-token-')), rendererDir: join(repoRoot, 'renderer', 'dist'), mode: 'browser', shellToken: TOKEN,
  }));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await backend?.close();
});

test('with the bridge the token goes along and the manager works; without it sign-in is refused', async () => {
  const withBridge = await browser.newPage();
  await withBridge.addInitScript((token) => {
    (window as unknown as { ybjs: unknown }).ybjs = {
      getConnection: async () => ({ backend: { state: 'ready', apiBaseUrl: location.origin }, token }),
      onBackendStatus: () => () => undefined,
      print: async () => ({ ok: true }),
      saveFile: async () => ({ saved: false }),
    };
  }, TOKEN);
  await withBridge.goto(backend.url);
  await signIn(withBridge, 'manager');
  await withBridge.getByTestId('nav-operators').click();
  await expectText(withBridge, 'workspace-manager', '1001');

  const without = await browser.newPage();
  await without.goto(backend.url);
  await without.getByTestId('role-manager').click();
  await without.getByTestId('operator-id').fill('2001');
  await without.getByTestId('pin').fill('2222');
  await without.getByTestId('pin').press('Enter');
  await expectText(without, 'sign-in-error', '只供本机的医保结算助手窗口使用');
  expect(await without.getByTestId('workspace-manager').count()).toBe(0);
});
