// Incremental, resumable catalogue download (1301/1306 → 9102), pure: the centre call and the
// storage are ports. One round = one 1301 call with the stored version and the file it names; its
// rows and the new version are committed together (CatalogueLedger.commitChunk is one transaction),
// so an interruption keeps every complete chunk and the next download starts after the last one.
// A bad row refuses its chunk with the row and field named; nothing of that chunk is stored.
// Rounds repeat until the centre answers data_cnt 0 [P: a client asks again with its new maximum
// version until nothing newer is left; S1 ML1301.cs names ver "本地最大版本号"].
import { describeOutcome, type CentreOutcome } from './outcome';
import {
  CATALOGUE_KINDS, CatalogueFileError, compareVersions, parseCatalogueFile, type CatalogueDownloadOutput, type CatalogueEntry,
  type CatalogueInfno,
} from './tx/catalogue';

export interface CatalogueChunk {
  readonly info: CatalogueDownloadOutput;
  /** The file's text; null when data_cnt is 0 (no file is fetched). */
  readonly text: string | null;
}

export interface CatalogueLedger {
  /** The highest version stored for this catalogue ("0" before the first download). */
  version(infno: CatalogueInfno): string;
  /** Stores the rows and moves the version from `from` to `to` atomically; throws if the stored version is no longer `from`. */
  commitChunk(infno: CatalogueInfno, from: string, to: string, rows: readonly CatalogueEntry[]): void;
  recordAttempt(infno: CatalogueInfno, report: CatalogueDownloadReport): void;
}

export interface CatalogueDownloadReport {
  readonly infno: CatalogueInfno;
  readonly ok: boolean;
  readonly fromVersion: string;
  readonly version: string;
  readonly chunks: number;
  readonly rows: number;
  /** For the technician: what happened, and on failure where the next download resumes. */
  readonly message: string;
  readonly at: string;
}

export interface CatalogueDownloadDeps {
  readonly fetch: (infno: CatalogueInfno, ver: string) => Promise<CentreOutcome<CatalogueChunk>>;
  readonly ledger: CatalogueLedger;
  readonly clock: () => Date;
  readonly layout?: readonly string[];
  /** A guard against a centre that never answers data_cnt 0. */
  readonly maxChunks?: number;
}

export async function downloadCatalogue(infno: CatalogueInfno, deps: CatalogueDownloadDeps): Promise<CatalogueDownloadReport> {
  const name = CATALOGUE_KINDS[infno].name;
  const fromVersion = deps.ledger.version(infno);
  let version = fromVersion;
  let chunks = 0;
  let rows = 0;
  const finish = (ok: boolean, message: string): CatalogueDownloadReport => {
    const report: CatalogueDownloadReport = { infno, ok, fromVersion, version, chunks, rows, message, at: deps.clock().toISOString() };
    deps.ledger.recordAttempt(infno, report);
    return report;
  };
  const kept = (): string => (chunks > 0 ? `本次已保存 ${chunks} 批 ${rows} 条，` : '') + `已保存的数据完整（版本 ${version}），下次下载从此版本继续`;
  const maxChunks = deps.maxChunks ?? 10_000;
  for (;;) {
    if (chunks >= maxChunks) return finish(false, `${name}: 已下载 ${chunks} 批仍未结束，已停止；${kept()}`);
    const outcome = await deps.fetch(infno, version);
    if (outcome.kind !== 'ok') return finish(false, `${name}下载中断（${failureText(outcome)}）；${kept()}`);
    const { info, text } = outcome.output;
    if (info.data_cnt === 0) {
      return finish(true, chunks === 0 ? `${name}已是最新（版本 ${version}）` : `${name}下载完成：${chunks} 批 ${rows} 条，版本 ${fromVersion} → ${version}`);
    }
    let entries: CatalogueEntry[];
    try {
      entries = parseCatalogueFile(infno, text ?? '', deps.layout);
    } catch (error) {
      if (!(error instanceof CatalogueFileError)) throw error;
      return finish(false, `${name}文件被拒绝（${info.filename}）：${error.message}；这一批未保存，${kept()}`);
    }
    if (entries.length !== info.data_cnt) {
      return finish(false, `${name}文件被拒绝（${info.filename}）：data_cnt 为 ${info.data_cnt}，文件中有 ${entries.length} 行（文件不完整？）；这一批未保存，${kept()}`);
    }
    const stale = entries.findIndex((e) => compareVersions(e.ver, version) <= 0);
    if (stale >= 0) {
      return finish(false, `${name}文件被拒绝（${info.filename}）：第 ${stale + 1} 行 ver ${entries[stale]!.ver} 不比本地版本 ${version} 新；这一批未保存，${kept()}`);
    }
    const next = entries.reduce((max, e) => (compareVersions(e.ver, max) > 0 ? e.ver : max), version);
    deps.ledger.commitChunk(infno, version, next, entries);
    version = next;
    chunks += 1;
    rows += entries.length;
  }
}

function failureText(outcome: Exclude<CentreOutcome<unknown>, { kind: 'ok' }>): string {
  switch (outcome.kind) {
    case 'rejected': return `中心拒绝：${outcome.message}`;
    case 'not_delivered': return `未连上医保中心：${outcome.reason}`;
    case 'unknown': return `连接中断或应答无效：${outcome.detail}`;
  }
  return describeOutcome(outcome);
}
