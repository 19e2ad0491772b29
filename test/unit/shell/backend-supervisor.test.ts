// The backend's restart policy and supervisor, driven with plain child objects and a manual clock:
// crash → restart with backoff on the same port; N crashes in the window → give up (window kept);
// bad messages ignored; startup deadline; graceful stop; operator restart.
import { EventEmitter } from 'node:events';
import { describe, expect, test } from 'vitest';
import { type BackendStatusView } from '../../../electron/shell/bridge-contract';
import { type BackendChild, BackendSupervisor, type Timers } from '../../../electron/shell/backend-supervisor';
import { RestartPolicy } from '../../../electron/shell/restart-policy';
import { createStatusRelay, type RelayWindow } from '../../../electron/shell/status-relay';

describe('RestartPolicy', () => {
  const options = { maxCrashes: 4, windowMs: 60_000, baseDelayMs: 1_000, maxDelayMs: 5_000 };

  test('backs off exponentially, capped, and gives up at the Nth crash inside the window', () => {
    const policy = new RestartPolicy(options);
    expect(policy.recordCrash(0)).toEqual({ action: 'restart', delayMs: 1_000, crashesInWindow: 1 });
    expect(policy.recordCrash(1_000)).toEqual({ action: 'restart', delayMs: 2_000, crashesInWindow: 2 });
    expect(policy.recordCrash(3_000)).toEqual({ action: 'restart', delayMs: 4_000, crashesInWindow: 3 });
    expect(policy.recordCrash(7_000)).toEqual({ action: 'give-up', crashesInWindow: 4 });
  });

  test('the delay never exceeds the cap', () => {
    const policy = new RestartPolicy({ ...options, maxCrashes: 10 });
    const delays = [0, 1, 2, 3, 4, 5].map((t) => policy.recordCrash(t));
    expect(delays.map((d) => (d.action === 'restart' ? d.delayMs : -1))).toEqual([1_000, 2_000, 4_000, 5_000, 5_000, 5_000]);
  });

  test('crashes older than the window no longer count (a crash a day is not a crash loop)', () => {
    const policy = new RestartPolicy(options);
    for (let day = 0; day < 10; day += 1) expect(policy.recordCrash(day * 86_400_000)).toMatchObject({ action: 'restart', crashesInWindow: 1, delayMs: 1_000 });
  });

  test('reset starts the count again; nonsense options are refused', () => {
    const policy = new RestartPolicy(options);
    [0, 1, 2].forEach((t) => policy.recordCrash(t));
    policy.reset();
    expect(policy.recordCrash(3)).toMatchObject({ action: 'restart', crashesInWindow: 1 });
    expect(() => new RestartPolicy({ ...options, maxCrashes: 0 })).toThrow(/invalid options/);
    expect(() => new RestartPolicy({ ...options, maxDelayMs: 10 })).toThrow(/invalid options/);
  });
});

/** A manual clock implementing the Timers the supervisor is given. */
class ManualClock implements Timers {
  now = 0;
  private next = 1;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();
  setTimeout(callback: () => void, ms: number): number {
    const id = this.next++;
    this.pending.set(id, { at: this.now + ms, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.now = due[1].at;
      due[1].callback();
    }
    this.now = until;
  }
}

/** A child process stand-in: the test makes it speak and die. */
class FakeChild extends EventEmitter implements BackendChild {
  readonly sent: unknown[] = [];
  killed = false;
  constructor(readonly port: number) { super(); }
  postMessage(message: unknown): void { this.sent.push(message); }
  kill(): boolean { this.killed = true; return true; }
  ready(port: number): void { this.emit('message', { type: 'ready', url: `http://127.0.0.1:${port}/` }); }
  exit(code: number): void { this.emit('exit', code); }
}

function setup(policy = new RestartPolicy({ maxCrashes: 3, windowMs: 60_000, baseDelayMs: 1_000, maxDelayMs: 8_000 })) {
  const clock = new ManualClock();
  const children: FakeChild[] = [];
  const statuses: BackendStatusView[] = [];
  const logs: string[] = [];
  const supervisor = new BackendSupervisor({
    fork: (port) => { const child = new FakeChild(port); children.push(child); return child; },
    policy,
    timers: clock,
    now: () => clock.now,
    onStatus: (s) => statuses.push(s),
    log: (l) => logs.push(l),
    startupTimeoutMs: 10_000,
    shutdownGraceMs: 3_000,
  });
  const last = () => children[children.length - 1]!;
  return { clock, children, statuses, logs, supervisor, last, states: () => statuses.map((s) => s.state) };
}

describe('BackendSupervisor', () => {
  test('starts on any free port and reports ready with the backend origin', () => {
    const t = setup();
    t.supervisor.start();
    expect(t.last().port).toBe(0);
    t.last().ready(43210);
    expect(t.supervisor.status).toEqual({ state: 'ready', apiBaseUrl: 'http://127.0.0.1:43210' });
    expect(t.states()).toEqual(['starting', 'ready']);
  });

  test('a crash restarts after the backoff, on the same port, so the page keeps its URL and CSP', () => {
    const t = setup();
    t.supervisor.start();
    t.last().ready(43210);
    t.last().exit(3);
    expect(t.supervisor.status).toMatchObject({ state: 'restarting', apiBaseUrl: null, restartInMs: 1_000 });
    expect(t.supervisor.status.detail).toContain('退出码 3');
    t.clock.advance(999);
    expect(t.children).toHaveLength(1);
    t.clock.advance(1);
    expect(t.children).toHaveLength(2);
    expect(t.last().port).toBe(43210);
    t.last().ready(43210);
    expect(t.supervisor.status.state).toBe('ready');
  });

  test('a child that dies before it is ready is retried on a free port (the old one may be taken)', () => {
    const t = setup();
    t.supervisor.start();
    t.last().ready(43210);
    t.last().exit(1);
    t.clock.advance(1_000);
    t.last().emit('message', { type: 'fatal', message: 'listen EADDRINUSE: address already in use 127.0.0.1:43210' });
    t.last().exit(1);
    expect(t.supervisor.status.detail).toContain('EADDRINUSE');
    t.clock.advance(2_000);
    expect(t.last().port).toBe(0);
  });

  test('gives up after N crashes in the window, and the operator can restart it', () => {
    const t = setup();
    t.supervisor.start();
    for (const wait of [1_000, 2_000]) {
      t.last().exit(1);
      t.clock.advance(wait);
    }
    t.last().exit(1);
    expect(t.supervisor.status.state).toBe('failed');
    expect(t.supervisor.status.detail).toContain('已停止自动重启');
    t.clock.advance(10 * 60_000);
    expect(t.children).toHaveLength(3); // no further attempts on its own
    t.supervisor.restart();
    expect(t.children).toHaveLength(4);
    t.last().ready(5000);
    expect(t.supervisor.status.state).toBe('ready');
    t.last().exit(1); // the count started again: this is a restart, not a give-up
    expect(t.supervisor.status.state).toBe('restarting');
  });

  test('a backend that never says ready is killed at the deadline and counted as a crash', () => {
    const t = setup();
    t.supervisor.start();
    t.clock.advance(10_000);
    expect(t.last().killed).toBe(true);
    expect(t.logs.join('\n')).toContain('not ready within 10000 ms');
    t.last().exit(-1);
    expect(t.supervisor.status.state).toBe('restarting');
  });

  test('invalid or foreign messages are ignored and logged, never trusted', () => {
    const t = setup();
    t.supervisor.start();
    for (const message of [
      { type: 'ready', url: 'http://evil.example:80/' },
      { type: 'ready', url: 'http://127.0.0.1:0/' },
      { type: 'ready', url: 'http://127.0.0.1:80/', extra: true },
      { type: 'shutdown' },
      'ready',
      null,
    ]) t.last().emit('message', message);
    expect(t.supervisor.status.state).toBe('starting');
    expect(t.logs.filter((l) => l.includes('message ignored'))).toHaveLength(6);
  });

  test('events from a replaced child are ignored', () => {
    const t = setup();
    t.supervisor.start();
    const first = t.last();
    first.exit(1);
    t.clock.advance(1_000);
    first.ready(1234);
    first.exit(9);
    expect(t.supervisor.status.state).toBe('starting');
    expect(t.children).toHaveLength(2);
  });

  test('stop asks for a clean shutdown and resolves when the child exits; no restart follows', async () => {
    const t = setup();
    t.supervisor.start();
    t.last().ready(43210);
    const stopped = t.supervisor.stop();
    expect(t.last().sent).toEqual([{ type: 'shutdown' }]);
    t.last().exit(0);
    await stopped;
    expect(t.supervisor.status.state).toBe('stopped');
    t.clock.advance(60_000);
    expect(t.children).toHaveLength(1);
  });

  test('stop kills a backend that ignores the shutdown request after the grace period', async () => {
    const t = setup();
    t.supervisor.start();
    t.last().ready(43210);
    const stopped = t.supervisor.stop();
    t.clock.advance(3_000);
    expect(t.last().killed).toBe(true);
    t.last().exit(-9);
    await stopped;
    expect(t.supervisor.status.state).toBe('stopped');
  });

  test('stop during a restart backoff cancels the pending restart', async () => {
    const t = setup();
    t.supervisor.start();
    t.last().exit(1);
    await t.supervisor.stop();
    t.clock.advance(60_000);
    expect(t.children).toHaveLength(1);
    expect(t.supervisor.status.state).toBe('stopped');
  });

  test('operator restart of a healthy backend shuts it down and starts a new one without counting a crash', () => {
    const t = setup();
    t.supervisor.start();
    t.last().ready(43210);
    t.supervisor.restart();
    expect(t.last().sent).toEqual([{ type: 'shutdown' }]);
    t.last().exit(0);
    expect(t.children).toHaveLength(2);
    expect(t.last().port).toBe(43210);
    expect(t.states()).not.toContain('restarting');
  });
});

describe('status relay: the window is kept through crashes', () => {
  function fakeWindow() {
    const calls: string[] = [];
    const sent: BackendStatusView[] = [];
    const window: RelayWindow & { close(): void; destroy(): void } = {
      isDestroyed: () => false,
      webContents: {
        send: (_channel, status) => { sent.push(status); calls.push('send'); },
        reload: () => { calls.push('reload'); },
        loadURL: async (url) => { calls.push(`load ${url}`); },
      },
      close: () => { calls.push('close'); },
      destroy: () => { calls.push('destroy'); },
    };
    return { window, calls, sent };
  }

  test('first load waits for the backend; crashes are reported to the page; a new port reloads the page, never closes it', () => {
    const { window, calls, sent } = fakeWindow();
    const tray: string[] = [];
    const relay = createStatusRelay({ getWindow: () => window, updateTray: (s) => tray.push(s.state), log: () => undefined });
    relay({ state: 'starting', apiBaseUrl: null });
    expect(calls).toEqual([]);
    relay({ state: 'ready', apiBaseUrl: 'http://127.0.0.1:4000' });
    expect(calls).toEqual(['load app://renderer/index.html']);
    relay({ state: 'restarting', apiBaseUrl: null, restartInMs: 1000 });
    relay({ state: 'starting', apiBaseUrl: null });
    relay({ state: 'ready', apiBaseUrl: 'http://127.0.0.1:4000' }); // same port: just tell the page
    relay({ state: 'failed', apiBaseUrl: null, detail: 'x' });
    relay({ state: 'ready', apiBaseUrl: 'http://127.0.0.1:4001' }); // new port: the CSP must change
    expect(calls).toEqual(['load app://renderer/index.html', 'send', 'send', 'send', 'send', 'reload']);
    expect(sent.map((s) => s.state)).toEqual(['restarting', 'starting', 'ready', 'failed']);
    expect(tray).toEqual(['starting', 'ready', 'restarting', 'starting', 'ready', 'failed', 'ready']);
    expect(calls).not.toContain('close');
    expect(calls).not.toContain('destroy');
  });

  test('if the backend cannot start at all the UI still loads (it shows the failure)', () => {
    const { window, calls } = fakeWindow();
    const relay = createStatusRelay({ getWindow: () => window, updateTray: () => undefined, log: () => undefined });
    relay({ state: 'restarting', apiBaseUrl: null, restartInMs: 1000 });
    expect(calls).toEqual(['load app://renderer/index.html']);
    relay({ state: 'ready', apiBaseUrl: 'http://127.0.0.1:4000' });
    expect(calls).toEqual(['load app://renderer/index.html', 'reload']);
  });
});
