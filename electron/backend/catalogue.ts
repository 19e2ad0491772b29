// The technician's catalogue bench: download the national catalogues (1301/1306, incremental and
// resumable, core/centre/catalogue-download.ts) and dictionaries (1901), and the mapping check and
// view that use them (core/catalogue/effective.ts).
import { downloadCatalogue } from '../../core/centre/catalogue-download';
import { CentreInputError } from '../../core/centre/client';
import { downloadHilist, type HilistProgress } from '../../core/centre/hilist-download';
import { CATALOGUE_KINDS } from '../../core/centre/tx/catalogue';
import { HILIST_QUERIES, type HilistInfno } from '../../core/centre/tx/hilist';
import { checkMapping, type MappingVerdict } from '../../core/catalogue/effective';
import { type CataloguesView, type CatalogueDownloadResult } from '../../core/contracts/technician';
import { formatDay } from '../../core/centre/time';
import { type CentrePort } from '../../core/centre/port';
import { type PolicyStore } from '../../native/policy-store/store';

export interface CatalogueDeps {
  readonly centre: CentrePort;
  readonly policy: PolicyStore;
  readonly clock: () => Date;
  /** 就医地 admin division for 1901's admdvs. */
  readonly admdvs: string;
}

/** The 1312 / 1319 download under way on this terminal (shown by GET /api/catalogues while it runs). */
const running = new Map<HilistInfno, HilistProgress & { startedAt: string }>();

export function cataloguesView(policy: PolicyStore): CataloguesView {
  return {
    catalogues: policy.downloaded.states().map((s) => ({ ...s, name: CATALOGUE_KINDS[s.infno].name })),
    queries: policy.queried.states().map((s) => {
      const r = running.get(s.infno);
      return {
        ...s, name: HILIST_QUERIES[s.infno].name,
        running: r ? { startedAt: r.startedAt, since: r.since, pages: r.pages, rows: r.rows, total: r.total, totalPages: r.totalPages } : null,
      };
    }),
    dictionaries: policy.downloaded.dictionaries(),
  };
}

/** One download at a time per terminal: a second request waits for the first and reports its own result. */
let queue: Promise<unknown> = Promise.resolve();

type DownloadRequest = { infnos: ReadonlyArray<'1301' | '1306'>; dictionaries: readonly string[]; queries?: readonly HilistInfno[] };

export function downloadAll(deps: CatalogueDeps, request: DownloadRequest): Promise<CatalogueDownloadResult> {
  const next = queue.then(() => run(deps, request), () => run(deps, request));
  queue = next.catch(() => undefined);
  return next;
}

async function run(deps: CatalogueDeps, request: DownloadRequest): Promise<CatalogueDownloadResult> {
  const catalogues: CatalogueDownloadResult['catalogues'] = [];
  for (const infno of request.infnos) {
    const r = await downloadCatalogue(infno, { fetch: (i, ver) => deps.centre.catalogueChunk(i, ver), ledger: deps.policy.downloaded, clock: deps.clock });
    catalogues.push({ infno: r.infno, ok: r.ok, fromVersion: r.fromVersion, version: r.version, chunks: r.chunks, rows: r.rows, message: r.message });
  }
  const queries: CatalogueDownloadResult['queries'] = [];
  for (const infno of request.queries ?? []) {
    const startedAt = deps.clock().toISOString();
    try {
      const r = await downloadHilist(infno, {
        fetch: (i, input) => deps.centre.hilistPage(i, input), ledger: deps.policy.queried, clock: deps.clock, admdvs: deps.admdvs,
        onProgress: (p) => running.set(infno, { ...p, startedAt }),
      });
      queries.push({ infno, ok: r.ok, pages: r.pages, rows: r.rows, total: r.total, message: r.message });
    } catch (error) {
      // The interface edition does not define the query (or our own input is wrong): nothing sent.
      if (!(error instanceof CentreInputError)) throw error;
      queries.push({ infno, ok: false, pages: 0, rows: 0, total: null, message: `${HILIST_QUERIES[infno].name}（${infno}）未下载：${error.message}；甲乙丙类别与先自付比例仍按目录文件或本机目录` });
    } finally {
      running.delete(infno);
    }
  }
  const dictionaries: CatalogueDownloadResult['dictionaries'] = [];
  for (const type of request.dictionaries) {
    const outcome = await deps.centre.dictionary({ data: { type, parentValue: '', admdvs: deps.admdvs, date: formatDay(deps.clock()), valiFlag: '1' } });
    if (outcome.kind !== 'ok') {
      const why = outcome.kind === 'rejected' ? `中心拒绝：${outcome.message}` : outcome.kind === 'not_delivered' ? `未连上医保中心：${outcome.reason}` : `连接中断或应答无效：${outcome.detail}`;
      dictionaries.push({ type, ok: false, rows: 0, message: `字典 ${type} 未更新（${why}），已保存的字典不变` });
      continue;
    }
    const rows = outcome.output.list.filter((r) => r.type === type);
    deps.policy.downloaded.replaceDictionary(type, rows, deps.clock().toISOString());
    dictionaries.push({ type, ok: true, rows: rows.length, message: `字典 ${type}：${rows.length} 条` });
  }
  return { catalogues, queries, dictionaries, view: cataloguesView(deps.policy) };
}

export function mappingVerdict(policy: PolicyStore, code: string): MappingVerdict {
  return checkMapping(code, policy.downloaded.downloadedKinds(), policy.downloaded.entry(code));
}

/** The mapping as the technician sees it: its item, where the class comes from, whether it was checked. */
export function mappingView(policy: PolicyStore, m: { sku: string; catalogueCode: string; note: string; updatedAt: string; updatedBy: string }) {
  const effective = policy.catalogueExplained(m.catalogueCode);
  const verdict = mappingVerdict(policy, m.catalogueCode);
  const verification = verdict.kind === 'verified' ? 'verified' as const : verdict.kind === 'unverified' ? 'unverified' as const : 'not_in_catalogue' as const;
  const lead = verdict.kind === 'unverified' ? verdict.explanation : verdict.kind === 'refused' ? verdict.message : '';
  return {
    ...m,
    catalogue: effective.item ? { name: effective.item.name, listClass: effective.item.listClass, kind: effective.item.kind, classSource: effective.classSource === 'downloaded' ? 'downloaded' as const : 'local' as const } : null,
    verification,
    explanation: [lead, effective.explanation].filter(Boolean).join('；'),
  };
}
