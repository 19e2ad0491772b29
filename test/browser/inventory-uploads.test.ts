// The manager's 进销存上传 page, inventory part: a movement the POS posted appears as reported; a CSV
// with a bad row in the middle is refused whole (line and field named, nothing appears); the fixed
// file is imported and its rows reported; the day shows as fully reported only when nothing waits.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startApp, signIn, shot, expectText, type AppUnderTest } from './support/app';
import { businessDate } from '../../core/checkout/business-date';

let app: AppUnderTest;
beforeAll(async () => { app = await startApp(); });
afterAll(async () => { await app?.close(); });

test('POS movements and an imported file appear per day; a file with a bad middle row is refused whole', async () => {
  const today = businessDate(new Date());
  const item = { med_list_codg: 'TRAIN-D-A01', fixmedins_hilist_id: '6901000000011', fixmedins_hilist_name: '甲类口服药', rx_flag: '0' };
  const posted = await app.api('cashier', 'POST', '/api/inventory-uploads', {
    key: 'POS-BROWSER-1', infno: '3501', row: { ...item, fixmedins_bchno: 'B-BROWSER-1', invdate: today, inv_cnt: '30', manu_date: '2025-01-01', expy_end: '2027-01-01' },
  });
  expect(posted.status).toBe(200);

  const page = await app.newPage();
  await signIn(page, 'manager');
  await page.getByTestId('nav-traceReports').click();
  await expectText(page, 'inventory-rows', 'POS-BROWSER-1');
  await expectText(page, 'inventory-rows', '已上报');
  await expectText(page, 'trace-day-complete', '已全部上报');

  await page.getByTestId('inventory-import-kind').click();
  await page.getByTitle('3501 商品盘存').click();
  const header = 'key,med_list_codg,fixmedins_hilist_id,fixmedins_hilist_name,rx_flag,invdate,inv_cnt,manu_lotnum,fixmedins_bchno,manu_date,expy_end,memo';
  const line = (key: string, cnt: string) => `${key},TRAIN-D-A01,6901000000011,甲类口服药,0,${today},${cnt},L1,B-${key},2025-01-01,2027-01-01,`;
  const bad = [header, line('CSV-1', '5'), line('CSV-2', '-1'), line('CSV-3', '7')].join('\r\n');
  await page.getByTestId('inventory-import-file').setInputFiles({ name: 'stock.csv', mimeType: 'text/csv', buffer: Buffer.from(bad, 'utf8') });
  await expectText(page, 'inventory-import-refused', '第 3 行');
  await expectText(page, 'inventory-import-refused', 'inv_cnt');
  await expectText(page, 'inventory-import-refused', '整个文件未导入');
  await shot(page, 'manager-inventory-import-refused');
  expect(await page.getByTestId('inventory-rows').innerText()).not.toContain('CSV-1');

  const good = [header, line('CSV-1', '5'), line('CSV-2', '6'), line('CSV-3', '7')].join('\r\n');
  await page.getByTestId('inventory-import-file').setInputFiles({ name: 'stock.csv', mimeType: 'text/csv', buffer: Buffer.from(good, 'utf8') });
  await expectText(page, 'inventory-notice', '已导入 3 行');
  await page.getByTestId('trace-refresh').click();
  await expectText(page, 'inventory-rows', 'CSV-3');
  await expect.poll(async () => {
    await page.getByTestId('trace-refresh').click();
    return page.getByTestId('inventory-summary').innerText();
  }, { timeout: 20_000 }).toContain('已上报 4 行');
  await expectText(page, 'trace-day-complete', '已全部上报');
  await shot(page, 'manager-inventory-uploads');
  expect(page.errors()).toEqual([]);
  await page.context().close();
}, 120_000);
