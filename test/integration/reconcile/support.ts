// Helpers for the reconciliation tests: a manager beside the training till, a centre client that
// talks to the sandbox directly (for changes made "only at the centre"), and waiting for sync.
import { createCentreClient } from '../../../core/centre/client';
import { type CentrePort } from '../../../core/centre/port';
import { TRAINING_IDENTITY, TRAINING_TERMINAL } from '../../../core/centre/training';
import { HttpJsonTransport } from '../../../native/centre/http-transport';
import { type TestBackend } from '../../support/backend';
import { type Till } from '../../support/checkout';

/** Another system at the centre (a second terminal, the centre's own staff): not this store's checkout. */
export function directCentre(api: TestBackend): CentrePort {
  const sandbox = api.runtime.sandbox!;
  return createCentreClient({
    transport: new HttpJsonTransport({ url: sandbox.endpoint, connectTimeoutMs: 2_000, responseTimeoutMs: 10_000 }),
    identity: TRAINING_IDENTITY, clock: () => new Date(), terminal: TRAINING_TERMINAL, nextMsgid: () => api.runtime.settlements.allocateMsgid(),
  });
}

export async function waitForSyncState(till: Till, saleId: string, states: readonly string[], timeoutMs = 20_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  let sale = await till.ok('GET', `/api/sales/${saleId}`);
  while (!states.includes(sale.syncState) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    sale = await till.ok('GET', `/api/sales/${saleId}`);
  }
  if (!states.includes(sale.syncState)) throw new Error(`sale ${saleId} stayed ${sale.syncState}, expected ${states.join('/')}`);
  return sale;
}

export class Manager {
  constructor(readonly api: TestBackend, readonly token: string) {}

  call(method: string, path: string, body?: unknown) {
    return this.api.call(method, path, { token: this.token, body });
  }

  async ok(method: string, path: string, body?: unknown): Promise<any> {
    const r = await this.call(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  check(date: string): Promise<any> {
    return this.ok('POST', `/api/reconciliation/days/${date}/check`);
  }

  resolve(id: string, action: string, reason = '') {
    return this.call('POST', `/api/reconciliation/discrepancies/${id}/resolve`, { action, reason });
  }
}

/** Sum of two-decimal strings as a two-decimal string (integer cents, exact). */
export function addAmounts(...values: string[]): string {
  const cents = values.reduce((acc, v) => acc + BigInt(v.replace('.', '').replace(/^(-?)0+(?=\d)/, '$1')), 0n);
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}
