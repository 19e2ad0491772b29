// The manager's 进销存上传 page: a cashier's insured sale with 追溯码 is reported (3505) once its
// settlement is confirmed; the day shows as fully reported; the pharmacist of an operator is set
// from the same page.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startApp, signIn, shot, expectText, type AppUnderTest } from './support/app';
import { businessDate } from '../../core/checkout/business-date';
import { residentIdCheckChar } from '../../core/card/resident-id';

let app: AppUnderTest;
beforeAll(async () => { app = await startApp(); });
afterAll(async () => { await app?.close(); });

test('a sale\'s rows appear as reported, the day as fully reported, and a pharmacist is set per operator', async () => {
  const today = businessDate(new Date());
  const cashier = (method: string, path: string, body?: unknown) => app.api('cashier', method, path, body);
  await cashier('POST', '/api/training/card', { fixtureId: 'nanchang-active' });
  const sale = (await cashier('POST', '/api/sales', { identify: { method: 'card' } })).body;
  await cashier('PUT', `/api/sales/${sale.id}/prescription`, { issuerCode: 'TRAIN-H360102-L1', rxNo: 'RX-B1', issuedOn: today, prescriber: '王医生', prescriberCode: 'DR-H360102-L1', items: ['TRAIN-D-B01'] });
  await cashier('PUT', `/api/sales/${sale.id}/basket`, { lines: [{ sku: '6901000000035', name: '乙类口服药', qty: '2', price: '35.50', traceCodes: ['80000000000000000901', '80000000000000000902'] }] });
  expect((await cashier('POST', `/api/sales/${sale.id}/settle`, { useAccount: true })).body.state).toBe('settled');

  const page = await app.newPage();
  await signIn(page, 'manager');
  await page.getByTestId('nav-traceReports').click();
  await expectText(page, 'trace-rows', sale.id);
  await expectText(page, 'trace-rows', '已上报');
  await expectText(page, 'trace-complete', '当日已全部上报');
  await expectText(page, 'trace-summary', '已上报 2 盒');
  await shot(page, 'manager-trace-reports');

  await page.getByTestId('pharmacist-operator').click();
  await page.getByTitle('1001 收银员').click();
  await expectText(page, 'pharmacist-current', '【培训】药师甲');
  await page.getByTestId('pharmacist-name').fill('李药师');
  await page.getByTestId('pharmacist-cert').fill('ZY-2026-0007');
  await page.getByTestId('pharmacist-save').click();
  await expectText(page, 'pharmacist-current', '李药师 / ZY-2026-0007');
  expect((await app.api('manager', 'GET', '/api/operators/1001/pharmacist')).body).toEqual({ name: '李药师', certNo: 'ZY-2026-0007' });
  // 证件类型 + 证件号码: shown masked after saving; the default 复核药师 is picked from the pharmacists.
  const idNo = '42030219850101123' + residentIdCheckChar('42030219850101123');
  await page.getByTestId('pharmacist-id-type').click();
  await page.getByTitle('01 居民身份证').click();
  await page.getByTestId('pharmacist-id-no').fill(idNo);
  await page.getByTestId('pharmacist-save').click();
  await expectText(page, 'pharmacist-current', `李药师 / ZY-2026-0007 / ${idNo.slice(0, 6)}********${idNo.slice(-4)}`);
  expect((await app.api('manager', 'GET', '/api/operators/1001/pharmacist')).body).toEqual({ name: '李药师', certNo: 'ZY-2026-0007', idType: '01', idNo });
  await page.getByTestId('recheck-default').click();
  await page.getByTitle('2001 【培训】药师甲').click();
  await expect.poll(async () => (await app.api('manager', 'GET', '/api/eprescription/recheck-pharmacist')).body).toEqual({ operatorId: '2001' });
  await shot(page, 'manager-pharmacists');
  expect(page.errors()).toEqual([]);
  await page.context().close();
}, 90_000);
