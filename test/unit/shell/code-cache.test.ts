// The boot file's V8 code cache (electron/shell/code-cache.ts): the bundle runs the same with or
// without a cache, the cache is written only once start-up is announced, reused when it matches,
// and rebuilt when the bundle changed or V8 refuses it.
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { BACKEND_LISTENING_EVENT, announceListening } from '../../../electron/backend/listening-event';
import { runBundleWithCodeCache } from '../../../electron/shell/code-cache';

const runs = (): number[] => ((globalThis as { __codeCacheTestRuns?: number[] }).__codeCacheTestRuns ??= []);

let dir: string;
let bundle: string;
let cacheDir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ybjs-code-cache-'));
  bundle = join(dir, 'bundle.cjs');
  cacheDir = join(dir, 'cache');
  runs().length = 0;
  writeFileSync(join(dir, 'dep.cjs'), 'module.exports = 20;');
  // Like the real bundle: CommonJS, requires a file next to itself, runs code at load.
  writeFileSync(bundle, "const dep = require('./dep.cjs'); function answer(x) { return x + dep; } globalThis.__codeCacheTestRuns.push(answer(22)); module.exports = { file: __filename };");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function start(events = new EventEmitter(), log: string[] = []) {
  const run = runBundleWithCodeCache(bundle, { cacheDir, log: (line) => log.push(line), events });
  return { run, events, log };
}

describe('runBundleWithCodeCache', () => {
  test('the first start compiles from source and writes the cache only once start-up is announced', async () => {
    const { run, events } = start();
    expect(run.outcome).toBe('none');
    expect(runs()).toEqual([42]); // the bundle ran, its require resolved from its own folder
    expect(existsSync(run.cacheFile!)).toBe(false);
    announceListening(events);
    await run.written;
    expect(readFileSync(run.cacheFile!).subarray(0, 17).toString()).toBe('ybjs-code-cache/1');
  });

  test('the next start uses the cache and does not write it again', async () => {
    const first = start();
    first.events.emit(BACKEND_LISTENING_EVENT);
    await first.run.written;
    const written = readFileSync(first.run.cacheFile!);
    const second = start();
    expect(second.run.outcome).toBe('used');
    expect(second.events.listenerCount(BACKEND_LISTENING_EVENT)).toBe(0);
    expect(runs()).toEqual([42, 42]);
    expect(readFileSync(second.run.cacheFile!).equals(written)).toBe(true);
  });

  test('a changed bundle ignores the old cache (stale) and writes a new one', async () => {
    const first = start();
    first.events.emit(BACKEND_LISTENING_EVENT);
    await first.run.written;
    // Same length, different code: V8's own check would not notice, the header's SHA-256 does.
    writeFileSync(bundle, readFileSync(bundle, 'utf8').replace('x + dep', 'x - dep'));
    const second = start();
    expect(second.run.outcome).toBe('stale');
    expect(runs()).toEqual([42, 2]);
    second.events.emit(BACKEND_LISTENING_EVENT);
    await second.run.written;
    expect(start().run.outcome).toBe('used');
  });

  test('a cache V8 refuses (damaged payload, right header) is rejected, the bundle still runs, and the cache is rebuilt', async () => {
    const first = start();
    first.events.emit(BACKEND_LISTENING_EVENT);
    await first.run.written;
    // A bundle this process never compiled (V8 would otherwise answer from its in-memory cache),
    // with a cache file whose header names it and whose payload is garbage.
    const oldSource = readFileSync(bundle);
    writeFileSync(bundle, readFileSync(bundle, 'utf8').replace('x + dep', 'dep + x'));
    const file = readFileSync(first.run.cacheFile!);
    const headerEnd = file.indexOf(0x0a) + 1;
    const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
    const header = file.subarray(0, headerEnd).toString().replace(sha(oldSource), sha(readFileSync(bundle)));
    writeFileSync(first.run.cacheFile!, Buffer.concat([Buffer.from(header), Buffer.alloc(file.length - headerEnd, 0x5a)]));
    const second = start();
    expect(second.run.outcome).toBe('rejected');
    expect(runs()).toEqual([42, 42]);
    second.events.emit(BACKEND_LISTENING_EVENT);
    await second.run.written;
    expect(readFileSync(first.run.cacheFile!).subarray(headerEnd).every((b) => b === 0x5a)).toBe(false);
  });

  test('no cache folder: runs uncached and writes nothing', () => {
    const events = new EventEmitter();
    const run = runBundleWithCodeCache(bundle, { cacheDir: null, log: () => undefined, events });
    expect([run.outcome, run.cacheFile]).toEqual(['off', null]);
    expect(events.listenerCount(BACKEND_LISTENING_EVENT)).toBe(0);
    expect(runs()).toEqual([42]);
  });

  test('a cache that cannot be written is logged, never fatal', async () => {
    cacheDir = join(dir, 'dep.cjs', 'cache'); // under a file: mkdir fails
    const { run, events, log } = start();
    events.emit(BACKEND_LISTENING_EVENT);
    await run.written;
    expect(log).toEqual([expect.stringMatching(/^backend code cache not there yet/), expect.stringMatching(/^backend code cache not written \(the next start compiles again\): /)]);
  });

  test('an error thrown by the bundle at load reaches the caller', () => {
    writeFileSync(bundle, "throw new Error('bundle broke');");
    expect(() => start()).toThrow('bundle broke');
  });
});
