// Drives a sale through the local API the way a POS would, for the checkout tests.
import { businessDate } from '../../core/checkout/business-date';
import { trainingDoctorCode } from '../../core/policy/training-doctors';
import { afterAll, beforeAll } from 'vitest';
import { startTestBackend, type TestBackend } from './backend';

export const today = (): string => businessDate(new Date());

/** Training SKUs (electron/backend/runtime.ts TRAINING_SKUS) by the catalogue class they map to. */
export const SKU = {
  A01: '6901000000011', A02: '6901000000028', B01: '6901000000035', B02: '6901000000042',
  C01: '6901000000059', DEVICE: '6901000000066', CONSUMABLE: '6901000000073', GOODS: '6901000000080', UNMAPPED: '6901000000999',
} as const;

let codeSeq = 0;
/** A fresh, well-formed traceability code (20 digits starting with 8), unique within the run. */
export function traceCode(): string {
  codeSeq += 1;
  return `8${String(Date.now() % 1e9).padStart(9, '0')}${String(codeSeq).padStart(10, '0')}`;
}

export class Till {
  constructor(readonly api: TestBackend, readonly token: string) {}

  async insertCard(fixtureId: string | null): Promise<void> {
    const r = await this.api.call('POST', '/api/training/card', { token: this.token, body: { fixtureId } });
    if (r.status !== 200) throw new Error(`insert card: ${r.status} ${JSON.stringify(r.body)}`);
  }

  async centreOnline(online: boolean): Promise<void> {
    const r = await this.api.call('POST', '/api/training/centre', { token: this.token, body: { online } });
    if (r.status !== 200) throw new Error(`centre online=${online}: ${r.status} ${JSON.stringify(r.body)}`);
  }

  call(method: string, path: string, body?: unknown, headers?: Record<string, string>) {
    return this.api.call(method, path, { token: this.token, body, headers });
  }

  async ok(method: string, path: string, body?: unknown): Promise<any> {
    const r = await this.call(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async startByCard(fixtureId: string): Promise<any> {
    await this.insertCard(fixtureId);
    return this.ok('POST', '/api/sales', { identify: { method: 'card' } });
  }

  prescription(id: string, issuerCode: string, items: string[], issuedOn = today()): Promise<any> {
    return this.ok('PUT', `/api/sales/${id}/prescription`, { issuerCode, rxNo: `RX-${id.slice(-6)}`, issuedOn, prescriber: '王医生', prescriberCode: issuerCode.startsWith('TRAIN-') ? trainingDoctorCode(issuerCode) : 'D000000000001', items });
  }

  basket(id: string, lines: Array<{ sku: string; qty: string; price: string; name?: string; kind?: string; split?: boolean; traceCodes?: string[] }>): Promise<any> {
    return this.ok('PUT', `/api/sales/${id}/basket`, {
      lines: lines.map((l) => ({ name: l.name ?? `商品${l.sku.slice(-3)}`, traceCodes: l.traceCodes ?? (l.split ? [] : Array.from({ length: Number(l.qty) }, traceCode)), ...l })),
    });
  }
}

/** A backend with the sandbox for the file's tests, and a till signed in as the training cashier. */
/** Polls `probe` every 50 ms until it gives a value (not undefined); fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function useTill(): { api: TestBackend; till: Till } {
  const env = {} as { api: TestBackend; till: Till };
  beforeAll(async () => {
    env.api = await startTestBackend();
    env.till = new Till(env.api, await env.api.login('1001', '1111'));
  });
  afterAll(async () => { await env.api?.close(); });
  return env;
}
