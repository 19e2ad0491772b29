// The manager's 日结对账 page on a till with a store ledger (issue 17 item 3, the manager's side):
// two till backends (separate data folders, real processes; T1 serves the page) on one standalone
// sandbox centre and a real PostgreSQL ledger. Both tills sell; the manager at T1 sees the store's
// day (both tills' sales, every till with what it still has to push), checks it balanced. T2's next
// settlement is booked at the centre but its reply is lost: the store check finds it as 中心多 naming
// T2 and the sale. With T2 switched off the manager resolves it from T1: the row shows 等待收银台 T2,
// the close is refused naming T2. T2 back carries it out, the row shows its result, the day checks
// balanced and closes from T1.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { businessDate } from '../../core/checkout/business-date';
import { startSandbox, type RunningSandbox } from '../../native/sandbox/server';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { startBackendProcess, type ServeProcess } from '../support/serve-process';
import { PERSONS } from '../crash/pos';
import { ledgerQuery, Pos, tillDataDir, waitFor } from '../integration/ledger/support';
import { expectText, shot, signIn, startApp, type AppUnderTest } from './support/app';

let server: TestPostgres;
let sandbox: RunningSandbox;
let url: string;
let app: AppUnderTest;
let t2: ServeProcess | undefined;
const dirs = { T1: '', T2: '' };

beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase('store');
  sandbox = await startSandbox({ dataDir: mkdtempSync(join(tmpdir(), 'ybjs-sb-')), port: 0 });
  dirs.T1 = tillDataDir({ centreEndpoint: sandbox.endpoint, ledgerUrl: url, tillId: 'T1' });
  dirs.T2 = tillDataDir({ centreEndpoint: sandbox.endpoint, ledgerUrl: url, tillId: 'T2' });
  app = await startApp({ dataDir: dirs.T1 });
}, 120_000);
afterAll(async () => {
  await t2?.stop('SIGKILL');
  await app?.close();
  await sandbox?.close();
  await server?.destroy();
});

async function startT2(): Promise<Pos> {
  t2 = await startBackendProcess({ dataDir: dirs.T2, timeoutMs: 60_000 });
  const pos = new Pos(t2.url);
  await pos.signIn();
  return pos;
}

/** One insured sale to a given person (so both 3201 groups are the store's), arranged through the API as a POS would. */
async function sell(pos: Pos, person: (typeof PERSONS)[number], seed: number): Promise<{ id: string; state: string }> {
  let n = seed;
  const sale = await pos.identify(person, false);
  await pos.fill(sale.id, person, (k) => { n = (n * 1103515245 + 12345) % 2147483648; return n % k; });
  const settled = await pos.settle(sale.id, { acceptSelfPay: true });
  return { id: sale.id, state: settled.body?.state ?? `HTTP ${settled.status}` };
}

const pushed = (pos: Pos) => waitFor('the till pushed everything', async () => (await pos.ok('GET', '/api/status')).ledger?.pending === 0);

test('the manager at T1 sees, checks and closes the store day; a discrepancy of T2 resolved from T1 waits for T2, then shows its result', async () => {
  const today = businessDate(new Date());
  // Outside training mode a PIN set by someone else must be changed at first sign-in: Pos does that (and sets it back).
  const pos1 = new Pos(app.serve.url);
  await pos1.signIn();
  let pos2 = await startT2();
  const sales = [await sell(pos1, PERSONS[0], 11), await sell(pos2, PERSONS[1], 12), await sell(pos2, PERSONS[0], 13)];
  expect(sales.map((s) => s.state)).toEqual(['settled', 'settled', 'settled']);
  await pushed(pos1);
  await pushed(pos2);

  const page = await app.newPage();
  await signIn(page, 'manager');
  await page.getByTestId('nav-dayClose').click();
  await page.getByTestId('store-day').waitFor();
  expect(await page.getByTestId('day-close').count()).toBe(0);
  await expectText(page, 'day-state', '营业中');
  // Both tills' sales: per till, and the store's totals (the backend's figures).
  const arranged = (await app.api('manager', 'GET', `/api/store-ledger/days/${today}`)).body;
  expect(arranged.tills.map((t: any) => [t.tillId, t.sales])).toEqual([['T1', 1], ['T2', 2]]);
  await page.getByRole('tab', { name: '收银台' }).click();
  await expectText(page, 'store-till-T1', 'T1（本机）');
  await expectText(page, 'store-till-T2', '已上传');
  expect((await page.getByTestId('store-till-T2').locator('td').nth(1).innerText()).trim()).toBe('2');
  await expectText(page, 'totals-all', arranged.totals.all.medfee);
  expect((await page.getByTestId('totals-all').locator('td').nth(1).innerText()).trim()).toBe('3');

  // The store check: 3201 per group over both tills' sales.
  await page.getByTestId('check-day').click();
  await expectText(page, 'day-check-result', '全店：对账平');
  await shot(page, 'store-day-balanced');

  // T2: the centre books the next settlement, the reply is lost; the reversal the sync engine tries fails too.
  sandbox.setFaults({ dropAfterCommitRate: 1, infnos: ['2102'] });
  const lost = await sell(pos2, PERSONS[0], 14);
  sandbox.setFaults({ error5xxRate: 1, infnos: ['2601'] });
  expect(lost.state).toBe('provisional');
  await waitFor('T2 pushed its unconfirmed settlement', async () => {
    const [row] = await ledgerQuery<{ outbox_state: string }>(url, 'SELECT outbox_state FROM ledger_settlement WHERE sale_id = $1', [lost.id]);
    return row && ['unknown', 'reversing'].includes(row.outbox_state) && (await pos2.ok('GET', '/api/status')).ledger.pending === 0;
  });

  await page.getByTestId('check-day').click();
  await expectText(page, 'day-check-result', '全店：对账不平');
  await page.getByRole('tab', { name: /^差异/ }).click();
  const row = page.getByTestId('discrepancy-centre_only').filter({ hasText: lost.id });
  await expect.poll(() => row.innerText()).toContain('中心多');
  expect(await row.getByTestId('discrepancy-till').innerText()).toBe('T2');

  // T2 switched off; the manager resolves from T1's seat: filed for T2, shown as waiting for it.
  await t2!.stop('SIGTERM');
  await row.getByTestId('resolve-record_locally').click();
  await page.getByTestId('resolve-reason').fill('按中心结果补记');
  await page.getByTestId('resolve-reason').press('Enter');
  await expect.poll(() => row.getByTestId('store-request').count()).toBe(1);
  await expectText(page, 'store-request', '等待收银台 T2');
  expect(await row.getByTestId('resolve-record_locally').count()).toBe(0);
  await shot(page, 'store-day-pending');

  // The close lists what is unsettled; without the acknowledgement the backend refuses, naming T2.
  await page.getByTestId('close-day').click();
  await expectText(page, 'close-blockers', '等待收银台 T2 执行差异处理');
  // Said before closing: a close now would withdraw the waiting request.
  await expectText(page, 'close-blockers', '日结将撤回 1 条尚未执行的差异处理请求');
  await page.getByTestId('close-confirm').click();
  await expectText(page, 'close-error', '等待收银台 T2 执行差异处理');
  await page.getByTestId('close-ack').waitFor();
  await shot(page, 'store-day-close-refused');
  await page.keyboard.press('Escape');
  expect((await app.api('manager', 'GET', `/api/store-ledger/days/${today}`)).body.state).toBe('open');

  // T2 back: it carries the request out at its next ledger sync; the page shows its result without a reload.
  pos2 = await startT2();
  await waitFor('T2 carried it out', async () => {
    const day = (await app.api('manager', 'GET', `/api/store-ledger/days/${today}`)).body;
    return day.discrepancies.find((d: any) => d.saleId === lost.id)?.request?.status === 'done';
  }, 60_000);
  // The page reads the day again by itself while a resolution waits for its till.
  await expectText(page, 'store-request', '收银台 T2 已处理');
  await expect.poll(() => row.getByTestId('resolution').count()).toBe(1);
  await shot(page, 'store-day-resolved');

  // Its settlement confirmed and pushed, the store checks balanced and the day closes from T1.
  await waitFor('confirmed in the ledger', async () => (await ledgerQuery<{ s: string }>(url, 'SELECT outbox_state AS s FROM ledger_settlement WHERE sale_id = $1', [lost.id]))[0]?.s === 'confirmed');
  await pushed(pos2);
  sandbox.setFaults({});
  await page.getByTestId('check-day').click();
  await expectText(page, 'day-check-result', '全店：对账平');
  await page.getByTestId('close-day').click();
  await page.getByTestId('close-note').fill('全店日结');
  await page.getByTestId('close-confirm').click();
  await expectText(page, 'day-state', '已日结');
  await expectText(page, 'day-state', '收银台 T1');
  expect(await page.getByTestId('check-day').isDisabled()).toBe(true);
  const closed = (await app.api('manager', 'GET', `/api/store-ledger/days/${today}`)).body;
  expect(closed).toMatchObject({ state: 'closed', closed: { fromTill: 'T1' } });
  await shot(page, 'store-day-closed');
  expect(page.errors()).toEqual([]);
  await page.context().close();
}, 300_000);

test('a ledger setting the backend cannot use: the status bar names the problem and 日结对账 is the till\'s own day', async () => {
  const alone = await startApp({ args: ['--ledger-url', 'mysql://nowhere/db'] });
  try {
    const page = await alone.newPage();
    await signIn(page, 'manager');
    await expectText(page, 'status-ledger', '账本');
    expect((await alone.api('manager', 'GET', '/api/status')).body.ledger).toMatchObject({ tillId: 'T1', error: expect.stringContaining('ledgerUrl') });
    expect((await alone.api('manager', 'GET', '/api/store-ledger/days/2026-12-01')).body.error).toBe('NO_LEDGER');
    await page.getByTestId('nav-dayClose').click();
    await expectText(page, 'day-state', '营业中');
    expect(await page.getByTestId('day-close').count()).toBe(1);
    expect(await page.getByTestId('store-day').count()).toBe(0);
    expect(page.errors()).toEqual([]);
  } finally {
    await alone.close();
  }
});
