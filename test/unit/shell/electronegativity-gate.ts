// Runs @doyensec/electronegativity over the shell's sources and sorts every finding into
// "justified" or "unjustified". A finding is justified only by
//   • a comment on its line or in the comment block right above it:
//       // electronegativity-justified: CHECK_ID — why this is safe (at least 15 characters)
//   • or, for findings without a line (global checks report file "N/A"), an entry in
//     build/security/electronegativity-justified.json: { check, file, reason }.
// Electronegativity's own `eng-disable` comments are refused: they hide a finding without a reason.
// It reads only .js/.ts/.html, so sources are staged into a temp folder first with .mjs/.cjs
// renamed to .js; reports name the original files.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { z } from 'zod';

const require = createRequire(import.meta.url);

export const repoRoot = new URL('../../..', import.meta.url).pathname;
export const SCAN_ROOTS = ['electron/shell', 'build'] as const;
export const ALLOW_LIST = 'build/security/electronegativity-justified.json';
const JUSTIFICATION = /electronegativity-justified:\s*([A-Z0-9_]+)\s*[—–-]+\s*(.+?)\s*(?:\*\/)?\s*$/;
const MIN_REASON = 15;

export const AllowList = z.strictObject({
  excludedChecks: z.record(z.string().regex(/^[A-Z0-9_]+$/), z.string().min(MIN_REASON)),
  findings: z.array(z.strictObject({ check: z.string().regex(/^[A-Z0-9_]+$/), file: z.string().min(1), reason: z.string().min(MIN_REASON) })),
});
export type AllowList = z.infer<typeof AllowList>;

export interface Finding {
  readonly id: string;
  /** Repo-relative path of the original file, or "N/A" for global findings. */
  readonly file: string;
  readonly line: number;
  readonly description: string;
  readonly sample: string;
}

export interface Verdict {
  readonly justified: Array<Finding & { readonly reason: string }>;
  readonly unjustified: Finding[];
  /** Allow-list entries that matched no finding: stale, so they fail too. */
  readonly staleAllowEntries: AllowList['findings'];
}

interface RawIssue { id: string; file: string; location?: { line: number }; description?: unknown; sample?: unknown }
interface RawResult { issues: RawIssue[]; errors: Array<{ file: string; message: string; tolerable: boolean }> }
type Runner = (options: Record<string, unknown>) => Promise<RawResult>;

export function loadAllowList(text = readFileSync(join(repoRoot, ALLOW_LIST), 'utf8')): AllowList {
  return AllowList.parse(JSON.parse(text));
}

/** AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK → availablesecurityfixesglobalcheck, the name the runner filters by. */
export function constructName(checkId: string): string {
  return checkId.replace(/_/g, '').toLowerCase();
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Files electronegativity must not skip silently: our script/TS/HTML sources. */
const SOURCE = /\.(m?[jt]s|c[jt]s|tsx|html?)$/;

export interface ScanResult {
  readonly findings: Finding[];
  readonly parseErrors: string[];
  readonly scannedFiles: string[];
}

/** Scans `roots` (absolute folders) together, as one app, so cross-file global checks see everything. */
export async function scan(roots: readonly string[], excludedChecks: readonly string[], base = repoRoot): Promise<ScanResult> {
  const stage = mkdtempSync(join(tmpdir(), 'ybjs-eng-'));
  const original = new Map<string, string>();
  try {
    for (const root of roots) {
      for (const file of filesUnder(root).filter((f) => SOURCE.test(f))) {
        const rel = relative(base, file);
        const staged = rel.replace(/\.[cm]([jt]s)$/, '.$1');
        cpSync(file, join(stage, staged));
        original.set(staged.split(sep).join('/'), rel.split(sep).join('/'));
      }
    }
    keepScanOffline();
    const run = require('@doyensec/electronegativity') as Runner;
    const result = await run({
      input: stage,
      isRelative: true,
      // The Electron version drives several checks; it is the one we ship, not one guessed from files.
      electronVersionOverride: electronVersion(),
      excludeFromScan: excludedChecks.map(constructName),
    });
    const findings = result.issues.map((issue): Finding => ({
      id: issue.id,
      file: issue.file === 'N/A' ? 'N/A' : original.get(issue.file.split(sep).join('/')) ?? issue.file,
      line: issue.location?.line ?? 0,
      description: typeof issue.description === 'string' ? issue.description : JSON.stringify(issue.description),
      sample: typeof issue.sample === 'string' ? issue.sample.slice(0, 160) : '',
    }));
    const parseErrors = result.errors.filter((e) => !e.tolerable).map((e) => `${original.get(e.file) ?? e.file}: ${e.message}`);
    return { findings, parseErrors, scannedFiles: [...original.values()].sort() };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/**
 * electronegativity's locale loader fetches a translation file from the internet on every scan. The
 * scan must not touch the network (CI has none, and a test must not depend on it), so its loader is
 * replaced, before the first require, by one that configures the same i18n module from the locale
 * files the package ships.
 */
function keepScanOffline(): void {
  const loaderPath = require.resolve('@doyensec/electronegativity/dist/locales/i18n.js');
  if (require.cache[loaderPath]?.loaded) return;
  const i18n = createRequire(loaderPath)('i18n') as { configure(options: object): void; setLocale(locale: string): void };
  const offlineLoader = async (): Promise<void> => {
    i18n.configure({ locales: ['en-US', 'es-ES', 'fr-FR'], defaultLocale: 'en-US', directory: dirname(loaderPath), updateFiles: false, objectNotation: true, retryInDefaultLocale: true, register: global });
    i18n.setLocale('en-US');
  };
  const stub = new Module(loaderPath);
  stub.filename = loaderPath;
  stub.loaded = true;
  stub.exports = Object.assign(offlineLoader, { default: offlineLoader });
  require.cache[loaderPath] = stub;
}

export function electronVersion(): string {
  return (JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string }).version;
}

/** The justification for `checkId` on `line` (1-based) or in the comment lines right above it. */
export function inlineJustification(lines: readonly string[], line: number, checkId: string): string | null {
  const candidates: string[] = [];
  if (line >= 1 && line <= lines.length) candidates.push(lines[line - 1]!);
  for (let i = line - 2; i >= 0; i -= 1) {
    const text = lines[i]!.trim();
    if (!text.startsWith('//') && !text.startsWith('*') && !text.startsWith('/*')) break;
    candidates.push(text);
  }
  for (const text of candidates) {
    const match = JUSTIFICATION.exec(text);
    if (match && match[1] === checkId && match[2]!.length >= MIN_REASON) return match[2]!;
  }
  return null;
}

export function judge(findings: readonly Finding[], allow: AllowList, readLines: (file: string) => readonly string[]): Verdict {
  const justified: Verdict['justified'] = [];
  const unjustified: Finding[] = [];
  const used = new Set<number>();
  for (const finding of findings) {
    const entry = allow.findings.findIndex((e) => e.check === finding.id && e.file === finding.file);
    if (entry >= 0) {
      used.add(entry);
      justified.push({ ...finding, reason: allow.findings[entry]!.reason });
      continue;
    }
    const reason = finding.file === 'N/A' ? null : inlineJustification(readLines(finding.file), finding.line, finding.id);
    if (reason === null) unjustified.push(finding);
    else justified.push({ ...finding, reason });
  }
  return { justified, unjustified, staleAllowEntries: allow.findings.filter((_, i) => !used.has(i)) };
}

export function formatFinding(finding: Finding): string {
  return `${finding.id} at ${finding.file}:${finding.line} — ${finding.description}${finding.sample ? ` (${finding.sample})` : ''}`;
}
