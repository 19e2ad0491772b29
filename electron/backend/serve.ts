// `npm run serve`: the backend as a plain Node process, serving the UI for a browser.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { ConfigError, configFromArgs } from './config';
import { startBackend } from './backend';

const rendererDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'renderer', 'dist');

const USAGE = 'usage: npm run serve -- [--port N] [--data-dir DIR]   (or YBJS_PORT, YBJS_DATA_DIR; binds 127.0.0.1 only)';

async function main(): Promise<void> {
  if (process.argv.slice(2).some((a) => a === '--help' || a === '-h')) { console.log(USAGE); return; }
  let config;
  try {
    config = configFromArgs(process.argv.slice(2), process.env, rendererDir);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`serve: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const backend = await startBackend(config);
  console.log(`医保结算助手 backend listening on ${backend.url} (data: ${config.dataDir})`);
  const stop = (): void => { void backend.close().then(() => process.exit(0)); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`serve: could not start: ${message}`);
  process.exit(1);
});
