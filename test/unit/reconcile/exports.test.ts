import { describe, expect, test } from 'vitest';
import { type DaySummary, type DayView, type Discrepancy, type EntryView } from '../../../core/contracts/reconciliation';
import { detailCsv, detailRows, type ExportInput, parseCsv } from '../../../core/reconcile/export-table';
import { dailyReportHtml } from '../../../core/reconcile/report';
import { chartParts, sumChartParts } from '../../../core/reconcile/charts';
import { fact } from './fixtures';
import { postings } from '../../../core/reconcile/ledger';
import { Calendar } from '../../../core/reconcile/calendar';

const T = (count: number, medfee: string, fund: string, account: string, cash: string) => ({ count, medfee, fund, account, cash });
const zero = T(0, '0.00', '0.00', '0.00', '0.00');
const entry = (over: Partial<EntryView>): EntryView => ({
  id: 'settlement:1#confirmed', kind: 'sale', status: 'confirmed', at: '2026-06-01T02:00:00.000Z', date: '2026-06-01', belongsTo: null, saleId: 'S1', msgid: null, setlId: null,
  insutype: '310', setlOptins: '360100', patient: { name: '张*', idNumber: '' }, count: 1, medfee: '10.00', fund: '4.00', account: '3.00', cash: '3.00', note: '', ...over,
});
const day: DaySummary = {
  date: '2026-06-01', state: 'closed', closedAt: 'x', closedBy: '2001', balanced: true, lastCheck: null, openDiscrepancies: 0,
  totals: { confirmed: T(2, '10.50', '4.00', '3.00', '3.50'), provisional: zero, adjustments: zero, all: T(2, '10.50', '4.00', '3.00', '3.50') },
};
const input: ExportInput = {
  store: { code: 'P1', name: '药店' }, from: '2026-06-01', to: '2026-06-01', generatedAt: '2026-06-01T10:00:00.000Z', days: [day],
  entries: new Map([['2026-06-01', [entry({}), entry({ id: 'e2', note: '=HYPERLINK("http://x"),"quoted"', count: 1, medfee: '0.50', fund: '0.00', account: '0.00', cash: '0.50' })]]]),
  total: day.totals, discrepancies: [], resolutions: [],
};

describe('CSV export', () => {
  test('entries, then the day subtotals, then the range totals, all as the API reports them', () => {
    const rows = detailRows(input);
    expect(rows.map((r) => r.type)).toEqual(['entry', 'entry', 'subtotal', 'subtotal', 'subtotal', 'total', 'total', 'total']);
    const parsed = parseCsv(detailCsv(input));
    expect(parsed).toHaveLength(1 + rows.length);
    expect(parsed[parsed.length - 1]!.slice(11, 16)).toEqual(['2', '10.50', '4.00', '3.00', '3.50']);
  });

  test('text that a spreadsheet would run as a formula is defused, and quotes survive', () => {
    const csv = detailCsv(input);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const note = parseCsv(csv)[2]![16];
    expect(note).toBe(`'=HYPERLINK("http://x"),"quoted"`);
    // Negative amounts stay numbers (they are not text cells).
    const negative = detailCsv({ ...input, entries: new Map([['2026-06-01', [entry({ medfee: '-1.00', cash: '-1.00', fund: '0.00', account: '0.00' })]]]) });
    expect(parseCsv(negative)[1]![12]).toBe('-1.00');
  });
});

describe('daily report', () => {
  test('escapes everything it prints and shows the day state and the sections', () => {
    const view: DayView = { ...day, groups: [], entries: [entry({ note: '<script>alert(1)</script>' })], detail: [], discrepancies: [] as Discrepancy[] };
    const html = dailyReportHtml(view, [], { code: 'P1', name: '药店 <b>' }, '2026-06-01T10:00:00Z');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('药店 &lt;b&gt;');
    expect(html).toContain('已日结');
    for (const section of ['totals', 'groups', 'entries', 'discrepancies', 'resolutions']) expect(html).toContain(`data-section="${section}"`);
  });
});

describe('charts', () => {
  test('fund, account and cash, confirmed apart from provisional; months add up', () => {
    const entries = postings([fact('settlement:1'), fact('settlement:2', { status: 'provisional', centreDay: null, fund: '1.00', account: '0.00', cash: '9.00' })], new Map(), new Calendar([]));
    const parts = chartParts(entries);
    expect(parts).toEqual({ confirmed: { fund: '4.00', account: '3.00', cash: '3.00' }, provisional: { fund: '1.00', account: '0.00', cash: '9.00' } });
    expect(sumChartParts([parts, parts]).provisional.cash).toBe('18.00');
  });
});
