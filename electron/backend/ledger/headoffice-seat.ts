// Head office's seat at a chain's ledger (ledgerSeat headoffice, or YBJS_LEDGER_SEAT=headoffice):
// the app the 总部 operator signs in to reads the chain's ledger for the head-office routes, and
// nothing else. It registers no till (no ledger_till row, whatever its 定点编码), pushes and
// replicates nothing, applies no publication and carries out no resolution; its checkout routes
// answer 409 (see ./seat-guard.ts). The status shows 总部（连锁账本：<name>） and whether the ledger
// answered the last probe; a ledger it cannot serve (a single store's, not a ledger yet, a newer
// schema) is an error naming the setting, never LEDGER_OTHER_STORE.
import { LEDGER_SEAT_SETTING, LEDGER_SETTING, LedgerSetupError } from '../../../core/ledger/port';
import { type PgLedger } from '../../../native/ledger/pg-ledger';
import { type ReplicatorStatus } from '../../../native/ledger/replicator';
import { type LedgerLink } from './link';

/** How often the seat asks the ledger whether it is there (and what the chain is called). */
export const SEAT_PROBE_MS = 5_000;

export interface HeadOfficeSeatOptions {
  /** Null: no ledger configured (the seat then says so, naming ledgerUrl). */
  readonly url: string | null;
  readonly tillId: string;
  readonly log: (line: string) => void;
  readonly onStatus: () => void;
  readonly probeMs?: number;
}

export async function startHeadOfficeSeat(options: HeadOfficeSeatOptions): Promise<LedgerLink> {
  let ledger: PgLedger | null = null;
  let problem: LedgerSetupError | null = null;
  if (options.url === null) {
    problem = new LedgerSetupError('LEDGER_URL_INVALID', `总部席位需要连锁账本的连接串：请填写 中心连接 → 门店账本 ledgerUrl（或 YBJS_LEDGER_URL），或把 ${LEDGER_SEAT_SETTING} 改回 till`, 'ledgerUrl');
  } else {
    // pg is loaded only by a seat that has a ledger to read (see ./link.ts).
    const { PgLedger } = await import('../../../native/ledger/pg-ledger');
    try {
      ledger = new PgLedger({ url: options.url });
    } catch (error) {
      if (!(error instanceof LedgerSetupError)) throw error;
      problem = error;
    }
  }
  if (problem) options.log(`ledger (head office seat): ${problem.message}`);
  let chain: string | null = null;
  let reachable = false;
  let lastProblemAt = new Date().toISOString();
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const probe = async (): Promise<void> => {
    if (!ledger || stopped) return;
    const before = JSON.stringify([chain, reachable, problem?.message ?? null]);
    try {
      chain = (await ledger.chainInfo()).name;
      reachable = true;
      problem = null;
    } catch (error) {
      problem = !(error instanceof LedgerSetupError) ? new LedgerSetupError('LEDGER_UNREACHABLE', error instanceof Error ? error.message : String(error), 'ledgerUrl')
        // The till's wording speaks of selling and uploading; the seat does neither.
        : error.code === 'LEDGER_UNREACHABLE' && error.where !== undefined
          ? new LedgerSetupError(error.code, `连不上连锁账本 ${error.where}：总部页面暂时读不到账本，恢复后自动重连；若地址有误请检查 ${LEDGER_SETTING}`, error.setting, error.where)
          : error;
      // A ledger that answered (with the wrong kind of ledger) is reachable; one that did not is not.
      reachable = problem.code !== 'LEDGER_UNREACHABLE';
      lastProblemAt = new Date().toISOString();
    }
    if (JSON.stringify([chain, reachable, problem?.message ?? null]) !== before) {
      if (problem) options.log(`ledger (head office seat): ${problem.message}`);
      options.onStatus();
    }
  };
  const tick = (): void => { running = running.then(probe, probe); };
  tick();
  const timer = ledger ? setInterval(tick, options.probeMs ?? SEAT_PROBE_MS) : null;
  timer?.unref();
  const replicationStatus = (): ReplicatorStatus => ({
    pending: 0, registered: false, lastPushAt: null,
    lastError: problem && { code: problem.code, message: problem.message, setting: problem.setting, at: lastProblemAt },
  });
  return {
    seat: 'headoffice', tillId: options.tillId, ledger, replicator: null, replicationStatus,
    // Head office carries out no resolution: there is no sync to run work after.
    onSync: () => {},
    soldInChain: () => Promise.reject(new Error('总部席位不收银')),
    status: () => ({ tillId: options.tillId, pending: 0, error: problem?.message ?? null, seat: 'headoffice', chain, reachable }),
    setupProblem: () => (problem && problem.code !== 'LEDGER_UNREACHABLE' ? problem : null),
    close: async () => {
      stopped = true;
      if (timer) clearInterval(timer);
      await running.catch(() => {});
      await ledger?.close();
    },
  };
}
