// Sign-in per role, the role check at sign-in, a page a role may not open, sign-out, and an ended
// session sending the user back to sign-in — in headless Chromium against a real serve process.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startApp, signIn, shot, expectText, type AppUnderTest } from './support/app';

let app: AppUnderTest;
beforeAll(async () => { app = await startApp(); });
afterAll(async () => { await app?.close(); });

test('each role signs in with id and PIN and lands in its own workspace with its own menu', async () => {
  const expectations = {
    cashier: { nav: ['nav-checkout', 'nav-today'], absent: ['nav-operators', 'nav-reader'], hash: '#/cashier/checkout', testId: 'checkout' },
    manager: { nav: ['nav-sales', 'nav-operators', 'nav-posTokens'], absent: ['nav-checkout', 'nav-reader'], hash: '#/manager/sales', testId: 'manager-sales' },
    technician: { nav: ['nav-reader', 'nav-mappings', 'nav-policies', 'nav-centre'], absent: ['nav-checkout', 'nav-operators'], hash: '#/technician/reader', testId: 'ports' },
  } as const;
  for (const role of ['cashier', 'manager', 'technician'] as const) {
    const page = await app.newPage();
    await expectText(page, 'backend-status', '后台服务正常');
    expect(await page.title()).toBe('医保结算助手');
    if (role === 'cashier') await shot(page, 'sign-in');
    await signIn(page, role);
    const e = expectations[role];
    expect(new URL(page.url()).hash).toBe(e.hash);
    await page.getByTestId(e.testId).waitFor();
    for (const id of e.nav) expect(await page.getByTestId(id).count(), `${role} sees ${id}`).toBe(1);
    for (const id of e.absent) expect(await page.getByTestId(id).count(), `${role} does not see ${id}`).toBe(0);
    await expectText(page, 'signed-in-as', { cashier: '收银员', manager: '店长', technician: '技术员' }[role]);
    await page.getByTestId('status-bar').waitFor();
    expect(page.errors()).toEqual([]);
    await page.context().close();
  }
});

test('a wrong PIN and a post that does not match the operator are refused in plain Chinese', async () => {
  const page = await app.newPage();
  await page.getByTestId('role-cashier').click();
  await page.getByTestId('operator-id').fill('1001');
  await page.getByTestId('pin').fill('9999');
  await page.getByTestId('pin').press('Enter');
  await expectText(page, 'sign-in-error', /密码|PIN|工号/);
  expect(await page.getByTestId('workspace-cashier').count()).toBe(0);

  // The manager's id under the cashier post: refused, and the session it opened is closed again.
  await page.getByTestId('operator-id').fill('2001');
  await page.getByTestId('pin').fill('2222');
  await page.getByTestId('pin').press('Enter');
  await expectText(page, 'sign-in-error', '工号 2001 是店长，不是收银员');
  expect(await page.getByTestId('workspace-manager').count()).toBe(0);
  expect(await page.evaluate(() => sessionStorage.getItem('ybjs.session'))).toBeNull();
  await shot(page, 'sign-in-wrong-role');
  await page.context().close();
});

test('a cashier opening the operators page gets a refusal, and the API refuses it too', async () => {
  const page = await app.newPage();
  await signIn(page, 'cashier');
  await page.evaluate(() => { window.location.hash = '/manager/operators'; });
  await page.getByTestId('forbidden').waitFor();
  await expectText(page, 'forbidden', '无权访问此页面');
  await expectText(page, 'forbidden', '此页面不对收银员开放');
  expect(await page.getByTestId('operators').count()).toBe(0);
  await shot(page, 'cashier-forbidden');
  // Even a hand-made request with the cashier's own token is refused by the backend.
  const status = await page.evaluate(async () => {
    const token = (JSON.parse(sessionStorage.getItem('ybjs.session')!) as { token: string }).token;
    return (await fetch('/api/operators', { headers: { authorization: `Bearer ${token}` } })).status;
  });
  expect(status).toBe(403);
  await page.getByRole('button', { name: '返回我的工作台' }).click();
  await page.getByTestId('checkout').waitFor();

  // And a technician cannot open the checkout.
  const tech = await app.newPage();
  await signIn(tech, 'technician');
  await tech.evaluate(() => { window.location.hash = '/cashier/checkout'; });
  await expectText(tech, 'forbidden', '此页面不对技术员开放');
  expect(page.errors()).toEqual([]);
  await page.context().close();
  await tech.context().close();
});

test('a session ended elsewhere sends the user back to sign-in with the reason; sign-out ends the session', async () => {
  const page = await app.newPage();
  await signIn(page, 'manager');
  await page.getByTestId('nav-operators').click();
  await page.getByTestId('operators').waitFor();
  // End the session behind the UI's back (as an expiry or a deactivation would), then act.
  const token = await page.evaluate(() => (JSON.parse(sessionStorage.getItem('ybjs.session')!) as { token: string }).token);
  const r = await fetch(new URL('api/session', app.serve.url), { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
  expect(r.status).toBe(200);
  await page.getByTestId('nav-posTokens').click();
  await expectText(page, 'sign-in-notice', '登录已失效');

  await signIn(page, 'manager');
  await page.getByTestId('sign-out').click();
  await page.getByTestId('operator-id').waitFor();
  const after = await fetch(new URL('api/session', app.serve.url), { headers: { authorization: `Bearer ${token}` } });
  expect(after.status).toBe(401);
  await page.context().close();
});
