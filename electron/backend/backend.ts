// Composes the backend: storage, devices, sync and the local API. The same module runs under
// `npm run serve` (plain Node) and inside Electron's utility process.
import { mkdirSync } from 'node:fs';
import { type BackendConfig } from './config';
import { EventBus } from './http/events';
import { buildServer } from './server';
import { openStore } from './store';

export interface RunningBackend {
  readonly url: string;
  close(): Promise<void>;
}

export async function startBackend(config: BackendConfig, options: { extraOrigins?: readonly string[] } = {}): Promise<RunningBackend> {
  mkdirSync(config.dataDir, { recursive: true });
  const store = openStore(config.dataDir);
  const bus = new EventBus();
  try {
    const app = await buildServer(config, { store, bus, extraOrigins: options.extraOrigins ?? [] });
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    return {
      url: `http://${config.host}:${port}/`,
      close: async () => { await app.close(); store.close(); },
    };
  } catch (error) {
    store.close();
    throw error;
  }
}
