// The manager's 门店设置 page: the stored settings are shown, a bad amount is refused naming the
// field (nothing saved), and a good change — including the 无处方开方医师姓名 that 3505 needs — is
// saved, shown again after a reload, and is what the API answers.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startApp, signIn, shot, expectText, type AppUnderTest } from './support/app';

let app: AppUnderTest;
beforeAll(async () => { app = await startApp(); });
afterAll(async () => { await app?.close(); });

test('the manager sees, corrects and saves the store settings; a bad amount is refused naming the field', async () => {
  const before = (await app.api('manager', 'GET', '/api/store-settings')).body;
  const page = await app.newPage();
  await signIn(page, 'manager');
  await page.getByTestId('nav-storeSettings').click();
  await expect.poll(() => page.getByTestId('setting-perSaleFund').inputValue()).toBe(before.riskLimits.perSaleFund);

  await page.getByTestId('setting-perSaleFund').fill('300');
  await page.getByTestId('store-settings-save').click();
  await expectText(page, 'store-settings', '每笔离线统筹上限应为两位小数的金额');
  expect((await app.api('manager', 'GET', '/api/store-settings')).body).toEqual(before);

  await page.getByTestId('setting-rxByRegion').fill('420300 5');
  await page.getByTestId('setting-perSaleFund').fill('300.00');
  await page.getByTestId('store-settings-save').click();
  await expectText(page, 'store-settings', '6 位区划=天数');
  expect((await app.api('manager', 'GET', '/api/store-settings')).body).toEqual(before);

  await page.getByTestId('setting-rxByRegion').fill('420300=5\n360100=7');
  await page.getByTestId('setting-otcPrescriberName').fill('药店无处方');
  await page.getByTestId('store-settings-save').click();
  await expectText(page, 'store-settings-saved', '已保存');
  await shot(page, 'manager-store-settings');
  const after = (await app.api('manager', 'GET', '/api/store-settings')).body;
  expect(after).toMatchObject({
    riskLimits: { ...before.riskLimits, perSaleFund: '300.00' },
    rxValidityDays: { default: before.rxValidityDays.default, byRegion: { '420300': 5, '360100': 7 } },
    otcPrescriberName: '药店无处方',
  });

  await page.reload();
  await page.getByTestId('nav-storeSettings').click();
  await expect.poll(() => page.getByTestId('setting-otcPrescriberName').inputValue()).toBe('药店无处方');
  expect(await page.getByTestId('setting-rxByRegion').inputValue()).toBe('360100=7\n420300=5');
  // A cashier cannot change them (the API refuses the role).
  expect((await app.api('cashier', 'PUT', '/api/store-settings', after)).status).toBe(403);
  expect(page.errors()).toEqual([]);
});
