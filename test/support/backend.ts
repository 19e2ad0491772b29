// An in-process backend on a free loopback port with a fresh data folder, plus a small client.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend, type RunningBackend } from '../../electron/backend/backend';
import { BackendConfig } from '../../electron/backend/config';

export interface TestBackend extends RunningBackend {
  readonly dataDir: string;
  call(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string }): Promise<{ status: number; body: any; headers: Headers }>;
  login(operatorId: string, pin: string): Promise<string>;
}

export async function startTestBackend(options: { dataDir?: string; extraOrigins?: string[] } = {}): Promise<TestBackend> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ybjs-api-'));
  const config = BackendConfig.parse({ host: '127.0.0.1', port: 0, dataDir, rendererDir: null, mode: 'browser' });
  const backend = await startBackend(config, { extraOrigins: options.extraOrigins ?? [] });
  const call: TestBackend['call'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined = o.rawBody;
    if (o.body !== undefined) { body = JSON.stringify(o.body); headers['content-type'] = 'application/json'; }
    if (o.rawBody !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(new URL(path.replace(/^\//, ''), backend.url), { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try { parsed = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
    return { status: response.status, body: parsed, headers: response.headers };
  };
  const login = async (operatorId: string, pin: string): Promise<string> => {
    const r = await call('POST', '/api/session', { body: { operatorId, pin } });
    if (r.status !== 200) throw new Error(`login ${operatorId} failed: ${r.status} ${JSON.stringify(r.body)}`);
    return (r.body as { token: string }).token;
  };
  return { ...backend, dataDir, call, login };
}
