// The backend's side of the utility process: read its settings from the environment main set,
// start the same backend `npm run serve` runs (mode 'electron', no static files: the renderer comes
// over app://, so that origin is the one extra origin the API accepts), report the URL to main, and
// close cleanly when asked.
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { type RunningBackend } from '../backend/backend';

/** What the child needs of a started backend: its URL and a way to stop it. */
type StartedBackend = Pick<RunningBackend, 'url' | 'close'>;
import { BackendConfig } from '../backend/config';
import { APP_ORIGIN } from './app-origin';
import { type BackendToMain, MainToBackend } from './backend-messages';
import { ENV } from './backend-env';
import { describeIssues } from './ipc-schemas';


const ShellBackendEnv = z.object({
  [ENV.dataDir]: z.string({ error: 'is required' }).min(1, 'is required').refine(isAbsolute, 'must be an absolute path'),
  [ENV.port]: z.string().regex(/^\d{1,5}$/, 'must be a port number').transform(Number)
    .refine((port) => port <= 65535, 'must be at most 65535').optional(),
  [ENV.token]: z.string({ error: 'is required' }).regex(/^[A-Za-z0-9_-]{32,128}$/, 'must be 32–128 URL-safe characters'),
});

export function backendConfigFromEnv(env: Readonly<Record<string, string | undefined>>): BackendConfig {
  const parsed = ShellBackendEnv.safeParse(env);
  if (!parsed.success) throw new Error(`backend environment: ${describeIssues(parsed.error)}`);
  return BackendConfig.parse({
    host: '127.0.0.1',
    port: parsed.data[ENV.port] ?? 0,
    dataDir: parsed.data[ENV.dataDir],
    rendererDir: null,
    mode: 'electron',
    shellToken: parsed.data[ENV.token],
  });
}

/** Electron's process.parentPort, as far as this module uses it. */
export interface ParentPortLike {
  on(event: 'message', listener: (event: { readonly data: unknown }) => void): unknown;
  postMessage(message: BackendToMain): void;
}

export interface BackendChildDeps {
  readonly parentPort: ParentPortLike;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** startBackend: extraOrigins lets the app:// page through the backend's Origin check (CORS). */
  readonly start: (config: BackendConfig, options: { extraOrigins: readonly string[] }) => Promise<StartedBackend>;
  readonly exit: (code: number) => void;
  readonly log: (line: string) => void;
}

export async function runBackendChild(deps: BackendChildDeps): Promise<void> {
  const fail = (code: number, error: unknown): void => {
    const message = error instanceof Error ? error.message : String(error);
    deps.parentPort.postMessage({ type: 'fatal', message: message.slice(0, 2000) });
    deps.exit(code);
  };
  let config: BackendConfig;
  try {
    config = backendConfigFromEnv(deps.env);
  } catch (error) {
    fail(2, error);
    return;
  }
  let backend: StartedBackend;
  try {
    backend = await deps.start(config, { extraOrigins: [APP_ORIGIN] });
  } catch (error) {
    fail(1, error);
    return;
  }
  let closing = false;
  deps.parentPort.on('message', (event) => {
    const parsed = MainToBackend.safeParse(event.data);
    if (!parsed.success) {
      deps.log(`backend: message from main ignored, ${describeIssues(parsed.error)}`);
      return;
    }
    if (closing) return;
    closing = true;
    backend.close().then(() => deps.exit(0), (error: unknown) => fail(1, error));
  });
  deps.parentPort.postMessage({ type: 'ready', url: backend.url });
}
