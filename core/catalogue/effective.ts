// Which catalogue entry a mapped code prices with, and whether a mapping may be saved, once a
// national catalogue has been downloaded (1301/1306, core/centre/catalogue-download.ts).
//   class and 乙类 ratio   from the downloaded row when it gives them; otherwise the app's own
//                          catalogue (today's behaviour), and the explanation says so. A ratio is
//                          never made up: 乙 without a ratio keeps the local ratio only when the local
//                          entry is 乙 too, else none.
//   mapping                refused when a catalogue was downloaded and the code is not in it (or no
//                          longer valid); saved but "unverified" when none was downloaded.
import { type CatalogueItem } from '../policy/reference';
import { CATALOGUE_KINDS, type CatalogueInfno } from '../centre/tx/catalogue';

export interface DownloadedEntry {
  readonly infno: CatalogueInfno;
  readonly code: string;
  readonly name: string;
  readonly listClass: 'A' | 'B' | 'C' | null;
  readonly selfPayRatio: string | null;
  readonly valid: boolean;
  readonly ver: string;
}

export type ClassSource = 'downloaded' | 'local' | 'none';

export interface EffectiveEntry {
  readonly item: CatalogueItem | undefined;
  readonly classSource: ClassSource;
  /** For the technician, in a sentence. */
  readonly explanation: string;
}

export function effectiveEntry(local: CatalogueItem | undefined, downloaded: DownloadedEntry | undefined): EffectiveEntry {
  const fallback = (why: string): EffectiveEntry => local
    ? { item: local, classSource: 'local', explanation: `${why}甲乙丙类别与先自付比例沿用本机目录` }
    : { item: undefined, classSource: 'none', explanation: `${why}本机目录也没有此编码：按自费处理` };
  if (!downloaded) return fallback('');
  const source = `${CATALOGUE_KINDS[downloaded.infno].name}（${downloaded.infno}，版本 ${downloaded.ver}）`;
  if (!downloaded.valid) return fallback(`${source}标记此编码已失效；`);
  if (downloaded.listClass === null) return fallback(`${source}未给出甲乙丙类别；`);
  let ratio: string | null = null;
  let ratioNote = '';
  if (downloaded.listClass === 'B') {
    if (downloaded.selfPayRatio !== null) { ratio = downloaded.selfPayRatio; ratioNote = `，先自付比例 ${ratio} 取自目录`; }
    else if (local?.listClass === 'B' && local.selfPayRatio !== null) { ratio = local.selfPayRatio; ratioNote = `，目录未给出先自付比例，沿用本机目录的 ${ratio}`; }
    else ratioNote = '，目录未给出先自付比例，本机目录也没有：不计先自付';
  }
  const label = ({ A: '甲类', B: '乙类', C: '丙类' } as const)[downloaded.listClass];
  return {
    item: {
      code: downloaded.code,
      name: downloaded.name || local?.name || downloaded.code,
      listClass: downloaded.listClass,
      selfPayRatio: ratio,
      limitPrice: local?.limitPrice ?? null,
      kind: local?.kind ?? CATALOGUE_KINDS[downloaded.infno].itemKind,
      training: local?.training ?? false,
    },
    classSource: 'downloaded',
    explanation: `${label}取自${source}${ratioNote}`,
  };
}

export type MappingVerdict =
  | { readonly kind: 'verified'; readonly entry: DownloadedEntry }
  | { readonly kind: 'unverified'; readonly explanation: string }
  | { readonly kind: 'refused'; readonly message: string };

/** `downloadedKinds`: the catalogues with at least one stored row. */
export function checkMapping(code: string, downloadedKinds: readonly CatalogueInfno[], entry: DownloadedEntry | undefined): MappingVerdict {
  if (downloadedKinds.length === 0) return { kind: 'unverified', explanation: '尚未下载医保目录（1301/1306），此对照未经目录核对' };
  const names = downloadedKinds.map((k) => `${CATALOGUE_KINDS[k].name}（${k}）`).join('、');
  if (!entry) return { kind: 'refused', message: `已下载的${names}中没有编码 ${code}：请核对编码，或先下载最新目录` };
  if (!entry.valid) return { kind: 'refused', message: `编码 ${code} 在${CATALOGUE_KINDS[entry.infno].name}（版本 ${entry.ver}）中已失效，不能对照` };
  return { kind: 'verified', entry };
}
