// Catalogue downloads against the sandbox centre over HTTP: 1301/1306 with the stored version and the
// file through 9102, chunk by chunk; a second download gets only newer rows; a connection killed
// half-way keeps every complete chunk and the next download resumes after it; a bad row refuses its
// chunk with the row and field named and leaves what is stored unchanged. 1901 dictionaries.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { downloadCatalogue } from '../../../core/centre/catalogue-download';
import { createCentreClient } from '../../../core/centre/client';
import { msgidGenerator } from '../../../core/centre/msgid';
import { type CentreTransport } from '../../../core/centre/port';
import { TRAINING_IDENTITY, TRAINING_TERMINAL } from '../../../core/centre/training';
import { CatalogueStore } from '../../../native/catalogue/store';
import { zipFileCodec } from '../../../native/centre/zip';
import { type RunningSandbox } from '../../../native/sandbox/server';
import { client, sandbox, storeDb } from './fixture';

let sb: RunningSandbox;
beforeAll(async () => { sb = await sandbox(); });
afterAll(async () => { await sb?.close(); });

/** A fresh store database and a client over HTTP (optionally through a wrapping transport). */
function fresh(wrap?: (inner: CentreTransport) => CentreTransport) {
  const { transport } = client(sb);
  const clock = () => new Date();
  const centre = createCentreClient({
    transport: wrap ? wrap(transport) : transport, identity: TRAINING_IDENTITY, clock, terminal: TRAINING_TERMINAL, files: zipFileCodec,
    nextMsgid: msgidGenerator(TRAINING_IDENTITY.fixmedinsCode, clock),
  });
  const ledger = new CatalogueStore(storeDb().db);
  return { ledger, centre, run: (infno: '1301' | '1306') => downloadCatalogue(infno, { fetch: (i, v) => centre.catalogueChunk(i, v), ledger, clock }) };
}

describe('1301/1306 download', () => {
  test('a first download comes in one file per version and stores every row with class and ratio', async () => {
    const { ledger, run } = fresh();
    const drugs = await run('1301');
    expect(drugs).toMatchObject({ ok: true, fromVersion: '0', version: '3', chunks: 3, rows: 5 });
    expect(ledger.entries('1301').map((e) => [e.code, e.listClass, e.selfPayRatio, e.ver])).toEqual([
      ['TRAIN-D-A01', 'A', null, '1'], ['TRAIN-D-A02', 'A', null, '1'], ['TRAIN-D-B01', 'B', '0.10', '2'], ['TRAIN-D-B02', 'B', '0.05', '2'], ['TRAIN-D-C01', 'C', null, '3'],
    ]);
    const consumables = await run('1306');
    expect(consumables).toMatchObject({ ok: true, version: '4', chunks: 2, rows: 2 });
    expect(ledger.states().map((s) => [s.infno, s.version, s.rows, s.lastOk])).toEqual([['1301', '3', 5, true], ['1306', '4', 2, true]]);
  });

  test('a second download gets only the rows published since', async () => {
    const { ledger, run } = fresh();
    await run('1301');
    expect(await run('1301')).toMatchObject({ ok: true, fromVersion: '3', version: '3', chunks: 0, rows: 0 });
    const ver = sb.centre.publishCatalogueRow({ code: 'TRAIN-D-B03', name: '【培训】乙类新药', listClass: 'B', selfPayRatio: '0.20', kind: 'drug' });
    const again = await run('1301');
    expect(again).toMatchObject({ ok: true, fromVersion: '3', version: String(ver), chunks: 1, rows: 1 });
    expect(ledger.entry('TRAIN-D-B03')).toMatchObject({ listClass: 'B', selfPayRatio: '0.20', ver: String(ver) });
    expect(ledger.states()[0]).toMatchObject({ rows: 6 });
  });

  test('a connection killed in the middle keeps the complete chunks; the next download resumes after them', async () => {
    let files = 0;
    const { ledger, run } = fresh((inner) => ({
      async send(request) {
        // The second file download (9102) dies with the connection: the sandbox's fault injection.
        if (request.envelope.infno === '9102' && ++files === 2) sb.setFaults({ infnos: ['9102'], dropAfterCommitRate: 1 });
        try { return await inner.send(request); } finally { sb.setFaults({}); }
      },
    }));
    const cut = await run('1301');
    expect(cut).toMatchObject({ ok: false, fromVersion: '0', version: '1', chunks: 1, rows: 2 });
    expect(cut.message).toContain('下载中断');
    expect(cut.message).toContain('下次下载从此版本继续');
    expect(ledger.entries('1301').map((e) => e.code)).toEqual(['TRAIN-D-A01', 'TRAIN-D-A02']);
    expect(ledger.states()[0]).toMatchObject({ version: '1', rows: 2, lastOk: false });
    const resumed = await run('1301');
    expect(resumed).toMatchObject({ ok: true, fromVersion: '1' });
    expect(resumed.chunks).toBeGreaterThanOrEqual(2);
    // The same rows and version as a download that was never interrupted.
    const whole = fresh();
    expect((await whole.run('1301')).version).toBe(resumed.version);
    expect(ledger.entries('1301')).toEqual(whole.ledger.entries('1301'));
    expect(ledger.states()[0]).toMatchObject({ lastOk: true });
  });

  test('a damaged file (a truncated reply to 9102) stores nothing and says where the next download resumes', async () => {
    const { ledger, run } = fresh();
    sb.setFaults({ infnos: ['9102'], hostile: 'truncated' });
    try {
      const r = await run('1306');
      expect(r).toMatchObject({ ok: false, fromVersion: '0', version: '0', chunks: 0 });
      expect(r.message).toMatch(/下载中断.*版本 0.*继续/);
    } finally { sb.setFaults({}); }
    expect(ledger.entries('1306')).toEqual([]);
    expect(ledger.states()[1]).toMatchObject({ version: '0', rows: 0, lastOk: false });
    expect(await run('1306')).toMatchObject({ ok: true, fromVersion: '0' });
  });

  test('a bad row refuses its chunk, naming the row and the field; nothing of it is stored', async () => {
    const { ledger, run } = fresh();
    await run('1301');
    const before = { entries: ledger.entries('1301'), state: ledger.states()[0]!.version };
    const ver = sb.centre.publishCatalogueRow({ code: 'TRAIN-D-BAD', name: '【培训】比例错误', listClass: 'B', selfPayRatio: '1.50', kind: 'drug' });
    const refused = await run('1301');
    expect(refused.ok).toBe(false);
    expect(refused.message).toMatch(/第 1 行 selfpay_prop/);
    expect(refused.message).toContain('这一批未保存');
    expect(ledger.entries('1301')).toEqual(before.entries);
    expect(ledger.states()[0]!.version).toBe(before.state);
    // Put right at the centre (a new version), the next download takes it.
    sb.centre.publishCatalogueRow({ code: 'TRAIN-D-BAD', name: '【培训】比例已更正', listClass: 'B', selfPayRatio: '0.15', kind: 'drug' });
    const fixed = await run('1301');
    expect(fixed).toMatchObject({ ok: true });
    expect(Number(fixed.version)).toBeGreaterThan(ver);
    expect(ledger.entry('TRAIN-D-BAD')).toMatchObject({ selfPayRatio: '0.15' });
  });
});

describe('1901 dictionary', () => {
  test('returns one type\'s entries', async () => {
    const { centre } = client(sb);
    const outcome = await centre.dictionary({ data: { type: 'chrgitm_lv', parentValue: '', admdvs: TRAINING_IDENTITY.mdtrtareaAdmvs, date: '2025-06-16', valiFlag: '1' } });
    expect(outcome.kind).toBe('ok');
    if (outcome.kind !== 'ok') return;
    expect(outcome.output.list.map((r) => [r.value, r.label])).toEqual([['01', '甲类'], ['02', '乙类'], ['03', '丙类']]);
  });
});
