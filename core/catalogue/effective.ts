// Which catalogue entry a mapped code prices with, and whether a mapping may be saved, once a
// national catalogue has been downloaded (1301/1306, core/centre/catalogue-download.ts).
//   class and 乙类 ratio   from the downloaded row when it gives them; otherwise the app's own
//                          catalogue (today's behaviour), and the explanation says so. A ratio is
//                          never made up: 乙 without a ratio keeps the local ratio only when the local
//                          entry is 乙 too, else none.
//   mapping                refused when a catalogue was downloaded and the code is not in it (or no
//                          longer valid); saved but "unverified" when none was downloaded.
import { type CatalogueItem } from '../policy/reference';
import Decimal from 'decimal.js';
import { CATALOGUE_KINDS, type CatalogueInfno } from '../centre/tx/catalogue';
import { inForce, type HilistClassRow, type SelfPayRatioRow } from '../centre/tx/hilist';

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

// ── 1312 / 1319 over the 1301 file and the app's own catalogue ──────────────────────────────────────
//   class   from the 1312 rows of the code in force on the sale day (vali_flag 1, begndate ≤ day,
//           no enddate or enddate ≥ day) when they all give the same class; otherwise the previous
//           source (1301 file, else the app's own catalogue), and the sentence says why.
//   ratio   for 乙类, from the 1319 rows in force when they all give the same ratio. They are per
//           selfpay_prop_psn_type, and which type a customer is is not public [U]: rows that differ
//           leave the previous source's ratio, and the sentence says so. A ratio is never made up.

/** The 1312 / 1319 rows stored for one code (core/centre/tx/hilist.ts), and the sale day. */
export interface QueriedRows {
  readonly classRows: readonly HilistClassRow[];
  readonly ratioRows: readonly SelfPayRatioRow[];
  /** yyyy-MM-dd. */
  readonly day: string;
}

const CLASS_LABEL = { A: '甲类', B: '乙类', C: '丙类' } as const;

function sameRatio(a: string, b: string): boolean {
  return new Decimal(a).equals(new Decimal(b));
}

export function effectiveWithQueries(local: CatalogueItem | undefined, downloaded: DownloadedEntry | undefined, queried: QueriedRows): EffectiveEntry {
  const base = effectiveEntry(local, downloaded);
  const { classRows, ratioRows, day } = queried;
  if (classRows.length === 0 && ratioRows.length === 0) return base;
  const classNow = inForce(classRows, day);
  const classes = [...new Set(classNow.map((r) => r.listClass))];
  let listClass: 'A' | 'B' | 'C' | null = base.item?.listClass ?? null;
  let lead = '';
  let fromQuery = false;
  if (classes.length === 1) {
    listClass = classes[0]!;
    fromQuery = true;
    const newest = classNow.map((r) => r.updatedAt).sort().at(-1)!;
    lead = `${CLASS_LABEL[listClass]}取自医保目录信息查询（1312，更新于 ${newest.slice(0, 10)}）`;
  } else if (classRows.length > 0) {
    lead = classes.length === 0
      ? `医保目录信息查询（1312）在 ${day} 没有此编码的有效记录；`
      : `医保目录信息查询（1312）在 ${day} 给出多个类别（${classes.map((c) => CLASS_LABEL[c]).join('、')}），不能确定；`;
  }
  if (listClass === null) return { ...base, explanation: `${lead}${base.explanation}` };
  const first = classNow[0];
  const item: CatalogueItem = base.item
    ? { ...base.item, listClass }
    : { code: first!.code, name: first!.name || first!.code, listClass, selfPayRatio: null, limitPrice: null, kind: 'other', training: false };
  // The previous source's 乙类 ratio (given only where that source said 乙).
  const previous = base.item?.listClass === 'B' ? base.item.selfPayRatio : null;
  const previousFrom = base.classSource === 'downloaded' ? '目录文件' : '本机目录';
  let ratio: string | null = null;
  let ratioNote = '';
  if (listClass === 'B') {
    const ratioNow = inForce(ratioRows, day);
    const distinct = ratioNow.reduce<string[]>((acc, r) => (acc.some((x) => sameRatio(x, r.ratio)) ? acc : [...acc, r.ratio]), []);
    if (distinct.length === 1) {
      ratio = distinct[0]!;
      ratioNote = `先自付比例 ${ratio} 取自先自付比例查询（1319${ratioNow.length > 1 ? `，${ratioNow.length} 个人员类别一致` : ''}）`;
    } else {
      const why = ratioRows.length === 0 ? ''
        : distinct.length === 0 ? `先自付比例查询（1319）在 ${day} 没有此编码的有效比例，`
          : `先自付比例查询（1319）按人员类别给出不同比例（${ratioNow.map((r) => `${r.psnType || '未注明'} ${r.ratio}`).join('、')}），顾客属于哪一类无公开依据，`;
      ratio = previous;
      ratioNote = previous !== null ? `${why}先自付比例沿用${previousFrom}的 ${previous}` : `${why}没有可用的先自付比例：不计先自付`;
    }
  }
  if (fromQuery) {
    return { item: { ...item, selfPayRatio: ratio }, classSource: 'downloaded', explanation: `${lead}${ratioNote ? `，${ratioNote}` : ''}` };
  }
  // The class stays the previous source's: keep its sentence, and say what 1319 did for the ratio.
  return {
    item: { ...item, selfPayRatio: ratio },
    classSource: base.classSource,
    explanation: `${lead}${base.explanation}${listClass === 'B' && ratioRows.length > 0 ? `；${ratioNote}` : ''}`,
  };
}
