// Tills on a store ledger for the tests: a data folder configured for a standalone sandbox centre
// (training pharmacy code) and a ledger, a sale helper, and readers of the ledger's tables.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { TRAINING_IDENTITY } from '../../../core/centre/training';
import { CentreSettings } from '../../../core/contracts/technician';
import { openStore } from '../../../electron/backend/store';
import { CENTRE_SETTINGS_KEY } from '../../../electron/backend/runtime';
import { PERSONS, Pos } from '../../crash/pos';

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
