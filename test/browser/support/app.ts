// Shared set-up for the workspace tests: a real `npm run serve` process (fresh data folder, training
// mode), the renderer built if stale, headless Chromium at the cashier PC's 1280×800, and helpers
// that act as a user would (keys, visible labels) plus screenshots under test-output/screenshots/.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium, screenshotDir } from '../../support/browser';
import { repoRoot, startServe, type ServeProcess } from '../../support/serve-process';

export const OPERATORS = {
  cashier: { id: '1001', pin: '1111', label: '收银员' },
  manager: { id: '2001', pin: '2222', label: '店长' },
  technician: { id: '3001', pin: '3333', label: '技术员' },
  headoffice: { id: '4001', pin: '4444', label: '总部' },
} as const;
export type RoleName = keyof typeof OPERATORS;

export interface AppUnderTest {
  serve: ServeProcess;
  browser: Browser;
  /** A fresh page (own storage) that records page errors; `errors()` must stay empty. */
  newPage(): Promise<Page & { errors(): string[] }>;
  /** An API call as the given role, for arranging state and checking it (not for what the UI does). */
  api(role: RoleName, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

let built = false;
const openPages = new Set<Page>();

// A failed test leaves a screenshot of every page it had open: FAILED-<test>-<n>.png.
afterEach(async (context) => {
  if (context.task.result?.state === 'fail') {
    let n = 0;
    for (const page of openPages) {
      if (!page.isClosed()) await page.screenshot({ path: join(screenshotDir, `FAILED-${context.task.name.slice(0, 40)}-${++n}.png`) }).catch(() => undefined);
    }
  }
  openPages.clear();
});

/** `npm run serve` builds a stale renderer first; the test starts serve.ts directly, so do the same here. */
export function ensureRenderer(): void {
  if (built) return;
  // vitest sets NODE_ENV=test, which would make Vite emit a development build into renderer/dist.
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'ensure-renderer.mjs')], { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  built = true;
}

/** `dataDir`: a data folder prepared beforehand (e.g. configured for a real centre); a fresh one by default. `args`: serve's flags (e.g. --ledger-url). */
export async function startApp(options: { dataDir?: string; args?: string[] } = {}): Promise<AppUnderTest> {
  ensureRenderer();
  const serve = await startServe(options.args ?? [], {}, options.dataDir);
  const browser = await launchChromium();
  const tokens = new Map<RoleName, string>();
  const call = async (method: string, path: string, token: string | undefined, body?: unknown): Promise<{ status: number; body: any }> => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(new URL(path.replace(/^\//, ''), serve.url), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    let parsed: unknown = text;
    try { parsed = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
    return { status: response.status, body: parsed };
  };
  return {
    serve,
    browser,
    async newPage() {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
      const page = await context.newPage();
      openPages.add(page);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text()); });
      await page.goto(serve.url);
      return Object.assign(page, { errors: () => errors });
    },
    async api(role, method, path, body) {
      if (!tokens.has(role)) {
        const r = await call('POST', '/api/session', undefined, { operatorId: OPERATORS[role].id, pin: OPERATORS[role].pin });
        if (r.status !== 200) throw new Error(`login as ${role}: ${r.status} ${JSON.stringify(r.body)}`);
        tokens.set(role, r.body.token);
      }
      return call(method, path, tokens.get(role), body);
    },
    async close() {
      await browser.close();
      await serve.stop();
    },
  };
}

/** Signs in through the form, as a person would: choose the post, type id and PIN, press Enter. */
export async function signIn(page: Page, role: RoleName): Promise<void> {
  const op = OPERATORS[role];
  await page.getByTestId(`role-${role}`).click();
  await page.getByTestId('operator-id').fill(op.id);
  await page.getByTestId('operator-id').press('Enter');
  await page.getByTestId('pin').fill(op.pin);
  await page.getByTestId('pin').press('Enter');
  await page.getByTestId(`workspace-${role}`).waitFor({ timeout: 15_000 });
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

/** Waits until the text of a test id contains the expected text. */
export async function expectText(page: Page, testId: string, expected: string | RegExp, timeout = 15_000): Promise<void> {
  const locator = page.getByTestId(testId).first();
  const text = expect.poll(async () => ((await locator.count()) > 0 ? locator.innerText() : ''), { timeout });
  if (typeof expected === 'string') await text.toContain(expected);
  else await text.toMatch(expected);
}
