// Incremental, resumable 1312 / 1319 download (core/centre/tx/hilist.ts), pure: the centre call and
// the storage are ports.
//   since      a run asks for rows with updt_time on or after `since` (a day): the day of the
//              highest updt_time stored, or HILIST_START_DAY before the first download. The day is
//              asked again on the next run [P: updt_time travels as a day]; rows are kept by rid, so
//              a row seen twice is stored once.
//   pages      page_num 1, 2, … of HILIST_PAGE_SIZE rows. Each page's rows and the next page number
//              are committed in one transaction (HilistLedger.commitPage), guarded by the page it
//              expects, so an interruption keeps every complete page and the next run resumes at
//              the next page of the same `since` (the watermark moves only when a run completes,
//              so rows on pages not yet read are never skipped, whatever order the centre pages in).
//   the end    the centre's `pages` when it gives one, else a page with fewer than page_size rows
//              [P S17 gives pages/recordCounts; a centre that does not is read until a short page].
//   bad row    refuses its page naming page, row and field; nothing of that page is stored.
import { describeOutcome, type CentreOutcome } from './outcome';
import {
  HILIST_PAGE_SIZE, HILIST_QUERIES, HILIST_START_DAY, HilistRowError, parseHilistRows, type HilistInfno, type HilistPageOutput,
  type HilistQueryInput, type HilistRowOf, type SelfPayQueryInput,
} from './tx/hilist';

export interface HilistCursor {
  /** The day the current (or next) run asks from. */
  readonly since: string;
  /** The next page to ask (1 when no run is half-way). */
  readonly page: number;
}

export interface HilistLedger {
  cursor(infno: HilistInfno): HilistCursor;
  /** Stores a page's rows and moves the cursor to page + 1 atomically; throws if the stored cursor is not `at`. */
  commitPage<I extends HilistInfno>(infno: I, at: HilistCursor, rows: ReadonlyArray<HilistRowOf<I>>, total: number | null): void;
  /** The run is complete: the cursor becomes (day of the highest updt_time stored, page 1). Returns the new since. */
  finishRun(infno: HilistInfno, at: HilistCursor): string;
  recordAttempt(infno: HilistInfno, report: HilistDownloadReport): void;
}

export interface HilistProgress {
  readonly infno: HilistInfno;
  readonly since: string;
  /** Pages stored in this run so far. */
  readonly pages: number;
  readonly rows: number;
  /** recordCounts / pages when the centre gives them. */
  readonly total: number | null;
  readonly totalPages: number | null;
}

export interface HilistDownloadReport {
  readonly infno: HilistInfno;
  readonly ok: boolean;
  readonly since: string;
  /** Where the next run starts. */
  readonly next: HilistCursor;
  readonly pages: number;
  readonly rows: number;
  readonly total: number | null;
  readonly message: string;
  readonly at: string;
}

export interface HilistDownloadDeps {
  readonly fetch: (infno: HilistInfno, input: HilistQueryInput | SelfPayQueryInput) => Promise<CentreOutcome<HilistPageOutput>>;
  readonly ledger: HilistLedger;
  readonly clock: () => Date;
  /** 参保机构医保区划 sent as insu_admdvs (the store's own division). */
  readonly admdvs: string;
  readonly pageSize?: number;
  readonly maxPages?: number;
  readonly onProgress?: (progress: HilistProgress) => void;
}

export async function downloadHilist(infno: HilistInfno, deps: HilistDownloadDeps): Promise<HilistDownloadReport> {
  const name = `${HILIST_QUERIES[infno].name}（${infno}）`;
  const pageSize = deps.pageSize ?? HILIST_PAGE_SIZE;
  const maxPages = deps.maxPages ?? 10_000;
  let at = deps.ledger.cursor(infno);
  const since = at.since;
  let pages = 0;
  let rows = 0;
  let total: number | null = null;
  let totalPages: number | null = null;
  const finish = (ok: boolean, message: string): HilistDownloadReport => {
    const report: HilistDownloadReport = { infno, ok, since, next: at, pages, rows, total, message, at: deps.clock().toISOString() };
    deps.ledger.recordAttempt(infno, report);
    return report;
  };
  const kept = (): string => (pages > 0 ? `本次已保存 ${pages} 页 ${rows} 条，` : '') + `已保存的数据完整，下次从 ${at.since} 起第 ${at.page} 页继续`;
  const progress = (): void => deps.onProgress?.({ infno, since, pages, rows, total, totalPages });
  progress();
  for (;;) {
    if (pages >= maxPages) return finish(false, `${name}: 已下载 ${pages} 页仍未结束，已停止；${kept()}`);
    const input = { data: { insu_admdvs: deps.admdvs, updt_time: at.since, page_num: at.page, page_size: pageSize } };
    const outcome = await deps.fetch(infno, input);
    if (outcome.kind !== 'ok') return finish(false, `${name}下载中断（${failureText(outcome)}）；${kept()}`);
    const out = outcome.output;
    let parsed: Array<HilistRowOf<typeof infno>>;
    try {
      parsed = parseHilistRows(infno, at.page, out.data);
    } catch (error) {
      if (!(error instanceof HilistRowError)) throw error;
      return finish(false, `${name}第 ${at.page} 页被拒绝：${error.message}；这一页未保存，${kept()}`);
    }
    if (parsed.length > pageSize) return finish(false, `${name}第 ${at.page} 页被拒绝：${parsed.length} 行，多于 page_size ${pageSize}；这一页未保存，${kept()}`);
    total = out.recordCounts ?? total;
    totalPages = out.pages ?? totalPages;
    const last = totalPages !== null ? at.page >= totalPages || parsed.length === 0 : parsed.length < pageSize;
    if (parsed.length > 0) {
      deps.ledger.commitPage(infno, at, parsed, total);
      pages += 1;
      rows += parsed.length;
      at = { since: at.since, page: at.page + 1 };
      progress();
    }
    if (last) {
      const next = deps.ledger.finishRun(infno, at);
      at = { since: next, page: 1 };
      return finish(true, rows === 0
        ? `${name}已是最新（自 ${since} 起没有更新）`
        : `${name}下载完成：${pages} 页 ${rows} 条（自 ${since} 起更新的）${total !== null ? `，中心共 ${total} 条` : ''}；下次从 ${next} 起`);
    }
  }
}

/** The cursor a store without any download starts from. */
export const INITIAL_CURSOR: HilistCursor = { since: HILIST_START_DAY, page: 1 };

function failureText(outcome: Exclude<CentreOutcome<unknown>, { kind: 'ok' }>): string {
  switch (outcome.kind) {
    case 'rejected': return `中心拒绝：${outcome.message}`;
    case 'not_delivered': return `未连上医保中心：${outcome.reason}`;
    case 'unknown': return `连接中断或应答无效：${outcome.detail}`;
  }
  return describeOutcome(outcome);
}
