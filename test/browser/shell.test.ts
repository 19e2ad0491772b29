import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Browser } from 'playwright-core';
import { join } from 'node:path';
import { startServe, type ServeProcess } from '../support/serve-process';
import { launchChromium, screenshotDir } from '../support/browser';

let serve: ServeProcess;
let browser: Browser;

beforeAll(async () => {
  serve = await startServe();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

test('the UI served by npm run serve loads in Chromium and reports the backend in Chinese', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(serve.url);
  const status = page.getByTestId('backend-status');
  await expect.poll(async () => status.textContent(), { timeout: 15_000 }).toContain('后台服务正常');
  expect(await page.title()).toBe('医保结算助手');
  await page.screenshot({ path: join(screenshotDir, 'shell-health.png'), fullPage: true });
  expect(errors).toEqual([]);
});
