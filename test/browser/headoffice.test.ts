// The 总部 (headoffice) workspace in headless Chromium against a real serve process on a chain's
// ledger (real PostgreSQL): the day table shows both stores, the drill-down names till and sale,
// the range export downloads an xlsx, a mapping change is published and listed as waiting for each
// till, a policy package file is uploaded (unsigned: refused with the reason; signed: published); a
// cashier has no such menu item and is refused the page; without a ledger the page says 未配置账本.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { initChainLedger, PgLedger } from '../../native/ledger/pg-ledger';
import { signPackage } from '../../native/policy-update/signed-package';
import { SANDBOX_SIGNING_KEY_ID, TRAINING_PRIVATE_KEY_PEM } from '../../native/sandbox/training-signing-key';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { settlementFact } from '../integration/ledger/chain';
import { ledgerQuery } from '../integration/ledger/support';
import { expectText, shot, signIn, startApp, type AppUnderTest } from './support/app';

let server: TestPostgres;
let app: AppUnderTest;
const DAY = '2026-12-01';
const A = { fixmedinsCode: 'H36010200001', fixmedinsName: '八一店', areaCode: '360102', tillId: 'T1', instanceId: 'a1' };
const B = { fixmedinsCode: 'H36010200002', fixmedinsName: '洪城店', areaCode: '360102', tillId: 'T1', instanceId: 'b1' };

beforeAll(async () => {
  server = await startPostgres();
  const url = await server.createDatabase('hq');
  await initChainLedger(url, { name: '示例连锁', stores: [{ code: A.fixmedinsCode, name: '八一店', areaCode: '360102' }, { code: B.fixmedinsCode, name: '洪城店', areaCode: '360102' }] });
  const ledger = new PgLedger({ url });
  await ledger.register(A);
  await ledger.register(B);
  await ledger.push(A, [
    settlementFact(1, { code: A.fixmedinsCode, settlementId: 1, day: DAY, confirmed: true, medfee: '100.00', fund: '60.00', account: '10.00' }),
    settlementFact(2, { code: A.fixmedinsCode, settlementId: 2, day: DAY, confirmed: false, medfee: '50.00', fund: '25.00', account: '5.50' }),
  ], 2);
  await ledger.push(B, [settlementFact(1, { code: B.fixmedinsCode, settlementId: 1, day: DAY, confirmed: true, medfee: '30.00', fund: '15.00', account: '5.00' })], 0);
  await ledger.close();
  await ledgerQuery(url, `INSERT INTO ledger_discrepancy (fixmedins_code, id, date, kind, till_id, sale_id, msgid, status, facts)
    VALUES ($1, 'd1', $2, 'centre_only', 'T1', 'S-H36010200001-2', 'M1', 'open', '{}')`, [A.fixmedinsCode, DAY]);
  // Head office's seat: the training 定点编码 is not one of the chain's stores, and no till is registered for it.
  app = await startApp({ args: ['--ledger-url', url, '--ledger-seat', 'headoffice'] });
}, 90_000);
afterAll(async () => { await app?.close(); await server?.destroy(); });

test('head office signs in, sees both stores\' day, drills into one, exports the range, publishes a mapping and a policy package', async () => {
  const page = await app.newPage();
  await signIn(page, 'headoffice');
  expect(new URL(page.url()).hash).toBe('#/head-office/days');
  await expectText(page, 'signed-in-as', '总部');
  // The status bar names the chain and the ledger's reachability, never the till's LEDGER_OTHER_STORE.
  await expectText(page, 'status-ledger', '总部（连锁账本：示例连锁）');
  await expectText(page, 'status-ledger-reachable', '账本已连接');
  await page.getByTestId('ho-date').fill(DAY);
  await expectText(page, 'ho-chain', '示例连锁');
  await expectText(page, `ho-row-${A.fixmedinsCode}`, '八一店');
  await expectText(page, `ho-row-${B.fixmedinsCode}`, '洪城店');
  await expectText(page, `ho-risk-${A.fixmedinsCode}`, '30.50');
  await expectText(page, `ho-state-${A.fixmedinsCode}`, '未对账');
  expect(await page.getByTestId('ho-days').locator('tbody tr.ant-table-row').count()).toBe(2);
  await shot(page, 'headoffice-days');

  // Drill-down: the store's discrepancy names till and sale; the unconfirmed sale is listed.
  await page.getByTestId(`ho-open-${A.fixmedinsCode}`).click();
  await expectText(page, 'ho-discrepancies', 'S-H36010200001-2');
  await expectText(page, 'ho-discrepancies', 'T1');
  await expectText(page, 'ho-unsynced', '50.00');
  await expectText(page, 'ho-checks', '当天未对账');
  await shot(page, 'headoffice-store-day');
  await page.keyboard.press('Escape');
  await page.getByTestId('ho-detail').waitFor({ state: 'hidden' });

  // The range xlsx across stores (a browser download).
  await page.getByTestId('ho-from').fill('2026-11-30');
  await page.getByTestId('ho-to').fill(DAY);
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('ho-export').click()]);
  expect(xlsx.suggestedFilename()).toBe(`headoffice-2026-11-30_${DAY}.xlsx`);
  expect(readFileSync((await xlsx.path())!).subarray(0, 2).toString()).toBe('PK');

  // A mapping change for every till: listed with each registered till waiting for its next sync.
  await page.getByTestId('ho-sku').fill('6909999999999');
  await page.getByTestId('ho-catalogue').fill('TRAIN-D-A01');
  await page.getByTestId('ho-publish-mapping').click();
  await expectText(page, 'ho-publication-list', `${A.fixmedinsCode}/T1 待同步`);
  await expectText(page, 'ho-publication-list', `${B.fixmedinsCode}/T1 待同步`);
  // A policy package file: an unsigned one is refused with the backend's reason, a signed one is published.
  await page.getByTestId('ho-policy-file').setInputFiles({ name: 'unsigned.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ package: { id: 'x' } })) });
  await page.getByTestId('ho-publish-policy').click();
  await expectText(page, 'ho-publish-error', 'not published');
  const signed = signPackage({ id: 'demo' }, TRAINING_PRIVATE_KEY_PEM, SANDBOX_SIGNING_KEY_ID);
  await page.getByTestId('ho-policy-file').setInputFiles({ name: 'signed.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(signed)) });
  await page.getByTestId('ho-publish-policy').click();
  await expectText(page, 'ho-publication-list', '政策包');
  const listed = (await app.api('headoffice', 'GET', '/api/head-office/publications')).body.publications;
  expect(listed.map((p: any) => [p.kind, p.scope, p.publishedBy])).toEqual([['sku_mapping', null, '总部'], ['policy_package', null, '总部']]);
  await shot(page, 'headoffice-publications');
  expect(page.errors()).toEqual([]);
  await page.context().close();
});

test('a cashier has no 总部 menu item, is refused the page, and the API refuses it too', async () => {
  const page = await app.newPage();
  await signIn(page, 'cashier');
  expect(await page.getByTestId('nav-headOffice').count()).toBe(0);
  // On head office's seat the checkout says it does not sell, and the API answers 409.
  await expectText(page, 'checkout-headoffice-seat', '总部席位');
  expect((await app.api('cashier', 'GET', '/api/sales')).status).toBe(409);
  await page.evaluate(() => { window.location.hash = '/head-office/days'; });
  await page.getByTestId('forbidden').waitFor();
  expect((await app.api('cashier', 'GET', `/api/head-office/days?date=${DAY}`)).status).toBe(403);
  expect((await app.api('manager', 'GET', `/api/head-office/days?date=${DAY}`)).status).toBe(403);
  await page.context().close();
});

test('without a ledger the head-office page says 未配置账本', async () => {
  const alone = await startApp();
  try {
    const page = await alone.newPage();
    await signIn(page, 'headoffice');
    await expectText(page, 'ho-no-ledger', '未配置账本');
    await shot(page, 'headoffice-no-ledger');
    expect(page.errors()).toEqual([]);
  } finally {
    await alone.close();
  }
});
