// The traceability soak: many insured sales with 追溯码 (whole boxes and 拆零), online and through
// offline periods, some refunded, while the platform drops replies and refuses rows. At the end the
// platform's counts equal the boxes sold, to the box. CI runs 40 sales; the 300-sale run is
//   YBJS_TRACE_SOAK_SALES=300 npx vitest run test/integration/trace/soak.test.ts
import { expect, test } from 'vitest';
import { SKU, traceCode, useTill } from '../../support/checkout';

const SALES = Number(process.env.YBJS_TRACE_SOAK_SALES ?? 40);
const env = useTill();
const PERSONS = ['nanchang-active', 'jincheng-active', 'shiyan-active', 'shiyan-retired'];
const DRUGS = [{ sku: SKU.A01, code: 'TRAIN-D-A01' }, { sku: SKU.B01, code: 'TRAIN-D-B01' }, { sku: SKU.B02, code: 'TRAIN-D-B02' }];

test(`${SALES} sales with traceability codes: the platform holds every box sold exactly once`, async () => {
  let seed = 1234;
  const rnd = (k: number): number => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return seed % k; };
  const { till } = env;
  const sandbox = env.api.runtime.sandbox!;
  sandbox.setFaults({ seed: 3, dropAfterCommitRate: 0.1, rowRejectRate: 0.05, infnos: ['3505', '3506', '3505A', '3506A'] });
  for (const p of PERSONS) await till.startByCard(p); // seen online once, so they can be served offline
  const wholeBoxes = new Set<string>();
  const splitOpenings: string[] = [];
  const refunded = new Set<string>();
  const openBoxes: string[] = [];
  let offline = false;
  for (let i = 0; i < SALES; i++) {
    if (i % 10 === 5) { offline = !offline; await till.centreOnline(!offline); }
    const sale = await till.startByCard(PERSONS[rnd(PERSONS.length)]!);
    await till.prescription(sale.id, 'TRAIN-H360102-L1', DRUGS.map((d) => d.code));
    const lines = DRUGS.filter(() => rnd(3) > 0).map((d) => {
      if (rnd(5) === 0) {
        const box = openBoxes.length && rnd(2) === 0 ? openBoxes[rnd(openBoxes.length)]! : traceCode();
        if (!openBoxes.includes(box)) openBoxes.push(box);
        return { sku: d.sku, qty: '0.5', price: '4.00', split: true, traceCodes: [box] };
      }
      const qty = 1 + rnd(3);
      return { sku: d.sku, qty: String(qty), price: `${5 + rnd(20)}.00`, traceCodes: Array.from({ length: qty }, traceCode) };
    });
    if (lines.length === 0) lines.push({ sku: SKU.A01, qty: '1', price: '9.00', traceCodes: [traceCode()] });
    await till.basket(sale.id, lines);
    const settled = await till.ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: true, acceptSelfPay: true });
    if (settled.state === 'selfpay') continue;
    for (const l of lines) for (const c of l.traceCodes) { if (l.split) splitOpenings.push(c); else wholeBoxes.add(c); }
    // Now and then an online sale is refunded (its boxes go back on the shelf and are reported returned).
    if (!offline && settled.state === 'settled' && rnd(8) === 0) {
      await till.ok('POST', `/api/sales/${sale.id}/refund`, { reason: '顾客退货' });
      refunded.add(sale.id);
    }
  }
  if (offline) await till.centreOnline(true);
  const store = env.api.runtime.reports.store;
  const deadline = Date.now() + 90_000;
  const open = (): number => { const c = store.counts(); return c.queued + c.sending + c.rejected; };
  while ((open() > 0 || env.api.runtime.sync.status().counts.pending > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  expect(open()).toBe(0);

  const summary = sandbox.reports.summary(env.api.runtime.identity.fixmedinsCode);
  const counts = sandbox.reports.codeCounts(env.api.runtime.identity.fixmedinsCode);
  // To the box: every whole box once, every 拆零 opening once per sale that opened it.
  expect(summary.codesReported).toBe(wholeBoxes.size + splitOpenings.length);
  for (const c of wholeBoxes) expect(counts.get(c)).toBe(1);
  const openings = new Map<string, number>();
  for (const c of splitOpenings) openings.set(c, (openings.get(c) ?? 0) + 1);
  for (const [c, n] of openings) expect(counts.get(c)).toBe(n);
  expect(counts.size).toBe(wholeBoxes.size + openings.size);
  // Refunds reported as returns, one per reported sale row of each refunded sale.
  const returnRows = store.list({ limit: 100_000 }).filter((r) => r.kind === 'return');
  expect(new Set(returnRows.map((r) => r.saleId))).toEqual(refunded);
  expect(summary.returnRows).toBe(returnRows.length);
  expect(summary.repeatsAnswered).toBeGreaterThan(0);
}, 240_000);
