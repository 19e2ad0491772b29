// Runs the backend in a child (Electron's utility process in production) and keeps it running:
// validated ready/fatal messages, a startup deadline, restarts with backoff after a crash, a
// give-up after too many, a graceful stop. It never touches the window: a backend crash costs the
// renderer its API for a moment, not the window or what the operator sees.
import { type BackendStatusView } from './bridge-contract';
import { BackendToMain, type MainToBackend, originOf, portOf } from './backend-messages';
import { describeIssues } from './ipc-schemas';
import { type RestartPolicy } from './restart-policy';

/** What the supervisor needs of a child process; Electron's UtilityProcess provides it. */
export interface BackendChild {
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  postMessage(message: MainToBackend): void;
  kill(): boolean;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SupervisorDeps {
  /** Starts a backend child asked to listen on `port` (0: any free port). */
  readonly fork: (port: number) => BackendChild;
  readonly policy: RestartPolicy;
  readonly timers: Timers;
  readonly now: () => number;
  readonly onStatus: (status: BackendStatusView) => void;
  readonly log: (line: string) => void;
  readonly startupTimeoutMs?: number;
  readonly shutdownGraceMs?: number;
}

export class BackendSupervisor {
  private child: BackendChild | null = null;
  private current: BackendStatusView = { state: 'stopped', apiBaseUrl: null };
  private restartTimer: unknown = null;
  private lastReadyPort = 0;
  private stopping = false;
  private restartRequested = false;
  private readonly exitWaiters: Array<() => void> = [];

  constructor(private readonly deps: SupervisorDeps) {}

  get status(): BackendStatusView {
    return this.current;
  }

  start(): void {
    if (this.child !== null || this.restartTimer !== null) return;
    this.stopping = false;
    this.spawn(0);
  }

  /** Operator's "restart the backend" (tray): also the way back after the supervisor gave up. */
  restart(): void {
    this.deps.policy.reset();
    this.stopping = false;
    if (this.child !== null) {
      this.restartRequested = true;
      this.askToExit(this.child);
      return;
    }
    this.clearRestartTimer();
    this.spawn(this.lastReadyPort);
  }

  /** Asks the backend to close its database and server, then kills it after the grace period. */
  stop(): Promise<void> {
    this.stopping = true;
    this.clearRestartTimer();
    const child = this.child;
    if (child === null) {
      this.setStatus({ state: 'stopped', apiBaseUrl: null });
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.exitWaiters.push(resolve);
      this.askToExit(child);
    });
  }

  private askToExit(child: BackendChild): void {
    try {
      child.postMessage({ type: 'shutdown' });
    } catch (error) {
      this.deps.log(`backend: could not send shutdown (${String(error)}); killing it`);
      child.kill();
      return;
    }
    const killTimer = this.deps.timers.setTimeout(() => {
      if (this.child === child) {
        this.deps.log('backend: did not exit after shutdown; killing it');
        child.kill();
      }
    }, this.deps.shutdownGraceMs ?? 5_000);
    child.on('exit', () => this.deps.timers.clearTimeout(killTimer));
  }

  private spawn(port: number): void {
    this.setStatus({ state: 'starting', apiBaseUrl: null });
    const child = this.deps.fork(port);
    this.child = child;
    let ready = false;
    let fatal: string | null = null;
    const startupTimer = this.deps.timers.setTimeout(() => {
      this.deps.log(`backend: not ready within ${this.deps.startupTimeoutMs ?? 30_000} ms; killing it`);
      child.kill();
    }, this.deps.startupTimeoutMs ?? 30_000);

    child.on('message', (raw) => {
      if (this.child !== child) return;
      const parsed = BackendToMain.safeParse(raw);
      if (!parsed.success) {
        this.deps.log(`backend: message ignored, ${describeIssues(parsed.error)}`);
        return;
      }
      if (parsed.data.type === 'ready') {
        this.deps.timers.clearTimeout(startupTimer);
        ready = true;
        this.lastReadyPort = portOf(parsed.data.url);
        this.setStatus({ state: 'ready', apiBaseUrl: originOf(parsed.data.url) });
      } else {
        fatal = parsed.data.message;
        this.deps.log(`backend: fatal error reported: ${fatal}`);
      }
    });

    child.on('exit', (code) => {
      if (this.child !== child) return;
      this.deps.timers.clearTimeout(startupTimer);
      this.child = null;
      if (this.stopping) {
        this.setStatus({ state: 'stopped', apiBaseUrl: null });
        this.exitWaiters.splice(0).forEach((resolve) => resolve());
        return;
      }
      if (this.restartRequested) {
        this.restartRequested = false;
        this.spawn(this.lastReadyPort);
        return;
      }
      // Reuse the last good port so the renderer's CSP and base URL stay valid; if the child died
      // before it was ready (perhaps that port is taken now), let the OS pick one.
      const nextPort = ready ? this.lastReadyPort : 0;
      const reason = `后台服务退出（退出码 ${code}）${fatal ? `：${fatal}` : ''}`;
      this.deps.log(`backend: exited with code ${code}${ready ? '' : ' before it was ready'}`);
      const decision = this.deps.policy.recordCrash(this.deps.now());
      if (decision.action === 'give-up') {
        this.setStatus({ state: 'failed', apiBaseUrl: null, detail: `${reason}；短时间内已失败 ${decision.crashesInWindow} 次，已停止自动重启` });
        return;
      }
      this.setStatus({ state: 'restarting', apiBaseUrl: null, restartInMs: decision.delayMs, detail: reason });
      this.restartTimer = this.deps.timers.setTimeout(() => {
        this.restartTimer = null;
        this.spawn(nextPort);
      }, decision.delayMs);
    });
  }

  private clearRestartTimer(): void {
    if (this.restartTimer !== null) this.deps.timers.clearTimeout(this.restartTimer);
    this.restartTimer = null;
  }

  private setStatus(status: BackendStatusView): void {
    this.current = status;
    this.deps.onStatus(status);
  }
}
