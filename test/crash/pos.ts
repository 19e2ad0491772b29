// The POS side of the crash suite: a till talking to the backend process over HTTP the way an
// integrated POS does (bearer tokens, Idempotency-Key on settle), following the backend across
// restarts (each restart listens on a new port; tokens live in the store and survive).
import { trainingDoctorCode } from '../../core/policy/training-doctors';
import { businessDate } from '../../core/checkout/business-date';
import { traceCode } from '../support/checkout';

export interface Reply { status: number; body: any }

/** The two training persons whose policies are in force now, with issuers in their regions. */
export const PERSONS = [
  { fixtureId: 'nanchang-active', idNumber: '36010219920708002X', district: '360102' },
  { fixtureId: 'jincheng-active', idNumber: '140502197811300035', district: '140502' },
] as const;

/** Training SKUs (electron/backend/runtime.ts TRAINING_SKUS) of insured drugs and their catalogue codes. */
const DRUGS = [
  { sku: '6901000000011', code: 'TRAIN-D-A01' },
  { sku: '6901000000028', code: 'TRAIN-D-A02' },
  { sku: '6901000000035', code: 'TRAIN-D-B01' },
  { sku: '6901000000042', code: 'TRAIN-D-B02' },
] as const;

export class Pos {
  cashier = '';
  manager = '';

  constructor(public url: string) {}

  /** One request; a dropped connection (the backend was killed) rejects. */
  async call(method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(new URL(path.replace(/^\//, ''), this.url), {
      method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await response.text();
    let body: unknown = text;
    try { body = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
    return { status: response.status, body };
  }

  /** A request that must succeed. */
  async ok(method: string, path: string, body?: unknown, token = this.cashier): Promise<any> {
    const r = await this.call(method, path, { token, body });
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async signIn(): Promise<void> {
    this.cashier = await this.signInAs('1001', '1111');
    this.manager = await this.signInAs('2001', '2222');
  }

  /** An operator's session token. */
  async signInAs(operatorId: string, pin: string): Promise<string> {
    const r = await this.call('POST', '/api/session', { body: { operatorId, pin } });
    if (r.status !== 200) throw new Error(`login ${operatorId}: ${r.status} ${JSON.stringify(r.body)}`);
    const token = r.body.token as string;
    // Outside training a PIN set by someone else must be changed at first sign-in (issue 13). The rig's
    // operators set their own PIN, then choose the old one again, so every later sign-in (after a
    // restart, from another test helper) still uses the documented training PIN.
    if (r.body.pinChangeRequired) {
      for (const [currentPin, newPin] of [[pin, `${pin}9`], [`${pin}9`, pin]] as const) {
        const changed = await this.call('POST', '/api/session/pin', { token, body: { currentPin, newPin } });
        if (changed.status !== 200) throw new Error(`PIN change ${operatorId}: ${changed.status} ${JSON.stringify(changed.body)}`);
      }
    }
    return token;
  }

  /** Identify (card in the virtual reader, or the ID number) and open a sale. */
  async identify(person: (typeof PERSONS)[number], byCard: boolean): Promise<any> {
    if (byCard) {
      await this.ok('POST', '/api/training/card', { fixtureId: person.fixtureId });
      return this.ok('POST', '/api/sales', { identify: { method: 'card' } });
    }
    return this.ok('POST', '/api/sales', { identify: { method: 'idNumber', idNumber: person.idNumber } });
  }

  /** Prescription and a basket of 1–3 insured drugs with random prices. */
  async fill(saleId: string, person: (typeof PERSONS)[number], rnd: (k: number) => number): Promise<void> {
    const lines = Array.from({ length: 1 + rnd(3) }, () => DRUGS[rnd(DRUGS.length)]!)
      .filter((d, i, all) => all.findIndex((x) => x.sku === d.sku) === i)
      .map((d) => {
        const qty = 1 + rnd(3);
        return { sku: d.sku, name: `药品${d.code.slice(-3)}`, qty: String(qty), price: `${3 + rnd(60)}.${String(rnd(100)).padStart(2, '0')}`, traceCodes: Array.from({ length: qty }, traceCode) };
      });
    const issuerCode = `TRAIN-H${person.district}-L${1 + rnd(3)}`;
    await this.ok('PUT', `/api/sales/${saleId}/prescription`, {
      issuerCode, prescriberCode: trainingDoctorCode(issuerCode), rxNo: `RX-${saleId.slice(-8)}`, issuedOn: businessDate(new Date()),
      prescriber: '王医生', items: DRUGS.map((d) => d.code),
    });
    await this.ok('PUT', `/api/sales/${saleId}/basket`, { lines });
  }

  settle(saleId: string, options: { acceptSelfPay?: boolean } = {}): Promise<Reply> {
    return this.call('POST', `/api/sales/${saleId}/settle`, {
      token: this.cashier, body: { useAccount: true, acceptSelfPay: options.acceptSelfPay ?? false }, headers: { 'idempotency-key': `settle-${saleId}` },
    });
  }
}
