// 1312 / 1319: row parsing (a bad row names page, row and field), the paged download against a
// scripted centre (pages, short last page, resume), and the class and ratio they give a mapped code
// over the 1301 file and the app's own catalogue, at the sale day.
import { describe, expect, test } from 'vitest';
import { effectiveWithQueries, type DownloadedEntry } from '../../../core/catalogue/effective';
import { downloadHilist, INITIAL_CURSOR, type HilistCursor, type HilistLedger } from '../../../core/centre/hilist-download';
import { type CentreOutcome } from '../../../core/centre/outcome';
import { HilistRowError, parseHilistRows, type HilistClassRow, type HilistPageOutput, type SelfPayRatioRow } from '../../../core/centre/tx/hilist';
import { type CatalogueItem } from '../../../core/policy/reference';

const meta = { infno: '1312', msgid: 'M', infRefmsgid: '', warnMsg: '' };
const row1312 = (code: string, lv: string, updt: string, over: Record<string, unknown> = {}) => ({
  hilist_code: code, hilist_name: code, insu_admdvs: '420302', begndate: '2024-01-01', enddate: null, chrgitm_lv: lv, vali_flag: '1', rid: `R-${code}`, updt_time: updt, ...over,
});

describe('rows', () => {
  test('a 1312 row gives the class; a bad one names page, row and field', () => {
    expect(parseHilistRows('1312', 1, [row1312('X1', '02', '2025-01-01 08:00:00')])[0]).toMatchObject({ code: 'X1', listClass: 'B', begin: '2024-01-01', end: '', valid: true });
    expect(() => parseHilistRows('1312', 3, [row1312('X1', '01', '2025-01-01'), row1312('X2', '9', '2025-01-01')])).toThrow(HilistRowError);
    expect(() => parseHilistRows('1312', 3, [row1312('X1', '01', '2025-01-01'), row1312('X2', '9', '2025-01-01')])).toThrow(/1312 第 3 页第 2 行 chrgitm_lv/);
    expect(() => parseHilistRows('1312', 1, [row1312('X1', '01', 'yesterday')])).toThrow(/第 1 行 updt_time/);
  });

  test('a 1319 ratio is a decimal from 0 to 1 (a number on the wire is read as text)', () => {
    const r = { hilist_code: 'X1', selfpay_prop_psn_type: '310', selfpay_prop_type: '1', insu_admdvs: '420302', begndate: '2024-01-01', selfpay_prop: 0.1, vali_flag: '1', rid: 'R1', updt_time: '2025-01-01' };
    expect(parseHilistRows('1319', 1, [r])[0]).toMatchObject({ ratio: '0.1', psnType: '310' });
    expect(() => parseHilistRows('1319', 1, [{ ...r, selfpay_prop: '1.5' }])).toThrow(/第 1 行 selfpay_prop/);
  });
});

function memoryLedger() {
  let cursor: HilistCursor = INITIAL_CURSOR;
  const rows = new Map<string, HilistClassRow>();
  const ledger: HilistLedger = {
    cursor: () => cursor,
    commitPage(_infno, at, page) {
      if (at.page !== cursor.page || at.since !== cursor.since) throw new Error('conflict');
      for (const r of page as readonly HilistClassRow[]) rows.set(r.rid, r);
      cursor = { since: at.since, page: at.page + 1 };
    },
    finishRun() {
      const top = [...rows.values()].map((r) => r.updatedAt.slice(0, 10)).sort().at(-1) ?? cursor.since;
      cursor = { since: top, page: 1 };
      return top;
    },
    recordAttempt() {},
  };
  return { ledger, rows, cursorNow: () => cursor };
}

describe('paged download', () => {
  const all = Array.from({ length: 5 }, (_, i) => row1312(`C${i}`, '01', `2025-01-0${i + 1} 08:00:00`));
  const centre = (withPages: boolean, failOn?: number) => {
    const asked: Array<{ page: number; since: string }> = [];
    const fetch = async (_infno: string, input: { data: { page_num: number; page_size: number; updt_time: string } }): Promise<CentreOutcome<HilistPageOutput>> => {
      const { page_num: p, page_size: size, updt_time: since } = input.data;
      asked.push({ page: p, since });
      if (p === failOn) return { kind: 'not_delivered', reason: 'connect_refused', detail: 'down', meta } as never;
      const from = all.filter((r) => r.updt_time.slice(0, 10) >= since);
      const data = from.slice((p - 1) * size, p * size);
      return { kind: 'ok', output: withPages ? { pageNum: p, recordCounts: from.length, pages: Math.ceil(from.length / size), data } : { data }, meta } as never;
    };
    return { fetch, asked };
  };

  test('without page fields it stops at a short page; with them at the last page', async () => {
    const a = memoryLedger();
    const plain = centre(false);
    const r = await downloadHilist('1312', { fetch: plain.fetch, ledger: a.ledger, clock: () => new Date(), admdvs: '420302', pageSize: 2 });
    expect(r).toMatchObject({ ok: true, pages: 3, rows: 5, total: null, next: { since: '2025-01-05', page: 1 } });
    expect(plain.asked.map((x) => x.page)).toEqual([1, 2, 3]);
    const b = memoryLedger();
    const paged = centre(true);
    const exact = all.slice(0, 4);
    all.splice(0, all.length, ...exact);
    const q = await downloadHilist('1312', { fetch: paged.fetch, ledger: b.ledger, clock: () => new Date(), admdvs: '420302', pageSize: 2 });
    // 4 rows in pages of 2: the centre's `pages` ends the run without asking for an empty third page.
    expect(q).toMatchObject({ ok: true, pages: 2, rows: 4, total: 4 });
    expect(paged.asked.map((x) => x.page)).toEqual([1, 2]);
  });

  test('an interruption keeps the complete pages; the next run resumes at the next page of the same day', async () => {
    const m = memoryLedger();
    const cut = centre(false, 2);
    const r = await downloadHilist('1312', { fetch: cut.fetch, ledger: m.ledger, clock: () => new Date(), admdvs: '420302', pageSize: 1 });
    expect(r).toMatchObject({ ok: false, pages: 1, rows: 1, next: { since: '2000-01-01', page: 2 } });
    expect(m.rows.size).toBe(1);
    const again = centre(false);
    const resumed = await downloadHilist('1312', { fetch: again.fetch, ledger: m.ledger, clock: () => new Date(), admdvs: '420302', pageSize: 1 });
    expect(again.asked[0]).toEqual({ page: 2, since: '2000-01-01' });
    expect(resumed.ok).toBe(true);
    expect(m.rows.size).toBe(all.length);
  });
});

describe('class and ratio from 1312 / 1319', () => {
  const local: CatalogueItem = { code: 'X1', name: '本机', listClass: 'B', selfPayRatio: '0.10', limitPrice: '12.00', kind: 'drug', training: false };
  const dl: DownloadedEntry = { infno: '1301', code: 'X1', name: '目录', listClass: 'B', selfPayRatio: '0.05', valid: true, ver: '3' };
  const cls = (listClass: 'A' | 'B' | 'C', over: Partial<HilistClassRow> = {}): HilistClassRow => ({ rid: `R${listClass}${over.begin ?? ''}`, code: 'X1', name: '查询', admdvs: '420302', listClass, begin: '2024-01-01', end: '', valid: true, updatedAt: '2025-03-01 08:00:00', ...over });
  const prop = (psnType: string, ratio: string, over: Partial<SelfPayRatioRow> = {}): SelfPayRatioRow => ({ rid: `P${psnType}${ratio}`, code: 'X1', psnType, propType: '1', admdvs: '420302', ratio, begin: '2024-01-01', end: '', valid: true, updatedAt: '2025-03-01 08:00:00', ...over });
  const day = '2025-06-16';

  test('nothing queried: the previous behaviour unchanged', () => {
    const e = effectiveWithQueries(local, dl, { classRows: [], ratioRows: [], day });
    expect(e.item).toMatchObject({ listClass: 'B', selfPayRatio: '0.05' });
    expect(e.explanation).toMatch(/乙类取自西药中成药目录（1301，版本 3），先自付比例 0.05 取自目录/);
  });

  test('1312 decides the class and 1319 the ratio when every row in force agrees', () => {
    const e = effectiveWithQueries(local, dl, { classRows: [cls('B')], ratioRows: [prop('11', '0.20'), prop('21', '0.200')], day });
    expect(e.item).toMatchObject({ listClass: 'B', selfPayRatio: '0.20', limitPrice: '12.00' });
    expect(e.classSource).toBe('downloaded');
    expect(e.explanation).toBe('乙类取自医保目录信息查询（1312，更新于 2025-03-01），先自付比例 0.20 取自先自付比例查询（1319，2 个人员类别一致）');
    const a = effectiveWithQueries(local, dl, { classRows: [cls('A')], ratioRows: [prop('11', '0.20')], day });
    expect(a.item).toMatchObject({ listClass: 'A', selfPayRatio: null });
  });

  test('ratios differing by person type keep the previous source\'s ratio and say why', () => {
    const e = effectiveWithQueries(local, dl, { classRows: [cls('B')], ratioRows: [prop('11', '0.20'), prop('21', '0.10')], day });
    expect(e.item?.selfPayRatio).toBe('0.05');
    expect(e.explanation).toContain('按人员类别给出不同比例（11 0.20、21 0.10）');
    expect(e.explanation).toContain('先自付比例沿用目录文件的 0.05');
    const noPrevious = effectiveWithQueries(undefined, undefined, { classRows: [cls('B')], ratioRows: [prop('11', '0.20'), prop('21', '0.10')], day });
    expect(noPrevious.item).toMatchObject({ listClass: 'B', selfPayRatio: null, name: '查询' });
    expect(noPrevious.explanation).toContain('不计先自付');
  });

  test('begndate, enddate and vali_flag count at the sale day', () => {
    const rows = [cls('C', { end: '2025-05-31', rid: 'old' }), cls('B', { begin: '2025-06-01', rid: 'new' }), cls('A', { valid: false, rid: 'gone' })];
    expect(effectiveWithQueries(local, dl, { classRows: rows, ratioRows: [], day }).item?.listClass).toBe('B');
    expect(effectiveWithQueries(local, dl, { classRows: rows, ratioRows: [], day: '2025-05-20' }).item?.listClass).toBe('C');
    const ended = effectiveWithQueries(local, dl, { classRows: [cls('A', { end: '2025-01-01' })], ratioRows: [prop('11', '0.30', { end: '2025-01-01' })], day });
    expect(ended.item).toMatchObject({ listClass: 'B', selfPayRatio: '0.05' });
    expect(ended.explanation).toMatch(/^医保目录信息查询（1312）在 2025-06-16 没有此编码的有效记录；乙类取自西药中成药目录/);
    expect(ended.explanation).toContain('没有此编码的有效比例');
  });

  test('1312 classes that disagree on the day leave the previous class; a single 1319 ratio still applies to 乙', () => {
    const e = effectiveWithQueries(local, undefined, { classRows: [cls('A', { rid: '1' }), cls('B', { rid: '2' })], ratioRows: [prop('11', '0.15')], day });
    expect(e.item).toMatchObject({ listClass: 'B', selfPayRatio: '0.15' });
    expect(e.classSource).toBe('local');
    expect(e.explanation).toContain('给出多个类别（甲类、乙类），不能确定');
    expect(e.explanation).toContain('先自付比例 0.15 取自先自付比例查询（1319）');
  });
});
