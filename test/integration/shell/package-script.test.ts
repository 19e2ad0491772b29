// `npm run package` where Electron cannot be fetched: it must stop before building anything, with
// one sentence that says what a release build needs. The "unreachable host" is a real closed
// loopback port (ELECTRON_MIRROR), with an empty Electron cache, so the result never depends on
// whether this machine happens to have network.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../../support/serve-process';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function runPackage(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['scripts/package.mjs', ...args], {
    cwd: repoRoot, encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
}

describe('npm run package without access to Electron', () => {
  test('fails with exit 1 and one sentence naming the host and what a release needs; builds nothing', async () => {
    const port = await closedPort();
    const result = runPackage(['--linux', '--dir'], { ELECTRON_MIRROR: `http://127.0.0.1:${port}/`, electron_config_cache: mkdtempSync(join(tmpdir(), 'ybjs-ecache-')) });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^npm run package: cannot download Electron \\d+\\.\\d+\\.\\d+ for linux-x64 from http://127\\.0\\.0\\.1:${port} \\(.+\\), so no installer can be built on this machine; a release build needs network access to Electron's release and headers hosts or mirrors \\(ELECTRON_MIRROR, npm_config_electron_mirror\\), see docs/desktop\\.md\\.$`));
    expect(result.stdout).toBe(''); // no build step ran (each prints as it starts)
  }, 60_000);

  test('the headers host is checked too (Electron found in the cache, headers unreachable)', async () => {
    const port = await closedPort();
    const cache = mkdtempSync(join(tmpdir(), 'ybjs-ecache-'));
    const version = (JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
    mkdirSync(join(cache, 'abc123'));
    writeFileSync(join(cache, 'abc123', `electron-v${version}-linux-x64.zip`), '');
    const result = runPackage(['--linux'], { electron_config_cache: cache, npm_config_electron_mirror: `http://127.0.0.1:${port}` });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/^npm run package: cannot download Electron [\d.]+'s headers \(to rebuild better-sqlite3 for Electron\) from http:\/\/127\.0\.0\.1:\d+ .*docs\/desktop\.md\.$/);
  }, 60_000);

  test('an unknown option is refused with one sentence and exit 2', () => {
    const result = runPackage(['--mac'], {});
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain("npm run package: Unknown option '--mac'");
  });
});
