// A stand-alone sync process: opens a store database, drains its settlement outbox to a centre and
// exits when nothing is left to do. Used by the crash test (SIGKILLed at random moments and
// restarted) and usable as a background job.
//   tsx native/sync/drain-worker.ts --db STORE.db --centre URL [--identity JSON] [--edition national] [--timeout-ms 2000] [--max-ms 600000]
// Prints "drain-worker: ready" once recovered and started, "drain-worker: idle" before exiting 0.
// Gives up after --max-ms (exit 3) so a forgotten worker never runs for ever.
import { parseArgs } from 'node:util';
import { createCentreClient } from '../../core/centre/client';
import { DEFAULT_EDITION_ID, editionById } from '../../core/centre/editions';
import { CentreIdentitySchema } from '../../core/centre/envelope';
import { TRAINING_IDENTITY, TRAINING_TERMINAL } from '../../core/centre/training';
import { openDatabase } from '../db/open';
import { storeMigrations } from '../store/migrations';
import { HttpJsonTransport } from '../centre/http-transport';
import { zipFileCodec } from '../centre/zip';
import { SyncEngine } from './engine';
import { SettlementStore } from './settlement-store';

const OPEN_STATES = ['pending', 'sending', 'unknown', 'querying', 'reversing'] as const;

export async function runDrainWorker(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: { db: { type: 'string' }, centre: { type: 'string' }, identity: { type: 'string' }, edition: { type: 'string' }, 'timeout-ms': { type: 'string' }, 'max-ms': { type: 'string' } }, strict: true });
  if (!values.db) throw new Error('--db: required');
  if (!values.centre || !/^http:\/\/127\.0\.0\.1:\d+\//.test(values.centre)) throw new Error('--centre: required, an http://127.0.0.1:PORT/… URL');
  const identity = CentreIdentitySchema.parse(values.identity ? JSON.parse(values.identity) : TRAINING_IDENTITY);
  const timeoutMs = milliseconds(values['timeout-ms'], '--timeout-ms', 2000);
  const deadline = Date.now() + milliseconds(values['max-ms'], '--max-ms', 600_000);
  const db = openDatabase(values.db, storeMigrations);
  const store = new SettlementStore(db, { fixmedinsCode: identity.fixmedinsCode });
  const transport = new HttpJsonTransport({ url: values.centre, connectTimeoutMs: 1000, responseTimeoutMs: timeoutMs });
  const edition = editionById(values.edition ?? DEFAULT_EDITION_ID);
  const centre = createCentreClient({ transport, identity, clock: () => new Date(), nextMsgid: () => store.allocateMsgid(), terminal: TRAINING_TERMINAL, files: zipFileCodec, edition });
  const engine = new SyncEngine({ store, centre, backoff: { baseMs: 20, maxMs: 500, jitter: 0.3 }, entryBackoff: { baseMs: 20, maxMs: 500, jitter: 0.3 } });
  engine.start();
  process.stdout.write('drain-worker: ready\n');
  let drained = false;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const counts = store.counts();
    if (OPEN_STATES.every((s) => counts[s] === 0)) { drained = true; break; }
    if (!engine.status().draining) engine.kick();
  }
  await engine.stop();
  await transport.close();
  db.close();
  process.stdout.write(drained ? 'drain-worker: idle\n' : 'drain-worker: gave up (--max-ms reached), entries left open\n');
  return drained ? 0 : 3;
}

function milliseconds(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1) throw new Error(`${flag}: must be a positive whole number of milliseconds, got ${JSON.stringify(text)}`);
  return Number(text);
}

if (process.argv[1] && /drain-worker\.ts$/.test(process.argv[1])) {
  runDrainWorker(process.argv.slice(2)).then((code) => process.exit(code), (error: unknown) => {
    console.error(`drain-worker: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
