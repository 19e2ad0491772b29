// Composes the backend: storage, devices, sync and the local API. The same module runs under
// `npm run serve` (plain Node) and inside Electron's utility process.
import { mkdirSync } from 'node:fs';
import { type BackendConfig } from './config';
import { EventBus } from './http/events';
import { announceListening } from './listening-event';
import { buildServer } from './server';
import { createRuntime, type Runtime } from './runtime';

export interface RunningBackend {
  readonly url: string;
  readonly runtime: Runtime;
  close(): Promise<void>;
}

export async function startBackend(config: BackendConfig, options: { extraOrigins?: readonly string[] } = {}): Promise<RunningBackend> {
  mkdirSync(config.dataDir, { recursive: true });
  const bus = new EventBus();
  const runtime = await createRuntime({ dataDir: config.dataDir, bus, ledgerUrl: config.ledgerUrl, tillId: config.tillId, ledgerSeat: config.ledgerSeat });
  try {
    const app = await buildServer(config, { runtime, bus, extraOrigins: options.extraOrigins ?? [] });
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    // The boot file (electron/shell/code-cache.ts) then writes the V8 code cache if it had none.
    announceListening();
    return {
      url: `http://${config.host}:${port}/`,
      runtime,
      close: async () => { await app.close(); await runtime.close(); },
    };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}
