// The technician's catalogue panel in headless Chromium: never downloaded at first and mappings
// shown as unverified; "download now" shows each catalogue's version, rows and result, and the
// mappings are then marked as checked against the downloaded catalogue; the 1312/1319 queries show
// their last updt_time, rows and result.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startApp, signIn, shot, expectText, type AppUnderTest } from './support/app';

let app: AppUnderTest;
beforeAll(async () => { app = await startApp(); });
afterAll(async () => { await app?.close(); });

test('catalogue panel: download now, then version, rows, result; mappings verified', async () => {
  const page = await app.newPage();
  await signIn(page, 'technician');
  await page.getByTestId('nav-mappings').click();
  await expectText(page, 'catalogues', '从未下载');
  await expectText(page, 'mappings', '未核对');

  await page.getByTestId('download-catalogues').click();
  await expectText(page, 'catalogue-messages', '西药中成药目录下载完成');
  const rows = page.getByTestId('catalogues').locator('tbody tr.ant-table-row');
  await expect.poll(() => rows.first().innerText()).toMatch(/西药中成药目录[\s\S]*3[\s\S]*5[\s\S]*成功/);
  await expect.poll(() => rows.nth(1).innerText()).toMatch(/医用耗材目录[\s\S]*4[\s\S]*2[\s\S]*成功/);
  await expectText(page, 'catalogues', '已下载字典 3 类');
  const queries = page.getByTestId('catalogue-queries').locator('tbody tr.ant-table-row');
  await expect.poll(() => queries.first().innerText()).toMatch(/医保目录信息查询[\s\S]*1312[\s\S]*2024-01-05[\s\S]*8[\s\S]*成功/);
  await expect.poll(() => queries.nth(1).innerText()).toMatch(/先自付比例信息查询[\s\S]*1319[\s\S]*2024-01-02[\s\S]*3[\s\S]*成功/);
  await expectText(page, 'catalogue-messages', '医保目录信息查询（1312）下载完成');
  await expectText(page, 'mappings', '已核对');
  await shot(page, 'technician-catalogues');
  expect(page.errors()).toEqual([]);
  await page.context().close();
});
