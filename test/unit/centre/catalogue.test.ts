// The catalogue file parser (row and field named on a bad row), version order, the resumable
// downloader over a fake centre and ledger, and which class/ratio a mapped code prices with.
import { describe, expect, test } from 'vitest';
import { downloadCatalogue, type CatalogueChunk, type CatalogueLedger } from '../../../core/centre/catalogue-download';
import { type CentreOutcome } from '../../../core/centre/outcome';
import {
  CatalogueFileError, catalogueFileText, compareVersions, parseCatalogueFile, type CatalogueEntry, type CatalogueInfno,
} from '../../../core/centre/tx/catalogue';
import { checkMapping, effectiveEntry, type DownloadedEntry } from '../../../core/catalogue/effective';
import { type CatalogueItem } from '../../../core/policy/reference';

const row = (code: string, ver: string, over: Partial<CatalogueEntry> = {}): CatalogueEntry =>
  ({ code, name: `药品${code}`, listClass: 'B', selfPayRatio: '0.10', valid: true, rid: `R${code}`, ver, ...over });

describe('catalogue file', () => {
  test('round-trips the default layout, empty class and ratio reading as none', () => {
    const rows = [row('X1', '7'), row('X2', '7', { listClass: null, selfPayRatio: null, valid: false })];
    expect(parseCatalogueFile('1301', catalogueFileText('1301', rows))).toEqual(rows);
  });

  test('a bad row names its line and field', () => {
    const text = catalogueFileText('1301', [row('X1', '7'), row('X2', '7')]).replace('X2\t药品X2\t02\t0.10', 'X2\t药品X2\t02\t1.5');
    expect(() => parseCatalogueFile('1301', text)).toThrow(CatalogueFileError);
    expect(() => parseCatalogueFile('1301', text)).toThrow(/第 2 行 selfpay_prop/);
    expect(() => parseCatalogueFile('1301', 'X1\t药品\t09\t\t1\tR\t7\n')).toThrow(/第 1 行 chrgitm_lv/);
    expect(() => parseCatalogueFile('1306', 'X1\t耗材\n')).toThrow(/第 1 行: 应有 7 列/);
  });

  test('a layout names the columns it reads; the rest are carried but not read', () => {
    const layout = ['ver', 'extra', 'med_list_codg', 'drug_genname'];
    expect(parseCatalogueFile('1301', '9\tx\tX9\t名称\n', layout)).toEqual([{ code: 'X9', name: '名称', listClass: null, selfPayRatio: null, valid: true, rid: '', ver: '9' }]);
    expect(() => parseCatalogueFile('1301', '', ['med_list_codg'])).toThrow(/no column ver/);
  });

  test('versions order by number', () => {
    expect(compareVersions('10', '9')).toBeGreaterThan(0);
    expect(compareVersions('0009', '9')).toBe(0);
    expect(compareVersions('20240101', '20231231')).toBeGreaterThan(0);
  });
});

/** An in-memory ledger with the same contract as native/catalogue/store.ts. */
function memoryLedger(): CatalogueLedger & { rows: Map<string, CatalogueEntry>; ver: string; attempts: number } {
  const ledger = {
    rows: new Map<string, CatalogueEntry>(), ver: '0', attempts: 0,
    version: () => ledger.ver,
    commitChunk(_i: CatalogueInfno, from: string, to: string, rows: readonly CatalogueEntry[]) {
      if (from !== ledger.ver) throw new Error('conflict');
      for (const r of rows) ledger.rows.set(r.code, r);
      ledger.ver = to;
    },
    recordAttempt() { ledger.attempts += 1; },
  };
  return ledger;
}

const META = { infno: '1301', msgid: 'M', infRefmsgid: '', warnMsg: '' };
/** A centre with these versions (one chunk each); `fail(n)` decides how call n ends. */
function centre(versions: CatalogueEntry[][], fail: (call: number) => CentreOutcome<CatalogueChunk> | null = () => null) {
  let calls = 0;
  return async (_infno: CatalogueInfno, ver: string): Promise<CentreOutcome<CatalogueChunk>> => {
    calls += 1;
    const failed = fail(calls);
    if (failed) return failed;
    const next = versions.find((rows) => compareVersions(rows[0]!.ver, ver) > 0) ?? [];
    const info = { file_qury_no: 'F', filename: 'f.zip', dld_end_time: '', data_cnt: next.length };
    return { kind: 'ok', output: { info, text: next.length ? catalogueFileText('1301', next) : null }, meta: META };
  };
}

describe('downloadCatalogue', () => {
  const V = [[row('A', '1'), row('B', '1')], [row('C', '2')], [row('D', '3')]];
  const clock = () => new Date('2025-06-16T02:00:00Z');

  test('downloads chunk by chunk until data_cnt 0', async () => {
    const ledger = memoryLedger();
    const r = await downloadCatalogue('1301', { fetch: centre(V), ledger, clock });
    expect(r).toMatchObject({ ok: true, fromVersion: '0', version: '3', chunks: 3, rows: 4 });
    expect([...ledger.rows.keys()]).toEqual(['A', 'B', 'C', 'D']);
    expect(ledger.attempts).toBe(1);
  });

  test('an interruption keeps the complete chunks and the next run resumes after them', async () => {
    const ledger = memoryLedger();
    const cut = await downloadCatalogue('1301', { fetch: centre(V, (n) => (n === 2 ? { kind: 'unknown', reason: 'connection_lost', detail: 'socket hang up', meta: META } : null)), ledger, clock });
    expect(cut).toMatchObject({ ok: false, version: '1', chunks: 1 });
    expect(cut.message).toMatch(/下载中断.*版本 1.*继续/);
    const resumed = await downloadCatalogue('1301', { fetch: centre(V), ledger, clock });
    expect(resumed).toMatchObject({ ok: true, fromVersion: '1', version: '3', chunks: 2 });
  });

  test('a file whose row count differs from data_cnt, or with rows not newer, is refused and nothing is stored', async () => {
    const short = memoryLedger();
    const fetch = async (): Promise<CentreOutcome<CatalogueChunk>> => ({ kind: 'ok', output: { info: { file_qury_no: 'F', filename: 'f.zip', dld_end_time: '', data_cnt: 3 }, text: catalogueFileText('1301', [row('A', '1')]) }, meta: META });
    const r = await downloadCatalogue('1301', { fetch, ledger: short, clock });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/data_cnt 为 3，文件中有 1 行/);
    expect(short.rows.size).toBe(0);
    const stale = memoryLedger();
    stale.ver = '5';
    const old = await downloadCatalogue('1301', { fetch: centre(V), ledger: stale, clock, maxChunks: 3 });
    expect(old).toMatchObject({ ok: true, chunks: 0 });
  });
});

describe('class and ratio of a mapped code', () => {
  const local: CatalogueItem = { code: 'X1', name: '本机', listClass: 'B', selfPayRatio: '0.10', limitPrice: '12.00', kind: 'drug', training: false };
  const dl = (over: Partial<DownloadedEntry> = {}): DownloadedEntry => ({ infno: '1301', code: 'X1', name: '目录', listClass: 'B', selfPayRatio: '0.05', valid: true, ver: '3', ...over });

  test('the downloaded class and ratio win; the limit price stays local', () => {
    const e = effectiveEntry(local, dl());
    expect(e.item).toMatchObject({ listClass: 'B', selfPayRatio: '0.05', limitPrice: '12.00', name: '目录' });
    expect(e.classSource).toBe('downloaded');
    expect(e.explanation).toMatch(/乙类取自西药中成药目录（1301，版本 3），先自付比例 0.05 取自目录/);
  });

  test('乙 without a ratio keeps a local 乙 ratio, never makes one up', () => {
    expect(effectiveEntry(local, dl({ selfPayRatio: null })).item?.selfPayRatio).toBe('0.10');
    const none = effectiveEntry({ ...local, listClass: 'A', selfPayRatio: null }, dl({ selfPayRatio: null }));
    expect(none.item?.selfPayRatio).toBeNull();
    expect(none.explanation).toMatch(/不计先自付/);
  });

  test('no class in the file: today\'s behaviour, said so', () => {
    const e = effectiveEntry(local, dl({ listClass: null }));
    expect(e.item).toEqual(local);
    expect(e.explanation).toMatch(/未给出甲乙丙类别；甲乙丙类别与先自付比例沿用本机目录/);
    expect(effectiveEntry(undefined, dl({ listClass: null })).item).toBeUndefined();
  });

  test('mapping: refused when a catalogue was downloaded and the code is not in it; unverified before any download', () => {
    expect(checkMapping('X1', [], undefined).kind).toBe('unverified');
    expect(checkMapping('NOPE', ['1301'], undefined)).toMatchObject({ kind: 'refused', message: expect.stringMatching(/已下载的西药中成药目录（1301）中没有编码 NOPE/) });
    expect(checkMapping('X1', ['1301'], dl({ valid: false })).kind).toBe('refused');
    expect(checkMapping('X1', ['1301'], dl()).kind).toBe('verified');
  });
});
