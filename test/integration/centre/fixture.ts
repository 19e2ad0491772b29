// Shared by the centre and sync integration tests and the drain benchmark: a real sandbox centre on
// loopback, a real centre client over HTTP, store databases in temp folders, and training baskets.
import { paperRx } from '../../support/paper-rx';
import { afterAll, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCentreClient } from '../../../core/centre/client';
import { editionFromFile } from '../../../core/centre/editions';
import { type EditionProfile } from '../../../core/centre/editions/schema';
import byMsgidFile from '../../fixtures/editions/by-msgid.json';
import { settleInputFromBasket, type BasketLine } from '../../../core/centre/build';
import { msgidGenerator } from '../../../core/centre/msgid';
import { type CentreOutcome } from '../../../core/centre/outcome';
import { TRAINING_IDENTITY, TRAINING_TERMINAL } from '../../../core/centre/training';
import { type SettleInputDraft } from '../../../core/centre/tx/settle';
import { quote } from '../../../core/copay/engine';
import { embeddedPackages } from '../../../core/policy/embedded';
import { trainingCatalogue } from '../../../core/policy/reference';
import { type Split } from '../../../core/sync/split';
import { openDatabase, type Db } from '../../../native/db/open';
import { HttpJsonTransport, type HttpTransportOptions } from '../../../native/centre/http-transport';
import { zipFileCodec } from '../../../native/centre/zip';
import { type FaultConfigInput } from '../../../native/sandbox/faults';
import { startSandbox, type RunningSandbox } from '../../../native/sandbox/server';
import { trainingPersons, type PersonSeed } from '../../../native/sandbox/seed';
import { storeMigrations } from '../../../native/store/migrations';
import { SettlementStore } from '../../../native/sync/settlement-store';

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `ybjs-${prefix}-`));

/** 2025-06-16 10:00 China time: every policy the sale needs (南昌, 山西) is in force. */
export const SALE_TIME = new Date('2025-06-16T02:00:00Z');
export const fixedClock = (): Date => new Date(SALE_TIME);

/**
 * A test-only profile: national plus 5203 by our msgid (medins_setl_id). No public 5203 defines that
 * lookup, so no shipped edition has it; it drives the sync engine's query-by-msgid recovery (the
 * path an imported profile that defines it would take). Give it to both sandbox() and client().
 */
export const BY_MSGID: EditionProfile = editionFromFile(byMsgidFile, 'test/fixtures/editions/by-msgid.json');

export async function sandbox(faults: FaultConfigInput = {}, options: { clock?: () => Date; dataDir?: string; edition?: EditionProfile } = {}): Promise<RunningSandbox> {
  return startSandbox({ dataDir: options.dataDir ?? tempDir('sandbox'), port: 0, faults, clock: options.clock ?? fixedClock, ...(options.edition ? { edition: options.edition } : {}) });
}

export function client(sb: Pick<RunningSandbox, 'endpoint'>, options: Partial<HttpTransportOptions> & { nextMsgid?: () => string; clock?: () => Date; edition?: EditionProfile } = {}) {
  const transport = new HttpJsonTransport({ url: sb.endpoint, connectTimeoutMs: 1000, responseTimeoutMs: 3000, ...options });
  const clock = options.clock ?? (() => new Date());
  // One generator for the client's own calls and the test's settlements, so msgids never collide.
  const nextMsgid = options.nextMsgid ?? msgidGenerator(TRAINING_IDENTITY.fixmedinsCode, clock);
  const centre = createCentreClient({ transport, identity: TRAINING_IDENTITY, clock, terminal: TRAINING_TERMINAL, files: zipFileCodec, nextMsgid, ...(options.edition ? { edition: options.edition } : {}) });
  return { centre, transport, nextMsgid };
}

export function storeDb(path = join(tempDir('store'), 'store.db')): { db: Db; path: string; store: SettlementStore } {
  const db = openDatabase(path, storeMigrations);
  return { db, path, store: new SettlementStore(db, { fixmedinsCode: TRAINING_IDENTITY.fixmedinsCode }) };
}

export const PERSONS: readonly PersonSeed[] = trainingPersons();
export const person = (fixtureId: string): PersonSeed => {
  const p = PERSONS.find((x) => x.fixtureId === fixtureId);
  if (!p) throw new Error(`no training person ${fixtureId}`);
  return p;
};

/** A training institution of the person's region and level, as the prescription issuer. */
const ISSUER_DISTRICT: Record<string, string> = { '4203': '420302', '3601': '360102', '1405': '140502', '5000': '500103', '5001': '500103', '5323': '532301' };
export function issuerFor(p: PersonSeed, level: 1 | 2 | 3): string {
  const district = ISSUER_DISTRICT[p.insuplcAdmdvs.slice(0, 4)];
  if (!district) throw new Error(`no training institution near ${p.insuplcAdmdvs}`);
  return `TRAIN-H${district}-L${level}`;
}

const CATALOGUE = new Map(trainingCatalogue().map((c) => [c.code, c]));

export interface Sale {
  readonly request: SettleInputDraft;
  readonly provisional: Split;
  readonly insuplcAdmdvs: string;
}

/**
 * A sale as the store would record it offline: the 2102 input, and the provisional split the store's
 * engine makes with its own (here: fresh-year, untouched) totals and the seed balance.
 */
export function sale(p: PersonSeed, lines: ReadonlyArray<Omit<BasketLine, 'medinsListCodg'>>, options: { useAccount?: boolean; issuerLevel?: 1 | 2 | 3 | null; at?: Date } = {}): Sale {
  const level = options.issuerLevel === undefined ? 1 : options.issuerLevel;
  const request = settleInputFromBasket({
    psnNo: p.psnNo, certType: '02', certNo: p.certno, insutype: p.insutype, saleTime: options.at ?? SALE_TIME,
    useAccount: options.useAccount ?? true, rx: paperRx(level === null ? null : issuerFor(p, level)),
    lines: lines.map((l) => ({ ...l, medinsListCodg: `SKU-${l.medListCodg}` })),
  });
  const q = quote({
    region: p.insuplcAdmdvs, date: (options.at ?? SALE_TIME).toISOString().slice(0, 10),
    person: { status: p.status, ...(p.retiredOn ? { retiredOn: p.retiredOn } : {}), hospitalized: p.hospitalized, suspended: p.suspended },
    year: { deductibleMet: '0.00', fundPaid: '0.00' },
    account: { balance: p.balance, use: options.useAccount ?? true },
    prescription: level === null ? null : { issuerLevel: level },
    lines: lines.map((l) => {
      const c = CATALOGUE.get(l.medListCodg);
      if (!c) return { code: l.medListCodg, qty: l.qty, price: l.price, listClass: 'C' as const };
      return { code: c.code, qty: l.qty, price: l.price, listClass: c.listClass, kind: c.kind, ...(c.selfPayRatio ? { selfPayRatio: c.selfPayRatio } : {}), ...(c.limitPrice ? { limitPrice: c.limitPrice } : {}) };
    }),
  }, embeddedPackages());
  return { request, insuplcAdmdvs: p.insuplcAdmdvs, provisional: { total: q.total, fund: q.fund, account: q.account, cash: q.cash } };
}

/** The file's sandbox and a real client to it, started before its tests and closed after them. */
export function useSandboxClient(): { sb: RunningSandbox; c: ReturnType<typeof client> } {
  const env = {} as { sb: RunningSandbox; c: ReturnType<typeof client> };
  beforeAll(async () => {
    env.sb = await sandbox();
    env.c = client(env.sb);
  });
  afterAll(async () => {
    await env.c?.transport.close();
    await env.sb?.close();
  });
  return env;
}

/** The output of a call that must succeed. */
export function ok<T>(outcome: CentreOutcome<T>): T {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.output;
}
