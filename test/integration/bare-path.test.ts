// A bare machine (issue 13): the backend and every CLI run with a PATH holding nothing but `node`,
// so a hidden dependency on a system tool (udevadm, socat, curl, …) shows up as a 5xx or a stack
// trace here instead of on a pharmacy's minimal Linux till. Every GET endpoint of the OpenAPI
// document is called for every role, path parameters filled from real data.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { businessDate } from '../../core/checkout/business-date';
import { repoRoot, startBackendProcess, type ServeProcess } from '../support/serve-process';

/** A V8 stack frame line ("    at fn (file:1:2)"), which no answer or CLI output should carry. */
const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\)|\(node:[^)]*\))$/m;

const bareBin = mkdtempSync(join(tmpdir(), 'ybjs-bare-bin-'));
symlinkSync(process.execPath, join(bareBin, 'node'));
const BARE_ENV = { PATH: bareBin };

let serve: ServeProcess;
const tokens: Record<string, string> = {};
const today = businessDate(new Date());

async function call(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const controller = new AbortController();
  const response = await fetch(new URL(path.replace(/^\//, ''), serve.url), { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: controller.signal });
  // The event stream never ends: its status and first bytes are enough.
  if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    controller.abort();
    return { status: response.status, text: '' };
  }
  return { status: response.status, text: await response.text() };
}

async function json(method: string, path: string, token: string, body?: unknown): Promise<any> {
  const r = await call(method, path, token, body);
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
  return JSON.parse(r.text);
}

beforeAll(async () => {
  serve = await startBackendProcess({ dataDir: mkdtempSync(join(tmpdir(), 'ybjs-bare-')), env: BARE_ENV });
  for (const [role, id, pin] of [['cashier', '1001', '1111'], ['manager', '2001', '2222'], ['technician', '3001', '3333']] as const) {
    tokens[role] = (await json('POST', '/api/session', '', { operatorId: id, pin })).token;
  }
  // Real data for the path parameters: one settled sale.
  await json('POST', '/api/training/card', tokens.cashier!, { fixtureId: 'nanchang-active' });
  const sale = await json('POST', '/api/sales', tokens.cashier!, { identify: { method: 'card' } });
  await json('PUT', `/api/sales/${sale.id}/basket`, tokens.cashier!, { lines: [{ sku: '6901000000011', name: '甲类', qty: '1', price: '12.00', traceCodes: ['80000000000000013001'] }] });
  await json('POST', `/api/sales/${sale.id}/settle`, tokens.cashier!, { useAccount: true });
  await json('POST', `/api/reconciliation/days/${today}/check`, tokens.manager!);
}, 60_000);

afterAll(async () => { await serve?.stop(); });

describe('the backend with PATH holding only node', () => {
  test('every GET endpoint, for every role, answers without a 5xx or a stack trace', async () => {
    const doc = await json('GET', '/api/openapi.json', '');
    const sales = await json('GET', '/api/sales', tokens.cashier!);
    const discrepancies = await json('GET', '/api/reconciliation/discrepancies', tokens.manager!);
    const pathValue: Record<string, string> = { date: today, month: today.slice(0, 7) };
    const queryValue: Record<string, string> = { date: today, from: today, to: today, month: today.slice(0, 7), format: 'csv' };
    const paths = Object.entries(doc.paths as Record<string, Record<string, any>>).filter(([, ops]) => ops.get);
    expect(paths.length).toBeGreaterThan(20);
    const answers: Array<{ path: string; role: string; status: number }> = [];
    for (const [template, ops] of paths) {
      const idFor = template.startsWith('/api/reconciliation/discrepancies') ? discrepancies[0]?.id ?? 'none' : sales[0].id;
      const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(name === 'id' ? idFor : pathValue[name] ?? 'x'));
      const query = (ops.get.parameters ?? []).filter((p: any) => p.in === 'query' && p.required).map((p: any) => `${p.name}=${encodeURIComponent(queryValue[p.name] ?? 'x')}`);
      const url = query.length ? `${path}?${query.join('&')}` : path;
      for (const role of ['none', 'cashier', 'manager', 'technician']) {
        const r = await call('GET', url, tokens[role]);
        answers.push({ path: url, role, status: r.status });
        expect(r.status, `${role} GET ${url}: ${r.text.slice(0, 300)}`).toBeLessThan(500);
        expect(r.text, `${role} GET ${url}`).not.toMatch(STACK_FRAME);
      }
    }
    // The walk reached the endpoints' real answers, not only refusals.
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(paths.length);
    expect(answers.find((a) => a.path === '/api/reader/ports' && a.role === 'technician')?.status).toBe(200);
    expect(answers.find((a) => a.path === `/api/sales/${sales[0].id}/receipt` && a.role === 'cashier')?.status).toBe(200);
    expect(answers.find((a) => a.path === `/api/reconciliation/days/${today}/report` && a.role === 'manager')?.status).toBe(200);
    expect(serve.output()).not.toMatch(STACK_FRAME);
  });

  test('the reader bench lists ports without udevadm, from the kernel, and says so', async () => {
    const listing = await json('GET', '/api/reader/ports', tokens.technician!);
    expect(listing).toMatchObject({ source: 'kernel', fallback: { reason: 'helper-missing', program: 'udevadm' } });
  });
});

describe('the CLIs with PATH holding only node', () => {
  const cli = (script: string, args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: repoRoot, encoding: 'utf8', timeout: 30_000, env: { ...process.env, ...BARE_ENV, YBJS_DATA_DIR: mkdtempSync(join(tmpdir(), 'ybjs-bare-cli-')) },
  });

  test.each([
    ['electron/cli/card.ts', ['--help']],
    ['electron/cli/card.ts', ['list']],
    ['electron/cli/quote.ts', ['--help']],
    ['electron/cli/sandbox.ts', ['--help']],
    ['electron/backend/serve.ts', ['--help']],
  ])('%s %j exits 0 without a stack trace', (script, args) => {
    const run = cli(script, args);
    expect(run.status, run.stderr).toBe(0);
    expect(`${run.stdout}\n${run.stderr}`).not.toMatch(STACK_FRAME);
    expect(run.stdout.trim().length).toBeGreaterThan(0);
  });

  test('card list prints the JSON list and says on stderr that it comes from the kernel', () => {
    const run = cli('electron/cli/card.ts', ['list']);
    expect(Array.isArray(JSON.parse(run.stdout))).toBe(true);
    expect(run.stderr).toContain('listed from the kernel');
    expect(run.stderr).toContain('udevadm is not installed');
  });
});
