// Tills on a store ledger for the tests: a data folder configured for a standalone sandbox centre
// (training pharmacy code) and a ledger, a sale helper, and readers of the ledger's tables.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { TRAINING_IDENTITY } from '../../../core/centre/training';
import { CentreSettings } from '../../../core/contracts/technician';
import { openStore } from '../../../electron/backend/store';
import { CENTRE_SETTINGS_KEY } from '../../../electron/backend/runtime';
import { startSandbox, type RunningSandbox } from '../../../native/sandbox/server';
import { PERSONS, Pos } from '../../crash/pos';
import { startPostgres, type TestPostgres } from '../../support/postgres';
import { startBackendProcess, type ServeProcess } from '../../support/serve-process';

export interface TillConfig {
  readonly centreEndpoint: string;
  readonly ledgerUrl: string | null;
  readonly tillId: string | null;
  readonly institution?: { code: string; name: string; areaCode: string };
  /** headoffice: head office's seat (no till registered). */
  readonly ledgerSeat?: 'till' | 'headoffice' | null;
}

/** A fresh data folder whose stored centre settings point at `centreEndpoint` and the ledger. */
export function tillDataDir(config: TillConfig, dataDir = mkdtempSync(join(tmpdir(), 'ybjs-till-'))): string {
  const store = openStore(dataDir);
  try {
    const inst = config.institution ?? { code: TRAINING_IDENTITY.fixmedinsCode, name: TRAINING_IDENTITY.fixmedinsName, areaCode: TRAINING_IDENTITY.mdtrtareaAdmvs };
    store.settings.set('T01', CENTRE_SETTINGS_KEY, CentreSettings, {
      mode: 'http', url: config.centreEndpoint, institutionCode: inst.code, institutionName: inst.name, areaCode: inst.areaCode,
      timeoutMs: 3000, policyFeedUrl: null, ledgerUrl: config.ledgerUrl, tillId: config.tillId, ledgerSeat: config.ledgerSeat ?? null,
    });
  } finally {
    store.close();
  }
  return dataDir;
}

/** A real PostgreSQL with one ledger database, a standalone sandbox centre, and till processes on both. */
export interface LedgerRig {
  readonly server: TestPostgres;
  readonly sandbox: RunningSandbox;
  /** The ledger database's connection string. */
  readonly url: string;
  /** A fresh data folder for till `tillId` on this rig's sandbox and ledger. */
  tillDir(tillId: string): string;
  /** Starts the backend as a process on `dataDir` (default: a fresh `tillDir`) and signs in. */
  launch(tillId: string, dataDir?: string): Promise<Pos>;
  /** The running process of till `tillId` (the last one launched under that id). */
  proc(tillId: string): ServeProcess;
}

/**
 * Registers the suite's beforeAll/afterAll (PostgreSQL + sandbox up; every process started by
 * `launch` killed, the sandbox closed and the server destroyed at the end) and returns the rig.
 */
export function ledgerRig(database: string): LedgerRig {
  let server: TestPostgres | undefined;
  let sandbox: RunningSandbox | undefined;
  let url: string | undefined;
  const procs: ServeProcess[] = [];
  const byTill = new Map<string, ServeProcess>();
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`ledgerRig: ${what} is used before beforeAll ran`);
    return value;
  };
  beforeAll(async () => {
    server = await startPostgres();
    url = await server.createDatabase(database);
    sandbox = await startSandbox({ dataDir: mkdtempSync(join(tmpdir(), 'ybjs-sb-')), port: 0 });
  }, 60_000);
  afterAll(async () => {
    for (const p of procs) await p.stop('SIGKILL');
    await sandbox?.close();
    await server?.destroy();
  });
  const rig: LedgerRig = {
    get server() { return ready(server, 'server'); },
    get sandbox() { return ready(sandbox, 'sandbox'); },
    get url() { return ready(url, 'url'); },
    tillDir: (tillId) => tillDataDir({ centreEndpoint: rig.sandbox.endpoint, ledgerUrl: rig.url, tillId }),
    launch: async (tillId, dataDir = rig.tillDir(tillId)) => {
      const proc = await startBackendProcess({ dataDir, timeoutMs: 60_000 });
      procs.push(proc);
      byTill.set(tillId, proc);
      const pos = new Pos(proc.url);
      await pos.signIn();
      return pos;
    },
    proc: (tillId) => ready(byTill.get(tillId), `till ${tillId}'s process`),
  };
  return rig;
}

let counter = 0;
/** One complete insured sale (identify by ID number, prescription, basket, settle); returns its id and state. */
export async function sellOne(pos: Pos, seed: number): Promise<{ id: string; state: string; status: number }> {
  let n = seed + counter++;
  const rnd = (k: number): number => { n = (n * 1103515245 + 12345) % 2147483648; return n % k; };
  const person = PERSONS[rnd(PERSONS.length)]!;
  const sale = await pos.identify(person, false);
  await pos.fill(sale.id, person, rnd);
  const settled = await pos.settle(sale.id, { acceptSelfPay: true });
  return { id: sale.id, state: settled.body?.state ?? 'error', status: settled.status };
}

export async function ledgerQuery<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try { return (await client.query<T>(sql, params)).rows; } finally { await client.end(); }
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) { last = error; }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export { Pos };
