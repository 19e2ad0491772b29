// Which version of which region's policy applies to a purchase. A version is in force from its first
// day until the next version of the same region starts, or until the last day its document sets.
// An unknown start (or end) date never counts as "not in force": we cannot tell, so the quote says
// PARAMETER_UNKNOWN and pays no pooled fund — saying NOT_IN_FORCE would claim something we do not know.
import { regionMatch, type PolicyPackage } from './package';

/** Where the engine gets packages from: a plain list, or the store (which filters by region in SQL). */
export interface PolicyLookup {
  /** Every version of every region that could cover this insured region code (more is fine, never fewer). */
  packagesFor(regionCode: string): readonly PolicyPackage[];
}

export type Selection =
  | { kind: 'regionUnknown' }
  | { kind: 'inForce'; pkg: PolicyPackage }
  /** No version is in force: before the first, or after an end the document set. `nearest` is for the explanation. */
  | { kind: 'notInForce'; nearest: PolicyPackage }
  /** A version may be in force but its dates are not known. */
  | { kind: 'effectiveUnknown'; pkg: PolicyPackage };

export function isLookup(source: readonly PolicyPackage[] | PolicyLookup): source is PolicyLookup {
  return !Array.isArray(source) && typeof (source as PolicyLookup).packagesFor === 'function';
}

/** The versions of the most specific region covering `regionCode` (a city beats its province). */
export function regionVersions(all: readonly PolicyPackage[], regionCode: string): PolicyPackage[] {
  let best = 0;
  let bestCode = '';
  for (const pkg of all) {
    const score = regionMatch(pkg, regionCode);
    if (score > best || (score === best && score > 0 && pkg.region.code < bestCode)) {
      best = score;
      bestCode = pkg.region.code;
    }
  }
  return best === 0 ? [] : all.filter((p) => p.region.code === bestCode);
}

export function selectVersion(source: readonly PolicyPackage[] | PolicyLookup, regionCode: string, date: string): Selection {
  const all = isLookup(source) ? source.packagesFor(regionCode) : source;
  const versions = regionVersions(all, regionCode);
  if (versions.length === 0) return { kind: 'regionUnknown' };

  const dated = versions
    .filter((v) => v.effective.from.known)
    .sort((a, b) => startOf(a).localeCompare(startOf(b)) || a.id.localeCompare(b.id));
  const undated = versions.filter((v) => !v.effective.from.known);
  // The latest known start on or before the date: later versions supersede earlier ones.
  const current = [...dated].reverse().find((v) => startOf(v) <= date);

  if (current) {
    const to = current.effective.to;
    if (!to.known) return { kind: 'effectiveUnknown', pkg: current };
    if (to.value === null || date <= to.value) return { kind: 'inForce', pkg: current };
  }
  // Nothing known covers the date; an undated version might.
  const maybe = undated.sort((a, b) => a.id.localeCompare(b.id)).at(-1);
  if (maybe) return { kind: 'effectiveUnknown', pkg: maybe };
  return { kind: 'notInForce', nearest: current ?? dated[0]! };
}

function startOf(pkg: PolicyPackage): string {
  return pkg.effective.from.known ? pkg.effective.from.value : '';
}
