// The cashier's 审方 (7204) in the review dialog: the reviewing pharmacist picks the 复核药师 among the
// operators with a pharmacist setting, defaulting to the store's; the review shows both names.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startApp, signIn, shot, expectText, type AppUnderTest } from './support/app';

let app: AppUnderTest;
beforeAll(async () => { app = await startApp(); });
afterAll(async () => { await app?.close(); });

test('the review dialog defaults to the store\'s 复核药师, another can be picked, and the review names both', async () => {
  expect((await app.api('manager', 'PUT', '/api/operators/3001/pharmacist', { name: '赵药师', certNo: 'ZY-3001' })).status).toBe(200);
  expect((await app.api('manager', 'PUT', '/api/eprescription/recheck-pharmacist', { operatorId: '2001' })).status).toBe(200);
  await app.api('cashier', 'POST', '/api/training/card', { fixtureId: 'nanchang-active' });

  const page = await app.newPage();
  await signIn(page, 'cashier');
  await page.keyboard.press('F1');
  await expectText(page, 'holder-source', /\S/);
  await page.getByTestId('rx-lookup').click();
  await expectText(page, 'rx-review-state', '待药师审方');
  await expectText(page, 'rx-review-recheck', '（2001）');
  await page.getByTestId('rx-review-recheck').click();
  await page.getByTitle('复核药师：赵药师（3001）').click();
  await page.getByTestId('rx-review-approve').click();
  await expectText(page, 'rx-review-state', '复核：赵药师');
  await shot(page, 'cashier-rx-review');
  const sales = (await app.api('cashier', 'GET', '/api/sales')).body as Array<{ id: string; createdAt: string; prescription: { review?: unknown } | null }>;
  const sale = sales.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]!;
  expect(sale.prescription?.review).toMatchObject({ approved: true, recheckPharmacist: '赵药师' });
  expect(page.errors()).toEqual([]);
  await page.context().close();
}, 90_000);
