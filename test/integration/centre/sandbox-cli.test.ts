// `npm run sandbox` as a real process: it listens on 127.0.0.1, answers the national endpoint and
// keeps its state in its data folder; bad arguments exit 2 naming the argument.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { repoRoot, tsxBin } from '../../support/serve-process';
import { client, person, tempDir } from './fixture';

const running = new Set<ReturnType<typeof spawn>>();
// SIGTERM, not SIGKILL: tsx passes it on to the sandbox process it started.
afterEach(() => { for (const child of running) child.kill('SIGTERM'); });

function startCli(args: string[]) {
  const child = spawn(tsxBin(), ['electron/cli/sandbox.ts', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const endpoint = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL in 30 s:\n${out}`)), 30_000);
    child.stdout!.on('data', () => {
      const m = /endpoint (http:\/\/127\.0\.0\.1:\d+\/\S+),/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    });
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`exited ${code}:\n${out}`)); });
  });
  return { child, exited, endpoint, output: () => out };
}

describe('npm run sandbox', () => {
  test('serves the centre on loopback with its own database, and stops on SIGTERM', async () => {
    const dataDir = tempDir('sandbox-cli');
    const cli = startCli(['--port', '0', '--data-dir', dataDir, '--latency-ms', '1-3', '--publish', 'core/policy/packages/360100-nanchang.json']);
    const endpoint = await cli.endpoint;
    const c = client({ endpoint });
    const p = person('chuxiong-active');
    const outcome = await c.centre.personInfo({ data: { mdtrt_cert_type: '03', mdtrt_cert_no: p.cardNo, card_sn: p.cardSn } });
    expect(outcome.kind === 'ok' && outcome.output.baseinfo.psn_name).toBe(p.name);
    expect(cli.output()).toContain('publishing policy package 360100-nanchang-2023-draft');
    const feed = await (await fetch(new URL('/sandbox/policy-packages', endpoint))).json() as { packages: Array<{ keyId: string }> };
    expect(feed.packages.length).toBeGreaterThanOrEqual(5);
    expect(feed.packages.every((p) => p.keyId === 'ybjs-training-2025')).toBe(true);
    const summary = await (await fetch(new URL('/sandbox/summary', endpoint))).json();
    expect(summary).toMatchObject({ settled: 0 });
    await c.transport.close();
    expect(existsSync(join(dataDir, 'sandbox.db'))).toBe(true);
    // Logs name the transaction and msgid, never the person.
    expect(cli.output()).toMatch(/sandbox: 1101 P42030200001\d{18} ok/);
    expect(cli.output()).not.toContain(p.name);
    expect(cli.output()).not.toContain(p.certno);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  test('bad arguments exit 2 with the argument named', () => {
    const run = spawnSync(tsxBin(), ['electron/cli/sandbox.ts', '--refuse-rate', 'often'], { cwd: repoRoot, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--refuse-rate: must be a probability/);
  });
});
