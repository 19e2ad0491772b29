// Issue 17, the manager's store-level reports in the browser: two till backends (separate data
// folders, real processes; T1 serves the page) on one standalone sandbox centre and a real
// PostgreSQL ledger. Both tills sell; on T1 the manager's 打印日报 / 导出 (日结对账), 统计图表 and
// 差异处理 show the store scope "全店（2 台收银台）": the printed report and the CSV name both tills
// with their own figures and the store's total, the xlsx is the store's file.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { businessDate } from '../../core/checkout/business-date';
import { parseCsv } from '../../core/reconcile/export-table';
import { startSandbox, type RunningSandbox } from '../../native/sandbox/server';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { startBackendProcess, type ServeProcess } from '../support/serve-process';
import { Pos, sellOne, tillDataDir, waitFor } from '../integration/ledger/support';
import { expectText, shot, signIn, startApp, type AppUnderTest } from './support/app';

let server: TestPostgres;
let sandbox: RunningSandbox;
let url: string;
let app: AppUnderTest;
let t2: ServeProcess | undefined;

beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase('store');
  sandbox = await startSandbox({ dataDir: mkdtempSync(join(tmpdir(), 'ybjs-sb-')), port: 0 });
  app = await startApp({ dataDir: tillDataDir({ centreEndpoint: sandbox.endpoint, ledgerUrl: url, tillId: 'T1' }) });
  t2 = await startBackendProcess({ dataDir: tillDataDir({ centreEndpoint: sandbox.endpoint, ledgerUrl: url, tillId: 'T2' }), timeoutMs: 60_000 });
}, 120_000);
afterAll(async () => {
  await t2?.stop('SIGKILL');
  await app?.close();
  await sandbox?.close();
  await server?.destroy();
});

const synced = (pos: Pos) => waitFor('synced and pushed', async () => {
  const s = await pos.ok('GET', '/api/status');
  return s.queue.pending === 0 && s.queue.unknown === 0 && s.ledger?.pending === 0;
}, 60_000);

test("with a ledger the manager's report, export, charts and discrepancy list are the store's, labelled 全店（2 台收银台）", async () => {
  const today = businessDate(new Date());
  const pos1 = new Pos(app.serve.url);
  await pos1.signIn();
  const pos2 = new Pos(t2!.url);
  await pos2.signIn();
  await sellOne(pos1, 21);
  await sellOne(pos2, 22);
  await sellOne(pos2, 23);
  await synced(pos1);
  await synced(pos2);
  const own1 = (await pos1.ok('GET', `/api/reconciliation/range?from=${today}&to=${today}`, undefined, pos1.manager)).days[0].totals.all;
  const own2 = (await pos2.ok('GET', `/api/reconciliation/range?from=${today}&to=${today}`, undefined, pos2.manager)).days[0].totals.all;
  const store = (await app.api('manager', 'GET', `/api/store-ledger/range?from=${today}&to=${today}`)).body.days[0];
  expect(store.totals.all.count).toBe(3);

  const page = await app.newPage();
  await signIn(page, 'manager');
  await page.getByTestId('nav-dayClose').click();
  await page.getByTestId('store-day').waitFor();
  await expectText(page, 'store-scope', '全店（2 台收银台）');

  // 打印日报: the store's report, both tills with their own figures and the store's total.
  await page.getByTestId('day-report').click();
  const preview = page.getByTestId('print-preview');
  await expectText(page, 'print-preview', '全店（2 台收银台）');
  const text = await preview.innerText();
  expect(text).toContain('医保全店日结对账单');
  expect(await preview.locator('tr[data-till="T1"][data-part="all"]').innerText()).toContain(own1.medfee);
  expect(await preview.locator('tr[data-till="T2"][data-part="all"]').innerText()).toContain(own2.medfee);
  expect(await preview.locator('tr.total[data-part="all"]').innerText()).toContain(store.totals.all.medfee);
  await shot(page, 'store-report');
  await page.keyboard.press('Escape');

  // 导出: the store's files.
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
  expect(xlsx.suggestedFilename()).toBe(`store-reconciliation-${today}_${today}.xlsx`);
  expect(readFileSync((await xlsx.path())!).subarray(0, 2).toString()).toBe('PK');
  const [csvFile] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const csv = parseCsv(readFileSync((await csvFile.path())!, 'utf8'));
  const col = csv[0]!.indexOf('合计医疗费总额');
  expect(csv.find((r) => r[1] === 'T1')![col]).toBe(own1.medfee);
  expect(csv.find((r) => r[1] === 'T2')![col]).toBe(own2.medfee);
  expect(csv.find((r) => r[1] === '全店（2 台收银台）小计')![col]).toBe(store.totals.all.medfee);

  // 统计图表 and 差异处理: the store scope.
  await page.getByTestId('nav-charts').click();
  await expectText(page, 'store-scope', '全店（2 台收银台）');
  await page.getByTestId('day-chart').locator('svg').waitFor();
  await page.getByTestId('nav-discrepancies').click();
  await page.getByTestId('discrepancy-list').waitFor();
  await expectText(page, 'store-scope', '全店（2 台收银台）');
  expect(page.errors()).toEqual([]);
}, 240_000);
