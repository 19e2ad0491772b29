import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HealthResponse } from '../../core/contracts/health';
import { repoRoot, startServe, tsxBin, type ServeProcess } from '../support/serve-process';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };

describe('npm run serve', () => {
  let serve: ServeProcess;
  beforeAll(async () => { serve = await startServe(); });
  afterAll(async () => { await serve?.stop(); });

  test('prints its URL on 127.0.0.1 and answers /api/health with status and version', async () => {
    expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const response = await fetch(new URL('api/health', serve.url));
    expect(response.status).toBe(200);
    const body = HealthResponse.parse(await response.json());
    expect(body).toEqual({ status: 'ok', version: pkg.version, mode: 'browser' });
  });

  test('serves the built renderer at / and the app shell for client routes', async () => {
    for (const path of ['', 'checkout']) {
      const response = await fetch(new URL(path, serve.url));
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<div id="root"></div>');
    }
    // The API has no HEAD twins (exposeHeadRoutes false, a faster start); the UI's files keep HEAD.
    expect((await fetch(new URL('index.html', serve.url), { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(new URL('api/health', serve.url), { method: 'HEAD' })).status).toBe(404);
  });

  test('an unknown API path is a JSON 404, not the app shell', async () => {
    const response = await fetch(new URL('api/nope', serve.url));
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'NOT_FOUND' });
  });

  test('stops cleanly on SIGTERM', async () => {
    const other = await startServe();
    expect(await other.stop('SIGTERM')).toBe(0);
  });
});

describe('serve argument errors', () => {
  test.each([
    [['--port', 'abc'], /--port: port must be a number/],
    [['--port', '70000'], /--port: port must be a number/],
    [['--colour', 'red'], /Unknown option '--colour'/],
  ])('%j exits 2 naming the argument', (args, message) => {
    const result = spawnSync(tsxBin(), ['electron/backend/serve.ts', ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  test('YBJS_PORT must be a port number', () => {
    const result = spawnSync(tsxBin(), ['electron/backend/serve.ts'], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000, env: { ...process.env, YBJS_PORT: 'x1' } });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/YBJS_PORT/);
  });
});
