// 1312 (class) and 1319 (先自付比例) against the sandbox centre over HTTP: paged, incremental by
// updt_time, each page committed with the cursor; a connection cut half-way keeps the complete pages
// and the next download resumes at the next page; a bad row refuses its page naming page, row and
// field, and nothing of it is stored; the sandbox refuses a request its edition does not allow.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { downloadHilist } from '../../../core/centre/hilist-download';
import { createCentreClient } from '../../../core/centre/client';
import { msgidGenerator } from '../../../core/centre/msgid';
import { type CentreTransport } from '../../../core/centre/port';
import { TRAINING_IDENTITY, TRAINING_TERMINAL } from '../../../core/centre/training';
import { type HilistInfno } from '../../../core/centre/tx/hilist';
import { HilistStore } from '../../../native/catalogue/hilist-store';
import { zipFileCodec } from '../../../native/centre/zip';
import { type RunningSandbox } from '../../../native/sandbox/server';
import { sandbox, storeDb } from './fixture';
import { HttpJsonTransport } from '../../../native/centre/http-transport';

let sb: RunningSandbox;
beforeAll(async () => { sb = await sandbox(); });
afterAll(async () => { await sb?.close(); });

function fresh(wrap?: (inner: CentreTransport) => CentreTransport) {
  const inner = new HttpJsonTransport({ url: sb.endpoint, connectTimeoutMs: 1000, responseTimeoutMs: 3000 });
  const clock = () => new Date();
  const centre = createCentreClient({
    transport: wrap ? wrap(inner) : inner, identity: TRAINING_IDENTITY, clock, terminal: TRAINING_TERMINAL, files: zipFileCodec,
    nextMsgid: msgidGenerator(TRAINING_IDENTITY.fixmedinsCode, clock),
  });
  const ledger = new HilistStore(storeDb().db);
  const progress: Array<{ pages: number; rows: number; total: number | null }> = [];
  const run = (infno: HilistInfno, pageSize = 3) => downloadHilist(infno, {
    fetch: (i, input) => centre.hilistPage(i, input), ledger, clock, admdvs: TRAINING_IDENTITY.mdtrtareaAdmvs, pageSize,
    onProgress: (p) => progress.push({ pages: p.pages, rows: p.rows, total: p.total }),
  });
  return { ledger, centre, run, progress };
}

const classes = (ledger: HilistStore, codes: string[]) => codes.map((c) => ledger.classRows(c).map((r) => [r.code, r.listClass, r.valid]));

describe('1312 / 1319 download', () => {
  test('a first download reads every page, stores the class per code and reports progress with the centre total', async () => {
    const { ledger, run, progress } = fresh();
    const r = await run('1312');
    expect(r).toMatchObject({ ok: true, since: '2000-01-01', pages: 3, rows: 8, total: 8 });
    expect(classes(ledger, ['TRAIN-D-A01', 'TRAIN-D-B01', 'TRAIN-D-C01'])).toEqual([[['TRAIN-D-A01', 'A', true]], [['TRAIN-D-B01', 'B', true]], [['TRAIN-D-C01', 'C', true]]]);
    expect(progress.map((p) => p.pages)).toEqual([0, 1, 2, 3]);
    expect(progress.at(-1)).toEqual({ pages: 3, rows: 8, total: 8 });
    const state = ledger.states()[0]!;
    expect(state).toMatchObject({ infno: '1312', rows: 8, nextPage: 1, lastOk: true, total: 8, lastPages: 3, lastRows: 8 });
    expect(state.since).toBe(state.lastUpdate.slice(0, 10));
    const ratios = await run('1319');
    expect(ratios).toMatchObject({ ok: true, pages: 1, rows: 3 });
    expect(ledger.ratioRows('TRAIN-D-B01').map((x) => [x.psnType, x.ratio])).toEqual([['TRAIN', '0.10']]);
  });

  test('the next download asks from the day of the newest row and gets what was published since', async () => {
    const { ledger, run } = fresh();
    await run('1312');
    const since = ledger.states()[0]!.since;
    const again = await run('1312');
    expect(again).toMatchObject({ ok: true, since });
    expect(again.rows).toBeLessThan(8);
    sb.centre.publishCatalogueRow({ code: 'TRAIN-D-B09', name: '【培训】乙类新药', listClass: 'B', selfPayRatio: '0.25', kind: 'drug' });
    // (the sandbox publishes its 1319 row with it)
    const later = await run('1312');
    expect(later.ok).toBe(true);
    expect(ledger.classRows('TRAIN-D-B09').map((x) => x.listClass)).toEqual(['B']);
    expect(ledger.states()[0]!.since > since).toBe(true);
    await run('1319');
    expect(ledger.ratioRows('TRAIN-D-B09').map((x) => x.ratio)).toEqual(['0.25']);
  });

  test('a connection cut on page 2 keeps page 1; the next download resumes at page 2 and ends as an uncut one', async () => {
    let pages = 0;
    const { ledger, run } = fresh((inner) => ({
      async send(request) {
        if (request.envelope.infno === '1312' && ++pages === 2) sb.setFaults({ infnos: ['1312'], dropAfterCommitRate: 1 });
        try { return await inner.send(request); } finally { sb.setFaults({}); }
      },
    }));
    const cut = await run('1312');
    expect(cut).toMatchObject({ ok: false, pages: 1, rows: 3, next: { since: '2000-01-01', page: 2 } });
    expect(cut.message).toMatch(/下载中断.*2000-01-01 起第 2 页继续/);
    expect(ledger.states()[0]).toMatchObject({ rows: 3, nextPage: 2, since: '2000-01-01', lastOk: false });
    const resumed = await run('1312');
    expect(resumed).toMatchObject({ ok: true, since: '2000-01-01' });
    const whole = fresh();
    await whole.run('1312');
    expect(ledger.states()[0]).toMatchObject({ rows: whole.ledger.states()[0]!.rows, since: whole.ledger.states()[0]!.since, nextPage: 1 });
  });

  test('a bad row refuses its page naming page, row and field; what was stored is unchanged', async () => {
    const { ledger, run } = fresh((inner) => ({
      async send(request) {
        const reply = await inner.send(request);
        if (request.envelope.infno === '1312' && (request.envelope.input as { data: { page_num: number } }).data.page_num === 2 && reply.kind === 'json') {
          const body = reply.body as { output: { data: Array<Record<string, unknown>> } };
          body.output.data[1]!['chrgitm_lv'] = '09';
        }
        return reply;
      },
    }));
    const refused = await run('1312');
    expect(refused).toMatchObject({ ok: false, pages: 1, rows: 3, next: { page: 2 } });
    expect(refused.message).toContain('1312 第 2 页第 2 行 chrgitm_lv');
    expect(refused.message).toContain('这一页未保存');
    expect(ledger.states()[0]).toMatchObject({ rows: 3, nextPage: 2 });
  });

  test('the sandbox checks a 1312 request against its edition (page_num is required)', async () => {
    const { run } = fresh((inner) => ({
      send(request) {
        if (request.envelope.infno !== '1312') return inner.send(request);
        const input = request.envelope.input as { data: Record<string, unknown> };
        const { page_num: _dropped, ...data } = input.data;
        return inner.send({ ...request, envelope: { ...request.envelope, input: { data } } });
      },
    }));
    const r = await run('1312');
    expect(r.ok).toBe(false);
    expect(r.message).toContain('input.data.page_num');
  });
});
