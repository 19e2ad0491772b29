// The technician's catalogue bench over the API (training mode: the in-process sandbox centre):
// before any download a mapping is saved but unverified; "download now" (technician only) stores
// 1301/1306 with version, rows and result; then a code not in the downloaded catalogue is refused,
// and a mapped code's class comes from the downloaded catalogue.
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
    const view = await api.call('GET', '/api/catalogues', { token: tech });
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
    expect(verified.body.explanation).toMatch(/乙类取自西药中成药目录（1301，版本 2），先自付比例 0.05 取自目录/);
    const listed = (await api.call('GET', '/api/sku-mappings', { token: tech })).body as Array<{ sku: string; verification: string }>;
    expect(listed.find((m) => m.sku === '6900000000001')?.verification).toBe('verified');
    await api.call('DELETE', '/api/sku-mappings/6900000000001', { token: tech });
  });

  test('a ratio changed at the centre reaches the price through the next download; the explanation names its source', async () => {
    expect(api.runtime.policy.catalogueItem('TRAIN-D-B01')?.selfPayRatio).toBe('0.10');
    const ver = api.runtime.sandbox!.centre.publishCatalogueRow({ code: 'TRAIN-D-B01', name: '【培训】乙类口服药（先自付 20%）', listClass: 'B', selfPayRatio: '0.20', kind: 'drug' });
    const r = await api.call('POST', '/api/catalogues/download', { token: tech, body: { infnos: ['1301'], dictionaries: [] } });
    expect(r.body.catalogues[0]).toMatchObject({ ok: true, version: String(ver), rows: 1 });
    // What checkout prices with (PolicyStore.catalogueItem): the downloaded ratio, the local limit price.
    expect(api.runtime.policy.catalogueItem('TRAIN-D-B01')).toMatchObject({ listClass: 'B', selfPayRatio: '0.20' });
    const saved = await api.call('PUT', '/api/sku-mappings/6900000000004', { token: tech, body: { catalogueCode: 'TRAIN-D-B01' } });
    expect(saved.body.explanation).toContain(`乙类取自西药中成药目录（1301，版本 ${ver}），先自付比例 0.20 取自目录`);
    await api.call('DELETE', '/api/sku-mappings/6900000000004', { token: tech });
  });
});
