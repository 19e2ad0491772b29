// The cashier's checkout, driven from the keyboard in headless Chromium against a real serve process
// in training mode (sandbox centre + virtual reader): a full online sale with prescription, trace
// codes, split, settle and receipt; an offline provisional sale that syncs and shows the centre's
// difference, with the self-pay offer when a risk limit refuses the next one; a refund.
import { trainingDoctorCode } from '../../core/policy/training-doctors';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Page } from 'playwright-core';
import { startApp, signIn, shot, expectText, type AppUnderTest } from './support/app';

let app: AppUnderTest;
beforeAll(async () => { app = await startApp(); });
afterAll(async () => { await app?.close(); });

let codeSeq = 0;
/** A well-formed, unique 追溯码: 20 digits starting with 8. */
const traceCode = (): string => `8${String(Date.now() % 1e9).padStart(9, '0')}${String(++codeSeq).padStart(10, '0')}`;

async function typeAndEnter(page: Page, text: string): Promise<void> {
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** F4 then the prescription's fields, Enter after each (the date keeps its default: today). */
async function enterPrescription(page: Page, issuer: string, rxNo: string, items: string): Promise<void> {
  await page.keyboard.press('F4');
  await typeAndEnter(page, issuer);
  await typeAndEnter(page, rxNo);
  await page.keyboard.press('Enter');
  await typeAndEnter(page, '王医生');
  // The prescriber's 医保医师代码: the training doctor of that institution (core/policy/training-doctors.ts).
  await typeAndEnter(page, trainingDoctorCode(issuer));
  await typeAndEnter(page, items);
}

/** F6 then one basket line: code, name, quantity, price, a trace code per box, Enter on the empty code field. */
async function scanLine(page: Page, line: { sku: string; name: string; qty: string; price: string; boxes: number }): Promise<void> {
  await page.keyboard.press('F6');
  await typeAndEnter(page, line.sku);
  await typeAndEnter(page, line.name);
  await typeAndEnter(page, line.qty);
  await typeAndEnter(page, line.price);
  for (let i = 0; i < line.boxes; i++) await typeAndEnter(page, traceCode());
  await page.keyboard.press('Enter');
}

/** The newest sale: the one just made on screen (the API is asked, not the page). */
async function latestSaleId(): Promise<string> {
  const sales = (await app.api('cashier', 'GET', '/api/sales')).body as Array<{ id: string; createdAt: string }>;
  return sales.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]!.id;
}

test('a full online sale from the keyboard: ID number, prescription, items with trace codes, split, settle, receipt', async () => {
  const page = await app.newPage();
  // The OS print dialog is the one thing not exercised: count the calls instead.
  await page.addInitScript(() => { (window as any).printed = 0; window.print = () => { (window as any).printed += 1; }; });
  await page.reload();
  await signIn(page, 'cashier');
  await expectText(page, 'status-online', '联网');
  await expectText(page, 'training-banner', '培训模式');

  // A mistyped ID number: refused with what is wrong, in Chinese.
  await page.keyboard.press('F3');
  await typeAndEnter(page, '42030219850312001');
  await expectText(page, 'checkout-error', '身份证号应为 18 位');
  expect(await page.getByTestId('holder-name').count()).toBe(0);

  await page.keyboard.press('F3');
  await typeAndEnter(page, '420302198503120017');
  await expectText(page, 'holder-name', '测试甲');
  await expectText(page, 'holder-source', '医保中心实时信息');

  await enterPrescription(page, 'TRAIN-H420302-L3', 'RX-0001', 'TRAIN-D-B01');
  await expectText(page, 'rx-valid', '处方有效');
  await expectText(page, 'rx-level', '三级医疗机构');

  await scanLine(page, { sku: '6901000000035', name: '阿莫西林胶囊', qty: '2', price: '15.80', boxes: 2 });
  await expectText(page, 'basket-lines', '阿莫西林胶囊');
  await expectText(page, 'basket-lines', '乙类');
  await expectText(page, 'basket-lines', '¥31.60');

  await page.keyboard.press('F7');
  await expectText(page, 'split-total', '¥31.60');
  await expectText(page, 'split-explain', /\S/);
  expect(await page.getByTestId('provisional-tag').count()).toBe(0);
  const cash = await page.getByTestId('split-cash').innerText();
  await shot(page, 'cashier-presettled');

  await page.keyboard.press('F8');
  await expectText(page, 'settled-title', '结算完成');
  expect(await page.getByTestId('split-cash').innerText()).toBe(cash);
  const id = await latestSaleId();
  const sale = (await app.api('cashier', 'GET', `/api/sales/${id}`)).body;
  expect(sale).toMatchObject({ state: 'settled', provisional: false, person: { name: '测试甲' } });
  expect(`¥${sale.split.cash}`).toBe(cash);
  await shot(page, 'cashier-settled');

  // F9: the backend's receipt in a preview; Enter prints it, and on paper only the receipt shows.
  await page.keyboard.press('F9');
  await expectText(page, 'print-preview', '31.60');
  await shot(page, 'cashier-receipt');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => (window as any).printed)).toBe(1);
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => ({
    receipt: getComputedStyle(document.querySelector('.receipt-print')!).display,
    app: getComputedStyle(document.getElementById('root')!).display,
  }));
  expect(printed).toEqual({ receipt: 'block', app: 'none' });
  await page.emulateMedia({ media: 'screen' });
  await page.keyboard.press('Escape');
  await page.getByTestId('print-preview').waitFor({ state: 'detached' });

  // Esc: the next customer.
  await page.keyboard.press('Escape');
  await page.getByTestId('identify-card').waitFor();
  expect(await page.getByTestId('holder-name').count()).toBe(0);
  expect(page.errors()).toEqual([]);
  await page.context().close();
});

test('offline: a provisional sale marked 暂估, a refused one offered as self-pay, then sync shows the centre difference', async () => {
  const page = await app.newPage();
  await signIn(page, 'cashier');
  await expectText(page, 'status-online', '联网');

  // The patient was seen online once (this store caches the person), using the training card.
  await page.getByTestId('training-card').click();
  await page.keyboard.type('测试庚');
  await page.keyboard.press('Enter');
  await expectText(page, 'card-present', '已检测到社保卡');
  await page.keyboard.press('F1');
  await expectText(page, 'holder-name', '测试庚');
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor();
  await page.keyboard.press('Enter'); // confirm: abandon the unfinished sale
  await page.getByTestId('identify-card').waitFor();

  // The network goes down (training switch in the banner).
  await page.getByTestId('training-centre-online').click();
  await expectText(page, 'status-online', '离线');

  await page.keyboard.press('F1');
  await expectText(page, 'holder-name', '测试庚');
  await expectText(page, 'holder-source', '离线：使用本店缓存的参保信息');
  // The centre's year-to-date figures (5206), read when the card was seen online: 起付线已付 600,
  // 统筹已支付 1750 of the 1800 cap.
  await expectText(page, 'holder-deductible-met', '¥600.00');
  await expectText(page, 'holder-fund-paid', '¥1750.00');
  await expectText(page, 'holder-cap-left', '¥50.00');
  await expectText(page, 'holder-year-source', '医保中心');
  await enterPrescription(page, 'TRAIN-H360102-L1', 'RX-0002', 'TRAIN-D-A01');
  await expectText(page, 'rx-valid', '处方有效');
  await scanLine(page, { sku: '6901000000011', name: '甲类口服药', qty: '7', price: '100.00', boxes: 7 });
  await page.keyboard.press('F7');
  await page.getByTestId('provisional-tag').first().waitFor();
  // Offline, from the cached centre figures: the cap leaves 50.00 — what the centre will book.
  await expectText(page, 'split-fund', '¥50.00');
  await page.keyboard.press('F8');
  await expectText(page, 'settled-title', '已离线暂估结算');
  await expectText(page, 'status-pending', '待上传 1');
  await shot(page, 'cashier-offline-provisional');
  const provisionalId = await latestSaleId();

  // The same person again, still offline: the per-person limit refuses it; the cashier accepts self-pay.
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  await expectText(page, 'holder-name', '测试庚');
  await scanLine(page, { sku: '6901000000011', name: '甲类口服药', qty: '1', price: '20.00', boxes: 1 });
  await page.keyboard.press('F7');
  await page.keyboard.press('F8');
  await expect.poll(() => page.getByRole('dialog').innerText()).toContain('每人每日上限');
  await shot(page, 'cashier-selfpay-offer');
  await page.keyboard.press('Enter');
  await expectText(page, 'settled-title', '已按自费收款');
  await expectText(page, 'split-cash', '¥20.00');

  // Back online: the queue drains and today's list shows the centre's difference for the provisional sale (none).
  await page.getByTestId('training-centre-online').click();
  await expectText(page, 'status-online', '联网');
  await page.keyboard.press('F10');
  await page.getByTestId('today-sales').waitFor();
  await expectText(page, `sale-row-${provisionalId}`, '统筹 0.00 / 账户 0.00 / 现金 0.00', 30_000);
  await expectText(page, `sale-row-${provisionalId}`, '中心已确认');
  await expectText(page, 'status-pending', '待上传 0');
  await shot(page, 'cashier-today-difference');
  expect(page.errors()).toEqual([]);
  await page.context().close();
});

test('a refund from today\'s list, with the reason required', async () => {
  expect((await app.api('cashier', 'POST', '/api/training/centre', { online: true })).status).toBe(200);
  const page = await app.newPage();
  await signIn(page, 'cashier');
  const settled = ((await app.api('cashier', 'GET', '/api/sales?state=settled')).body as Array<{ id: string }>)[0]!;
  await page.keyboard.press('F10');
  const row = page.getByTestId(`sale-row-${settled.id}`);
  await row.getByTestId('refund').click();
  await page.getByTestId('refund-reason').fill('退');
  await page.getByTestId('refund-reason').press('Enter');
  await expectText(page, 'refund-error', '请填写退费原因（至少 2 个字）');
  await page.getByTestId('refund-reason').fill('患者退药');
  await page.getByTestId('refund-reason').press('Enter');
  await expect.poll(() => row.innerText()).toContain('已退费');
  expect(await page.getByTestId('refund-error').count()).toBe(0);
  expect((await app.api('cashier', 'GET', `/api/sales/${settled.id}`)).body.state).toBe('refunded');
  await shot(page, 'cashier-refunded');
  expect(page.errors()).toEqual([]);
  await page.context().close();
});

test('a scanned e-prescription: the QR typed by the scanner plus Enter fills the prescription from the centre', async () => {
  expect((await app.api('cashier', 'POST', '/api/training/centre', { online: true })).status).toBe(200);
  const page = await app.newPage();
  await signIn(page, 'cashier');
  await page.keyboard.press('F3');
  await typeAndEnter(page, '420302198503120017');
  await expectText(page, 'holder-name', '测试甲');
  // A keyboard-wedge 2D scanner: the QR text, then Enter, into the focused scan field.
  await page.getByTestId('rx-scan').click();
  await typeAndEnter(page, 'RX-shiyan-active-TRAIN-H420302-L2-1');
  await expectText(page, 'rx-valid', '处方有效');
  await expectText(page, 'rx-level', '二级医疗机构');
  await expectText(page, 'rx-source', '电子处方');
  await shot(page, 'cashier-rx-scanned');
  const sale = (await app.api('cashier', 'GET', `/api/sales/${await latestSaleId()}`)).body;
  expect(sale.prescription).toMatchObject({ source: 'scanned', entry: { issuerCode: 'TRAIN-H420302-L2' } });
  expect(await page.getByTestId('rx-scan').inputValue()).toBe('');
  expect(page.errors()).toEqual([]);
  await page.context().close();
});
