// `npm run --silent card -- <command>` as a child process against the simulated reader on a pty:
// JSON on stdout, exit codes 0 (done), 2 (bad arguments, naming the argument), 3 (reader/card failure).
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { toHex } from '../../../core/card/bytes';
import { startSerialSimulator, type SerialSimulator } from '../../../native/reader-sim/serial-sim';
import { simCardFor, trainingCard } from '../../../native/reader-sim/training-cards';
import { openPtyPair, type PtyPair } from '../../support/pty';
import { repoRoot } from '../../support/serve-process';
import { expectedHolder } from './rig';

interface Run { readonly code: number | null; readonly stdout: string; readonly stderr: string }

function card(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'card', '--', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`card ${args.join(' ')} did not exit within 20 s:\n${stdout}\n${stderr}`)); }, 20_000);
    child.once('exit', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

const shiyan = trainingCard('shiyan-active');
let pair: PtyPair;
let simulator: SerialSimulator;

beforeAll(async () => {
  pair = await openPtyPair();
  simulator = await startSerialSimulator(pair.a, { card: simCardFor(shiyan) });
});

afterAll(async () => {
  await simulator?.close();
  await pair?.kill();
});

describe('card CLI', () => {
  test('read: one JSON holder object, exit 0; the port is free again for the next run', async () => {
    for (let i = 0; i < 2; i++) {
      const run = await card('read', '--port', pair.b);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual(expectedHolder(shiyan));
      expect(run.stdout.trim().split('\n')).toHaveLength(1);
    }
  });

  test('read without a card: {"error":"NO_CARD"}, exit 3', async () => {
    simulator.sim.remove();
    try {
      const run = await card('read', '--port', pair.b, '--baud', '38400');
      expect(run.code).toBe(3);
      expect(JSON.parse(run.stdout)).toMatchObject({ error: 'NO_CARD', message: expect.stringContaining('no card') });
    } finally {
      simulator.sim.insert(simCardFor(shiyan));
    }
  });

  test('read on a port that does not exist: PORT_UNAVAILABLE with a hint, exit 3', async () => {
    const run = await card('read', '--port', '/dev/ybjs-no-such-port');
    expect(run.code).toBe(3);
    const out = JSON.parse(run.stdout) as { error: string; message: string };
    expect(out.error).toBe('PORT_UNAVAILABLE');
    expect(out.message).toMatch(/does not exist.*card -- list/);
  });

  test('bad arguments: exit 2 naming the argument, nothing on stdout', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['read'], /--port is required/],
      [['read', '--port', '/dev/x', '--baud', 'fast'], /--baud must be one of/],
      [['read', '--port', '/dev/x', '--colour', 'red'], /--colour/],
      [['beep', '--port', '/dev/x', '--ms', '5'], /--ms must be/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [[], /a command is required/],
    ];
    const runs = await Promise.all(cases.map(([args]) => card(...args)));
    runs.forEach((run, i) => {
      expect(run.code, cases[i]![0].join(' ')).toBe(2);
      expect(run.stderr).toMatch(cases[i]![1]);
      expect(run.stdout).toBe('');
    });
  });

  test('status: firmware and slot state, exit 0', async () => {
    const run = await card('status', '--port', pair.b);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ firmware: simulator.sim.firmware, card: expect.stringMatching(/^(present|powered)$/) });
  });

  test('beep: the reader sounds for the asked duration, exit 0', async () => {
    const before = simulator.sim.beeps.length;
    const run = await card('beep', '--port', pair.b, '--ms', '300');
    expect(run.code).toBe(0);
    expect(simulator.sim.beeps.slice(before)).toEqual([300]);
  });

  test('trace: every frame both ways with timestamps, holder data masked, redacted JSON last', async () => {
    const run = await card('trace', '--port', pair.b);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\s+\d+\.\d{3} ms {2}host→reader {2}F2 00 03 43 51 30 03 D0 {2}cold reset/);
    expect(lines.filter((l) => l.includes('host→reader  F2'))).toHaveLength(20);
    expect(lines.filter((l) => l.includes('reader→host  F2'))).toHaveLength(20);
    const ssnHex = toHex(new TextEncoder().encode(shiyan.profile.ssn)).replace(/(..)(?!$)/g, '$1 ');
    expect(run.stdout).not.toContain(shiyan.profile.ssn);
    expect(run.stdout).not.toContain(ssnHex);
    expect(run.stdout).not.toContain(shiyan.profile.name);
    const outcome = JSON.parse(lines.at(-1)!) as Record<string, string>;
    expect(outcome.cardNo).toBe(shiyan.profile.cardNo);
    expect(outcome.ssn).toBe('420302********0017');
    expect(outcome.name).toBe('测**');
  });

  test('list: every kind (serial ports, PC/SC readers or why PC/SC is unavailable), exit 0', async () => {
    const run = await card('list');
    expect(run.code).toBe(0);
    const found = JSON.parse(run.stdout) as { serial: unknown[]; pcsc: { unavailable: string | null; readers: unknown[] } };
    expect(Object.keys(found).sort()).toEqual(['pcsc', 'serial']);
    // No pcscd runs for this test process: PC/SC says why, in a sentence, instead of failing the list.
    expect(found.pcsc.unavailable === null || /smart-card service|PC\/SC binding/.test(found.pcsc.unavailable)).toBe(true);
    const ports = found.serial;
    expect(Array.isArray(ports)).toBe(true);
    for (const p of ports as Array<Record<string, unknown>>) {
      expect(Object.keys(p).sort()).toEqual(['manufacturer', 'path', 'productId', 'serialNumber', 'vendorId']);
      expect(typeof p.path).toBe('string');
      for (const key of ['manufacturer', 'vendorId', 'productId', 'serialNumber']) expect(p[key] === null || typeof p[key] === 'string').toBe(true);
    }
  });
});
