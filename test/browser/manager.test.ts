// The manager's workspace: operators (add, deactivate — the deactivated id can no longer sign in),
// POS tokens (created and shown once, usable by a POS, then revoked), and the end of day: a
// provisional sale whose centre split differs, found by the check, resolved, the day closed,
// the report printed, the day exported, and the charts of the day and the month.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startApp, signIn, shot, expectText, type AppUnderTest } from './support/app';
import { settleElsewhere } from '../support/elsewhere';

let app: AppUnderTest;
beforeAll(async () => { app = await startApp(); });
afterAll(async () => { await app?.close(); });

test('a manager adds a cashier, who can then sign in, and deactivates them, after which they cannot', async () => {
  const page = await app.newPage();
  await signIn(page, 'manager');
  await page.getByTestId('nav-operators').click();
  await page.getByTestId('operators').getByText('1001').waitFor();

  await page.getByTestId('add-operator').click();
  // A bad PIN is refused in Chinese before anything is sent.
  await page.getByTestId('new-operator-id').fill('1002');
  await page.getByTestId('new-operator-name').fill('李小红');
  await page.getByTestId('new-operator-pin').fill('12');
  await page.getByTestId('new-operator-pin').press('Enter');
  await expect.poll(() => page.getByText('密码应为 4–8 位数字').count()).toBeGreaterThan(0);
  await page.getByTestId('new-operator-pin').fill('4321');
  await page.getByTestId('new-operator-pin').press('Enter');
  await page.getByTestId('operators').getByText('李小红').waitFor();
  await shot(page, 'manager-operators');

  const login = (pin: string) => fetch(new URL('api/session', app.serve.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ operatorId: '1002', pin }) });
  expect((await login('4321')).status).toBe(200);

  await page.getByTestId('deactivate-1002').click();
  await page.getByRole('button', { name: /^确\s*定$/ }).click();
  await page.getByTestId('operators').getByText('已停用').waitFor();
  expect((await login('4321')).status).toBe(401);
  // The manager cannot deactivate themself: no button for the signed-in id.
  expect(await page.getByTestId('deactivate-2001').count()).toBe(0);
  expect(page.errors()).toEqual([]);
  await page.context().close();
});

test('a manager creates a POS token, sees it once, the POS can use it, and after revoking it cannot', async () => {
  const page = await app.newPage();
  await signIn(page, 'manager');
  await page.getByTestId('nav-posTokens').click();
  await page.getByTestId('pos-name').fill('前台收银机 1');
  await page.getByTestId('pos-name').press('Enter');
  await page.getByTestId('created-token').waitFor();
  const token = (await page.getByTestId('created-token').innerText()).trim();
  expect(token.length).toBeGreaterThan(16);
  await shot(page, 'manager-pos-token-created');
  await page.getByRole('button', { name: /^确\s*定$/ }).click();
  await expectText(page, 'pos-tokens', '有效');

  const asPos = () => fetch(new URL('api/session', app.serve.url), { headers: { authorization: `Bearer ${token}` } });
  expect((await asPos()).status).toBe(200);
  await page.getByTestId('revoke-前台收银机 1').click();
  await page.getByRole('button', { name: /^确\s*定$/ }).click();
  await expectText(page, 'pos-tokens', '已吊销');
  expect((await asPos()).status).toBe(401);
  await shot(page, 'manager-pos-tokens');
  expect(page.errors()).toEqual([]);
  await page.context().close();
});

/** Arranged through the API as the till would (the cashier's screens are tested in cashier.test.ts). */
async function provisionalSaleThatSyncsWithADifference(): Promise<string> {
  const ok = async (method: string, path: string, body?: unknown): Promise<any> => {
    const r = await app.api('cashier', method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  await ok('POST', '/api/training/card', { fixtureId: 'nanchang-near-cap' });
  // The till caches the centre's year figures (5206) with a purchase at another pharmacy in them; that
  // purchase is then refunded there, so the centre pays more fund than the till estimates offline.
  const endpoint = /training sandbox centre at (\S+)/.exec(app.serve.output())?.[1];
  if (!endpoint) throw new Error(`serve did not name its training sandbox:\n${app.serve.output()}`);
  const elsewhere = await settleElsewhere(endpoint, 'nanchang-near-cap', 'TRAIN-H360102-L1', [{ medListCodg: 'TRAIN-D-A01', qty: '1', price: '100.00' }]);
  await ok('POST', '/api/sales', { identify: { method: 'card' } }); // seen online once: cached
  await elsewhere.cancel();
  await ok('POST', '/api/training/centre', { online: false });
  const sale = await ok('POST', '/api/sales', { identify: { method: 'card' } });
  await ok('PUT', `/api/sales/${sale.id}/prescription`, { issuerCode: 'TRAIN-H360102-L1', rxNo: 'RX-9', issuedOn: sale.businessDate, prescriber: '王医生', prescriberCode: 'DR-H360102-L1', items: ['TRAIN-D-A01'] });
  await ok('PUT', `/api/sales/${sale.id}/basket`, { lines: [{ sku: '6901000000011', name: '甲类口服药', qty: '1', price: '80.00', traceCodes: ['81234567890123450001'] }] });
  expect((await ok('POST', `/api/sales/${sale.id}/settle`, { useAccount: false })).state).toBe('provisional');
  await ok('POST', '/api/training/centre', { online: true });
  await expect.poll(async () => (await ok('GET', `/api/sales/${sale.id}`)).centre?.difference?.cash ?? null, { timeout: 20_000 }).not.toBeNull();
  return sale.id;
}

test('end of day: the check finds the provisional difference, the manager resolves it, closes the day, prints and exports it', async () => {
  const saleId = await provisionalSaleThatSyncsWithADifference();
  const page = await app.newPage();
  await signIn(page, 'manager');
  await expectText(page, 'manager-sales', saleId);
  await shot(page, 'manager-sales');

  await page.getByTestId('nav-dayClose').click();
  await expectText(page, 'day-state', '营业中');
  await page.getByTestId('check-day').click();
  await page.getByTestId('day-check-result').waitFor();
  const row = page.getByTestId('discrepancy-provisional_difference');
  await expect.poll(() => row.innerText()).toContain('暂估差额');
  expect(await row.innerText()).toContain(saleId);
  await expectText(page, 'day-balanced', '未对平');
  await shot(page, 'manager-day-check');

  // Closing with an open discrepancy needs an explicit acknowledgement: refused without it.
  await page.getByTestId('close-day').click();
  await page.getByTestId('close-confirm').click();
  await expectText(page, 'close-error', '请先勾选');
  await page.keyboard.press('Escape');

  // The centre paid the patient's cash share differently: give the difference back.
  await row.getByTestId('resolve-refund_to_patient').click();
  await page.getByTestId('resolve-reason').fill('患者到店领取差额');
  await page.getByTestId('resolve-reason').press('Enter');
  await expect.poll(() => row.innerText()).toContain('已处理');
  await expectText(page, 'discrepancy-provisional_difference', '退还患者');

  await page.getByTestId('check-day').click();
  await expectText(page, 'day-balanced', '已对平');
  await page.getByTestId('close-day').click();
  await page.getByTestId('close-note').fill('日结');
  await page.getByTestId('close-confirm').click();
  await expectText(page, 'day-state', '已日结');
  const date = await page.getByTestId('day-date').inputValue();
  expect((await app.api('manager', 'GET', `/api/reconciliation/days/${date}`)).body.state).toBe('closed');
  await shot(page, 'manager-day-closed');

  // The daily report, and the day as a spreadsheet and as CSV (browser downloads).
  await page.getByTestId('day-report').click();
  await expectText(page, 'print-preview', date);
  await page.keyboard.press('Escape');
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
  expect(xlsx.suggestedFilename()).toBe(`reconciliation-${date}_${date}.xlsx`);
  expect(readFileSync((await xlsx.path())!).subarray(0, 2).toString()).toBe('PK');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  expect(readFileSync((await csv.path())!, 'utf8')).toContain(date);

  // Charts of the day and the month, drawn as SVG with Chinese labels.
  await page.getByTestId('nav-charts').click();
  await expect.poll(() => page.getByTestId('day-chart').locator('svg text').allTextContents()).toEqual(expect.arrayContaining(['统筹', '个人账户', '现金']));
  await page.getByTestId('month-chart').locator('svg').waitFor();
  expect(await page.getByTestId('month-chart').innerHTML()).toContain('暂估');
  await shot(page, 'manager-charts');
  expect(page.errors()).toEqual([]);
  await page.context().close();
});
