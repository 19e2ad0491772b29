// Composes the backend: storage, devices, sync and the local API. The same module runs under
// `npm run serve` (plain Node) and inside Electron's utility process.
import { mkdirSync } from 'node:fs';
import { type BackendConfig } from './config';
import { buildServer } from './server';

export interface RunningBackend {
  readonly url: string;
  close(): Promise<void>;
}

export async function startBackend(config: BackendConfig): Promise<RunningBackend> {
  mkdirSync(config.dataDir, { recursive: true });
  const app = await buildServer(config);
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    url: `http://${config.host}:${port}/`,
    close: async () => { await app.close(); },
  };
}
