// The technician's bench in headless Chromium against a real serve process (virtual reader):
// ports, reader settings, a self-test that reads a training card and lists every frame as
// timestamped hex, the SKU ↔ catalogue mapping table, the policy packages, the centre settings.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startApp, signIn, shot, expectText, type AppUnderTest } from './support/app';

let app: AppUnderTest;
beforeAll(async () => { app = await startApp(); });
afterAll(async () => { await app?.close(); });

test('reader bench: settings are checked before saving, and the self-test shows every frame of a card read', async () => {
  const page = await app.newPage();
  await signIn(page, 'technician');
  await page.getByTestId('ports').waitFor();
  await expectText(page, 'reader-settings', '虚拟读卡器（培训）');
  // A list from the kernel (no udevadm on this machine, or the platform listing failed) says so in one sentence.
  const listing = (await app.api('technician', 'GET', '/api/reader/ports')).body;
  if (listing.fallback) await expectText(page, 'ports-fallback', '以下端口取自内核设备列表');
  else expect(await page.getByTestId('ports-fallback').count()).toBe(0);

  // A serial reader without a port is refused in Chinese before anything is sent.
  await page.getByTestId('reader-model').click();
  await page.getByText('串口读卡器（参考协议）').click();
  await page.getByTestId('save-reader').click();
  await expectText(page, 'reader-settings', '请选择读卡器所在的串口');
  await page.getByTestId('reader-model').click();
  await page.getByTitle('虚拟读卡器（培训）').click();
  await page.getByTestId('save-reader').click();
  await page.getByText('已保存').waitFor();
  expect((await app.api('technician', 'GET', '/api/reader/settings')).body).toEqual({ model: 'virtual' });

  // No card in the reader: the self-test says so, with the frames that found out.
  await app.api('technician', 'POST', '/api/training/card', { fixtureId: null });
  await page.getByTestId('run-self-test').click();
  await expectText(page, 'self-test-verdict', '自检失败');

  // A training card, inserted from the bench: the holder as read and every frame in hex.
  await page.getByTestId('training-card').click();
  await page.keyboard.type('测试甲');
  await page.keyboard.press('Enter');
  await page.getByTestId('run-self-test').click();
  await expectText(page, 'self-test-verdict', '自检通过');
  await expectText(page, 'self-test-holder', '测试甲');
  const rows = page.getByTestId('frames').locator('tbody tr.ant-table-row');
  expect(await rows.count()).toBeGreaterThanOrEqual(4);
  const frames = await rows.evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')));
  const times = frames.map((f) => Number(f[0]));
  expect(times.every((t, i) => Number.isFinite(t) && (i === 0 || t >= times[i - 1]!))).toBe(true);
  expect(new Set(frames.map((f) => f[1]))).toEqual(new Set(['发送', '接收']));
  // Hex bytes, with the holder's personal data masked (··) even here.
  for (const f of frames.filter((x) => x[2] !== '')) expect(f[2]).toMatch(/^([0-9A-F]{2}|··)( ([0-9A-F]{2}|··))*$/);
  expect(frames.some((f) => f[2]!.includes('··'))).toBe(true);
  expect(frames.map((f) => f.join(' ')).join('\n')).not.toContain('420302198503120017');
  await shot(page, 'technician-reader-self-test');
  expect(page.errors()).toEqual([]);
  await page.context().close();
});

test('mapping table: a code not in the catalogue is refused; a mapping is added, shown with its catalogue item, and removed', async () => {
  const page = await app.newPage();
  await signIn(page, 'technician');
  await page.getByTestId('nav-mappings').click();
  await expectText(page, 'mappings', '6901000000011');

  await page.getByTestId('add-mapping').click();
  await page.getByTestId('mapping-sku').fill('SKU-TEST-01');
  await page.getByTestId('mapping-code').fill('NOT-A-CODE');
  await page.getByTestId('mapping-note').press('Enter');
  await expect.poll(() => page.getByRole('dialog').innerText()).toContain('医保目录中没有编码 NOT-A-CODE');
  await page.getByTestId('mapping-code').fill('TRAIN-D-B02');
  await page.getByTestId('mapping-note').fill('注射剂');
  await page.getByTestId('mapping-note').press('Enter');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  const row = page.getByTestId('mappings').locator('tr', { hasText: 'SKU-TEST-01' });
  await expect.poll(() => row.innerText()).toContain('【培训】乙类注射剂');
  await shot(page, 'technician-mappings');

  await row.getByRole('button', { name: /删\s*除/ }).click();
  await page.getByRole('button', { name: /^确\s*定$/ }).click();
  await expect.poll(() => row.count()).toBe(0);
  const listed = (await app.api('technician', 'GET', '/api/sku-mappings')).body as Array<{ sku: string }>;
  expect(listed.some((m) => m.sku === 'SKU-TEST-01')).toBe(false);
  expect(page.errors()).toEqual([]);
  await page.context().close();
});

test('policy packages with each parameter and its source; centre connection settings', async () => {
  const page = await app.newPage();
  await signIn(page, 'technician');
  await page.getByTestId('nav-policies').click();
  await expectText(page, 'policies', '南昌市');
  await expectText(page, 'policies', '现行');
  await page.getByTestId('policies').getByText('南昌市').first().click();
  const table = page.getByTestId('policies').locator('.ant-collapse-panel, .ant-collapse-item').filter({ hasText: '南昌市' }).locator('table').first();
  await table.waitFor();
  const text = await table.innerText();
  expect(text).toContain('来源');
  expect(text).toMatch(/第.+条|系统规则|未知/);
  await page.getByTestId('policy-update').click();
  await expectText(page, 'policy-update-result', /新增 \d+ 个版本/);
  await shot(page, 'technician-policies');

  await page.getByTestId('nav-centre').click();
  await expectText(page, 'centre', '模拟中心（培训）');
  const code = await page.getByTestId('centre-institution-code').inputValue();
  expect(code).toBe((await app.api('technician', 'GET', '/api/centre/settings')).body.institutionCode);
  await page.getByTestId('centre-test').click();
  await expectText(page, 'centre-test-result', '签到成功');
  // The interface edition: shown on the status bar, chosen here; its notes list what is unconfirmed.
  await expectText(page, 'status-edition', '接口版本：国家医保信息平台 基线版 V1.0');
  await page.getByTestId('centre-edition').click();
  await page.getByTitle('吉林省医保信息平台 (SM4/SM2 网关)').click();
  await expectText(page, 'centre-edition-notes', 'OAuth 令牌');
  await page.getByTestId('centre-oauth-client').fill('p42030200001-client');
  await page.getByTestId('centre-oauth-user').fill('p42030200001');
  // A gateway key is saved, then shown only as present.
  await expectText(page, 'secret-state-sm4.key', '未录入');
  await page.getByTestId('secret-sm4.key').fill('00112233445566778899aabbccddeeff');
  await page.getByTestId('secret-save-sm4.key').click();
  await expectText(page, 'secret-state-sm4.key', '已录入');
  expect(await page.getByTestId('secret-sm4.key').inputValue()).toBe('');
  await page.getByTestId('save-centre').click();
  await page.getByText('已保存').last().waitFor();
  expect((await app.api('technician', 'GET', '/api/centre/settings')).body).toMatchObject({ edition: 'jilin', security: null, oauth: { clientId: 'p42030200001-client', username: 'p42030200001', scope: '' } });
  expect((await app.api('technician', 'GET', '/api/centre/secrets')).body.stored).toMatchObject({ 'tif-paas-token': false, 'sm4.key': true, 'sm2-private.key': false });
  await shot(page, 'technician-centre');
  expect(page.errors()).toEqual([]);
  await page.context().close();
});
