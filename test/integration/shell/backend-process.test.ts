// The backend as the desktop shell runs it, for real: the esbuild bundles from
// scripts/build-shell.mjs, the bundled utility-process entry running the real backend (Fastify,
// SQLite files in a temp dir) in a child Node process. Electron's process.parentPort is the one
// thing missing outside Electron, so a small harness stands in for it over Node's IPC channel.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startBackend } from '../../../electron/backend/backend';
import { runBackendChild } from '../../../electron/shell/backend-child';
import { type BackendToMain } from '../../../electron/shell/backend-messages';
import { repoRoot } from '../../support/serve-process';

const TOKEN = 'integration-token-0123456789abcdef0123456789';
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { main: string; dependencies: Record<string, string> };

describe('runBackendChild with the real backend', () => {
  test('serves the API in electron mode on a free port, serves no files, and closes on shutdown', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ybjs-shell-data-'));
    const posted: BackendToMain[] = [];
    let onMessage: (event: { data: unknown }) => void = () => undefined;
    let exited: (code: number) => void = () => undefined;
    const exit = new Promise<number>((resolve) => { exited = resolve; });
    await runBackendChild({
      parentPort: { on: (_e, l) => { onMessage = l; }, postMessage: (m) => posted.push(m) },
      env: { YBJS_DATA_DIR: dataDir, YBJS_PORT: '0', YBJS_SHELL_TOKEN: TOKEN },
      start: startBackend,
      exit: (code) => exited(code),
      log: () => undefined,
    });
    expect(posted).toHaveLength(1);
    const ready = posted[0]!;
    expect(ready.type).toBe('ready');
    const url = (ready as { url: string }).url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await (await fetch(`${url}api/health`)).json()).toMatchObject({ status: 'ok', mode: 'electron' });
    expect((await fetch(`${url}index.html`)).status).toBe(404); // the renderer comes over app://, not from the backend
    // The app:// page is the one foreign origin the API answers (CORS); any other page is refused.
    const fromApp = await fetch(`${url}api/health`, { headers: { origin: 'app://renderer' } });
    expect(fromApp.status).toBe(200);
    expect(fromApp.headers.get('access-control-allow-origin')).toBe('app://renderer');
    expect((await fetch(`${url}api/health`, { headers: { origin: 'https://evil.example' } })).status).toBe(403);

    // The shell's per-start token (issue 13): without it, another local program cannot sign an
    // operator in or use an operator's session; an integrated POS uses its own token and needs none.
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const refused = await post('api/session', { operatorId: '2001', pin: '2222' });
    expect([refused.status, (await refused.json()).error]).toEqual([403, 'SHELL_TOKEN_REQUIRED']);
    expect((await post('api/session', { operatorId: '2001', pin: '2222' }, { 'x-ybjs-shell-token': `${TOKEN.slice(0, -1)}x` })).status).toBe(403);
    const signedIn = await post('api/session', { operatorId: '2001', pin: '2222' }, { 'x-ybjs-shell-token': TOKEN });
    expect(signedIn.status).toBe(200);
    const manager = { authorization: `Bearer ${(await signedIn.json()).token}` };
    expect((await fetch(`${url}api/operators`, { headers: manager })).status).toBe(403);
    expect((await fetch(`${url}api/operators`, { headers: { ...manager, 'x-ybjs-shell-token': TOKEN } })).status).toBe(200);
    const pos = await (await post('api/pos-tokens', { name: '前台POS' }, { ...manager, 'x-ybjs-shell-token': TOKEN })).json();
    expect((await fetch(`${url}api/sales`, { headers: { authorization: `Bearer ${pos.token}` } })).status).toBe(200);
    const events = new AbortController();
    const stream = await fetch(`${url}api/events?access_token=${manager.authorization.slice(7)}&shell_token=${TOKEN}`, { signal: events.signal });
    expect(stream.status).toBe(200);
    events.abort();
    onMessage({ data: { type: 'shutdown' } });
    expect(await exit).toBe(0);
    await expect(fetch(`${url}api/health`)).rejects.toThrow();
    rmSync(dataDir, { recursive: true, force: true });
  });
});

describe('the bundles', () => {
  // Inside the repo (like dist-electron/), so the bundles resolve node_modules as a release does.
  const outDir = join(repoRoot, 'test-output', `shell-build-${process.pid}`);
  const shellDir = join(outDir, 'electron', 'shell');
  const requires = (file: string): string[] => [...new Set([...readFileSync(join(shellDir, file), 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!))].sort();
  const packageOf = (specifier: string): string => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
  const isBuiltin = (specifier: string): boolean => specifier.startsWith('node:') || builtinModules.includes(specifier);

  beforeAll(() => {
    const build = spawnSync(process.execPath, ['scripts/build-shell.mjs', '--outdir', outDir], { cwd: repoRoot, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
  }, 60_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  test('package.json "main" names the main bundle the build writes', () => {
    expect(pkg.main).toBe('dist-electron/electron/shell/main.cjs');
    expect(requires('main.cjs')).toContain('electron');
  });

  test('the sandboxed preload requires nothing but electron', () => {
    expect(requires('preload.cjs')).toEqual(['electron']);
  });

  test('main and the backend require only Node built-ins, electron, and production dependencies (what a release ships)', () => {
    // The backend bundle contains its pure-JS packages (scripts/backend-bundle.mjs), so some require()
    // texts in it are not loads: ajv's code generator writes `require("ajv/dist/runtime/…")` into the
    // standalone code it can emit (we never emit any), and pg loads pg-native only for `native: true`
    // (we never ask), inside a try. Every other require must be shipped.
    const notLoads = (specifier: string): boolean => /^ajv(-formats)?\//.test(specifier) || specifier === 'pg-native';
    for (const file of ['main.cjs', 'backend-entry.cjs']) {
      const missing = requires(file).filter((s) => !isBuiltin(s) && s !== 'electron' && !(file === 'backend-entry.cjs' && notLoads(s))).map(packageOf).filter((p) => !(p in pkg.dependencies));
      expect(missing, `${file} needs packages that are not in "dependencies"`).toEqual([]);
    }
    expect(requires('backend-entry.cjs')).not.toContain('electron'); // the backend never needs Electron
    // …and its pure-JS dependencies are inside it, its native ones outside (loaded from node_modules).
    expect(requires('backend-entry.cjs')).not.toContain('fastify');
    expect(requires('backend-entry.cjs')).toContain('better-sqlite3');
    // The boot file (what the utility process starts) needs nothing but Node.
    expect(requires('backend-boot.cjs').filter((s) => !isBuiltin(s))).toEqual([]);
  });

  test('the icons the tray and window load are copied next to the bundles', () => {
    for (const name of ['icon.png', 'tray-ok.png', 'tray-busy.png', 'tray-down.png', 'tray-ok@2x.png']) {
      expect(readFileSync(join(outDir, 'icons', name)).subarray(1, 4).toString('ascii')).toBe('PNG');
    }
  });

  test('the bundled backend entry refuses to run outside the shell, with one sentence', () => {
    const run = spawnSync(process.execPath, [join(shellDir, 'backend-entry.cjs')], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('backend-entry: must be started by the desktop shell (utilityProcess.fork); use `npm run serve` for a browser.');
  });

  describe('the bundled backend in a child process, started as the shell starts it (backend-boot.cjs)', () => {
    let child: ChildProcess;
    const messages: unknown[] = [];
    let dataDir: string;
    let exitCode: Promise<number | null>;

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'ybjs-shell-bundle-'));
      const harness = join(outDir, 'parent-port-harness.cjs');
      writeFileSync(harness, [
        "const { EventEmitter } = require('node:events');",
        'const port = new EventEmitter();',
        'port.postMessage = (message) => process.send(message);',
        "process.on('message', (data) => port.emit('message', { data }));",
        'process.parentPort = port;',
        `require(${JSON.stringify(join(shellDir, 'backend-boot.cjs'))});`,
      ].join('\n'));
      child = fork(harness, [], { env: { PATH: process.env.PATH, YBJS_DATA_DIR: dataDir, YBJS_PORT: '0', YBJS_SHELL_TOKEN: TOKEN, YBJS_CODE_CACHE_DIR: join(dataDir, 'code-cache') }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
      exitCode = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the bundled backend did not report ready within 30 s')), 30_000);
        child.on('message', (m) => { messages.push(m); clearTimeout(timer); resolve(); });
        void exitCode.then((code) => reject(new Error(`the bundled backend exited with ${code}`)));
      });
    }, 60_000);
    afterAll(() => {
      if (child.exitCode === null) child.kill();
      rmSync(dataDir, { recursive: true, force: true });
    });

    test('reports ready; the API answers in electron mode; shutdown exits 0', async () => {
      expect(messages[0]).toMatchObject({ type: 'ready', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/) });
      // The boot file wrote the V8 code cache before the backend reported ready.
      expect(readFileSync(join(dataDir, 'code-cache', 'backend-entry.cjs.v8-cache')).subarray(0, 17).toString()).toBe('ybjs-code-cache/1');
      const { url } = messages[0] as { url: string };
      expect(await (await fetch(`${url}api/health`)).json()).toMatchObject({ status: 'ok', mode: 'electron' });
      expect((await fetch(`${url}api/health`, { headers: { origin: 'app://renderer' } })).headers.get('access-control-allow-origin')).toBe('app://renderer');
      child.send({ type: 'shutdown' });
      expect(await exitCode).toBe(0);
    }, 30_000);
  });
});
