// The technician's catalogue bench over the API (training mode: the in-process sandbox centre):
// before any download a mapping is saved but unverified; "download now" (technician only) stores
// 1301/1306 with version, rows and result; then a code not in the downloaded catalogue is refused,
// and a mapped code's class comes from the downloaded catalogue, and once 1312/1319 are stored, from
// them. The status route shows each query's last updt_time, rows, last download and, while one runs,
// its progress.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestBackend, type TestBackend } from '../support/backend';

let api: TestBackend;
let tech: string;
let cashier: string;
let manager: string;
beforeAll(async () => {
  api = await startTestBackend();
  tech = await api.login('3001', '3333');
  cashier = await api.login('1001', '1111');
  manager = await api.login('2001', '2222');
});
afterAll(async () => { await api?.close(); });

describe('catalogues and mapping', () => {
  test('before a download: nothing stored, and a mapping is saved but unverified', async () => {
    const view = await api.call('GET', '/api/catalogues', { token: cashier });
    expect(view.status).toBe(200);
    expect(view.body.catalogues).toEqual([
      expect.objectContaining({ infno: '1301', name: '西药中成药目录', version: '0', rows: 0, lastAttemptAt: null, lastOk: null }),
      expect.objectContaining({ infno: '1306', name: '医用耗材目录', version: '0', rows: 0 }),
    ]);
    const saved = await api.call('PUT', '/api/sku-mappings/6900000000001', { token: tech, body: { catalogueCode: 'TRAIN-D-B01' } });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ verification: 'unverified', catalogue: { listClass: 'B', classSource: 'local' } });
    expect(saved.body.explanation).toMatch(/尚未下载医保目录/);
    const unknown = await api.call('PUT', '/api/sku-mappings/6900000000002', { token: tech, body: { catalogueCode: 'NOPE' } });
    expect(unknown).toMatchObject({ status: 422, body: { error: 'CATALOGUE_CODE_UNKNOWN', field: 'catalogueCode' } });
  });

  test('download now is for the technician only', async () => {
    expect((await api.call('POST', '/api/catalogues/download', { token: cashier, body: {} })).status).toBe(403);
    expect((await api.call('POST', '/api/catalogues/download', { token: manager, body: {} })).status).toBe(403);
  });

  test('download stores each catalogue with version, rows and result, and the dictionaries', async () => {
    const r = await api.call('POST', '/api/catalogues/download', { token: tech, body: {} });
    expect(r.status).toBe(200);
    expect(r.body.catalogues).toEqual([
      expect.objectContaining({ infno: '1301', ok: true, fromVersion: '0', version: '3', rows: 5 }),
      expect.objectContaining({ infno: '1306', ok: true, fromVersion: '0', version: '4', rows: 2 }),
    ]);
    expect(r.body.dictionaries).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'chrgitm_lv', ok: true, rows: 3 })]));
    expect(r.body.queries).toEqual([
      expect.objectContaining({ infno: '1312', ok: true, pages: 1, rows: 8, total: 8 }),
      expect.objectContaining({ infno: '1319', ok: true, pages: 1, rows: 3, total: 3 }),
    ]);
    const view = await api.call('GET', '/api/catalogues', { token: tech });
    expect(view.body.queries[0]).toMatchObject({ infno: '1312', name: '医保目录信息查询', rows: 8, lastOk: true, lastPages: 1, lastRows: 8, total: 8, nextPage: 1, running: null, lastUpdate: expect.stringMatching(/^2024-01-05/) });
    expect(view.body.queries[0].since).toBe('2024-01-05');
    expect(view.body.catalogues[0]).toMatchObject({ version: '3', rows: 5, lastOk: true, lastSuccessAt: expect.any(String) });
    expect(view.body.catalogues[0].lastMessage).toMatch(/下载完成/);
    const again = await api.call('POST', '/api/catalogues/download', { token: tech, body: { infnos: ['1301'], dictionaries: [] } });
    expect(again.body.catalogues).toEqual([expect.objectContaining({ infno: '1301', ok: true, chunks: 0, fromVersion: '3', version: '3' })]);
  });

  test('after a download: a code not in it is refused; a mapped code\'s class comes from it', async () => {
    const refused = await api.call('PUT', '/api/sku-mappings/6900000000003', { token: tech, body: { catalogueCode: 'TRAIN-O-C01' } });
    expect(refused).toMatchObject({ status: 422, body: { error: 'CATALOGUE_CODE_NOT_DOWNLOADED', field: 'catalogueCode' } });
    expect(refused.body.message).toMatch(/已下载的西药中成药目录（1301）、医用耗材目录（1306）中没有编码 TRAIN-O-C01/);
    const verified = await api.call('PUT', '/api/sku-mappings/6900000000001', { token: tech, body: { catalogueCode: 'TRAIN-D-B02' } });
    expect(verified.body).toMatchObject({ verification: 'verified', catalogue: { listClass: 'B', classSource: 'downloaded' } });
    expect(verified.body.explanation).toMatch(/乙类取自医保目录信息查询（1312，更新于 2024-01-03），先自付比例 0.05 取自先自付比例查询（1319）/);
    const listed = (await api.call('GET', '/api/sku-mappings', { token: tech })).body as Array<{ sku: string; verification: string }>;
    expect(listed.find((m) => m.sku === '6900000000001')?.verification).toBe('verified');
    await api.call('DELETE', '/api/sku-mappings/6900000000001', { token: tech });
  });

  test('a ratio changed at the centre reaches the price through the next download; the explanation names its source', async () => {
    expect(api.runtime.policy.catalogueItem('TRAIN-D-B01')?.selfPayRatio).toBe('0.10');
    const ver = api.runtime.sandbox!.centre.publishCatalogueRow({ code: 'TRAIN-D-B01', name: '【培训】乙类口服药（先自付 20%）', listClass: 'B', selfPayRatio: '0.20', kind: 'drug' });
    const r = await api.call('POST', '/api/catalogues/download', { token: tech, body: { infnos: ['1301'], dictionaries: [] } });
    expect(r.body.catalogues[0]).toMatchObject({ ok: true, version: String(ver), rows: 1 });
    expect(r.body.queries.map((q: { ok: boolean }) => q.ok)).toEqual([true, true]);
    // What checkout prices with (PolicyStore.catalogueItem): the queried ratio, the local limit price.
    expect(api.runtime.policy.catalogueItem('TRAIN-D-B01')).toMatchObject({ listClass: 'B', selfPayRatio: '0.20' });
    const saved = await api.call('PUT', '/api/sku-mappings/6900000000004', { token: tech, body: { catalogueCode: 'TRAIN-D-B01' } });
    expect(saved.body.explanation).toMatch(/乙类取自医保目录信息查询（1312，更新于 \d{4}-\d{2}-\d{2}），先自付比例 0.20 取自先自付比例查询（1319）/);
    await api.call('DELETE', '/api/sku-mappings/6900000000004', { token: tech });
  });

  test('ratios that differ by person type (1319) leave the catalogue file\'s ratio, and the sentence says why', async () => {
    api.runtime.sandbox!.centre.hilist.publishSelfPay({ code: 'TRAIN-D-B02', psnType: 'TRN2', ratio: '0.30' });
    await api.call('POST', '/api/catalogues/download', { token: tech, body: { infnos: [], dictionaries: [], queries: ['1319'] } });
    expect(api.runtime.policy.catalogueItem('TRAIN-D-B02')).toMatchObject({ listClass: 'B', selfPayRatio: '0.05' });
    const saved = await api.call('PUT', '/api/sku-mappings/6900000000005', { token: tech, body: { catalogueCode: 'TRAIN-D-B02' } });
    expect(saved.body.explanation).toContain('按人员类别给出不同比例（TRAIN 0.05、TRN2 0.30）');
    expect(saved.body.explanation).toContain('先自付比例沿用目录文件的 0.05');
    await api.call('DELETE', '/api/sku-mappings/6900000000005', { token: tech });
  });

  test('while a query runs, the status route shows its progress; afterwards its result', async () => {
    api.runtime.sandbox!.setFaults({ infnos: ['1312'], latencyMs: [600, 600] });
    try {
      const pending = api.call('POST', '/api/catalogues/download', { token: tech, body: { infnos: [], dictionaries: [], queries: ['1312'] } });
      let running: unknown = null;
      for (let i = 0; i < 50 && !running; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        running = (await api.call('GET', '/api/catalogues', { token: cashier })).body.queries[0].running;
      }
      expect(running).toMatchObject({ since: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), pages: 0, rows: 0, total: null, startedAt: expect.any(String) });
      const done = await pending;
      expect(done.body.queries[0]).toMatchObject({ infno: '1312', ok: true, pages: 1 });
    } finally { api.runtime.sandbox!.setFaults({}); }
    const after = (await api.call('GET', '/api/catalogues', { token: cashier })).body.queries[0];
    expect(after).toMatchObject({ running: null, lastOk: true, lastPages: 1 });
  });
});
