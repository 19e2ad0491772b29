// The backend's side of the utility process, with its parent port and backend start passed in:
// settings from the environment (errors name the variable), ready/fatal messages, clean shutdown.
import { EventEmitter } from 'node:events';
import { describe, expect, test } from 'vitest';
import { backendConfigFromEnv, runBackendChild } from '../../../electron/shell/backend-child';
import { backendEnvironment } from '../../../electron/shell/backend-env';
import { type BackendToMain } from '../../../electron/shell/backend-messages';

const TOKEN = 'k'.repeat(43);
const goodEnv = { YBJS_DATA_DIR: '/var/lib/ybjs', YBJS_PORT: '0', YBJS_SHELL_TOKEN: TOKEN };

describe('backendConfigFromEnv', () => {
  test('builds the electron-mode config: loopback, no static files, the shell token checked on every call', () => {
    expect(backendConfigFromEnv({ ...goodEnv, YBJS_PORT: '43210' })).toEqual({
      host: '127.0.0.1', port: 43210, dataDir: '/var/lib/ybjs', rendererDir: null, mode: 'electron', shellToken: TOKEN, ledgerUrl: null, tillId: null, ledgerSeat: null,
    });
    expect(backendConfigFromEnv({ YBJS_DATA_DIR: '/d', YBJS_SHELL_TOKEN: TOKEN }).port).toBe(0);
  });

  test.each([
    [{ YBJS_DATA_DIR: undefined }, /YBJS_DATA_DIR: is required/],
    [{ YBJS_DATA_DIR: 'relative/dir' }, /YBJS_DATA_DIR: must be an absolute path/],
    [{ YBJS_PORT: '70000' }, /YBJS_PORT: must be at most 65535/],
    [{ YBJS_PORT: '12ab' }, /YBJS_PORT: must be a port number/],
    [{ YBJS_SHELL_TOKEN: undefined }, /YBJS_SHELL_TOKEN: is required/],
    [{ YBJS_SHELL_TOKEN: 'short' }, /YBJS_SHELL_TOKEN: must be 32–128 URL-safe characters/],
  ])('%j is refused naming the variable', (override, message) => {
    expect(() => backendConfigFromEnv({ ...goodEnv, ...override })).toThrow(message);
  });
});

describe('backendEnvironment', () => {
  test('passes the settings and the token, keeps ordinary variables, drops code-injecting ones', () => {
    // An inherited YBJS_CODE_CACHE_DIR is replaced too: the folder holds code the backend runs.
    const env = backendEnvironment({ PATH: '/usr/bin', NODE_OPTIONS: '--require /tmp/evil.js', ELECTRON_RUN_AS_NODE: '1', NODE_PATH: '/tmp', YBJS_PORT: '1', YBJS_CODE_CACHE_DIR: '/tmp/planted' }, { dataDir: '/d', port: 4321, token: TOKEN, codeCacheDir: '/u/backend-code-cache' });
    expect(env).toEqual({ PATH: '/usr/bin', YBJS_DATA_DIR: '/d', YBJS_PORT: '4321', YBJS_SHELL_TOKEN: TOKEN, YBJS_CODE_CACHE_DIR: '/u/backend-code-cache' });
  });
});

class FakeParentPort extends EventEmitter {
  readonly posted: BackendToMain[] = [];
  postMessage(message: BackendToMain): void { this.posted.push(message); }
  fromMain(data: unknown): void { this.emit('message', { data }); }
}

function setup(start: () => Promise<{ url: string; close(): Promise<void> }>, env: Record<string, string | undefined> = goodEnv) {
  const port = new FakeParentPort();
  const exits: number[] = [];
  const logs: string[] = [];
  let closed = 0;
  const done = runBackendChild({
    parentPort: port,
    env,
    start: async (config, options) => { const b = await start(); expect(config.mode).toBe('electron'); expect(options.extraOrigins).toEqual(['app://renderer']); return { url: b.url, close: async () => { closed += 1; await b.close(); } }; },
    exit: (code) => exits.push(code),
    log: (l) => logs.push(l),
  });
  return { port, exits, logs, done, closed: () => closed };
}

describe('runBackendChild', () => {
  test('reports ready with the URL, closes on shutdown and exits 0', async () => {
    const t = setup(async () => ({ url: 'http://127.0.0.1:5555/', close: async () => undefined }));
    await t.done;
    expect(t.port.posted).toEqual([{ type: 'ready', url: 'http://127.0.0.1:5555/' }]);
    t.port.fromMain({ type: 'shutdown' });
    t.port.fromMain({ type: 'shutdown' }); // a second request does not close twice
    await new Promise((r) => setTimeout(r, 0));
    expect(t.closed()).toBe(1);
    expect(t.exits).toEqual([0]);
  });

  test('ignores messages that are not a valid shutdown', async () => {
    const t = setup(async () => ({ url: 'http://127.0.0.1:5555/', close: async () => undefined }));
    await t.done;
    t.port.fromMain({ type: 'drop-tables' });
    t.port.fromMain('shutdown');
    await new Promise((r) => setTimeout(r, 0));
    expect(t.closed()).toBe(0);
    expect(t.logs).toHaveLength(2);
  });

  test('a backend that cannot start reports fatal with the reason and exits 1', async () => {
    const t = setup(async () => { throw new Error('listen EADDRINUSE 127.0.0.1:5555'); });
    await t.done;
    expect(t.port.posted).toEqual([{ type: 'fatal', message: 'listen EADDRINUSE 127.0.0.1:5555' }]);
    expect(t.exits).toEqual([1]);
  });

  test('a bad environment reports fatal naming the variable and exits 2, without starting anything', async () => {
    let started = false;
    const t = setup(async () => { started = true; return { url: 'x', close: async () => undefined }; }, { YBJS_DATA_DIR: '/d' });
    await t.done;
    expect(started).toBe(false);
    expect(t.port.posted[0]).toMatchObject({ type: 'fatal', message: expect.stringContaining('YBJS_SHELL_TOKEN') });
    expect(t.exits).toEqual([2]);
  });
});
