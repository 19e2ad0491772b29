// Runs a CommonJS bundle with a V8 code cache: the bytecode V8 compiled on an earlier start is read
// back from a file instead of compiling the 4 MiB backend bundle again (Node 20, which tests and
// `npm run serve` use, has no module.enableCompileCache; this is its portable equivalent, and works
// in Electron's utility process too). The cache is written once the backend is listening, so it
// holds the functions the start-up ran, not only the top level. A cache made for another bundle,
// another V8 or other V8 flags is not used: the header names the bundle's SHA-256 and V8's version,
// and V8 itself checks its version and flags (script.cachedDataRejected); either way the bundle is
// compiled from its source and the cache rewritten.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { constants as vmConstants, Script } from 'node:vm';
import { BACKEND_LISTENING_EVENT } from '../backend/listening-event';

const HEADER = 'ybjs-code-cache/1';

export type CodeCacheOutcome = 'used' | 'none' | 'stale' | 'rejected' | 'off';

export interface CodeCacheRun {
  /** used: compiled from the cache; none/stale/rejected: compiled from source, cache rewritten when the backend listens; off: no cache folder. */
  readonly outcome: CodeCacheOutcome;
  readonly cacheFile: string | null;
  /** Settles once a new cache was written (or could not be); immediately when none is needed. */
  readonly written: Promise<void>;
}

export interface CodeCacheOptions {
  /** The folder for the cache file (created if missing); null runs the bundle without a cache. */
  readonly cacheDir: string | null;
  /** Where to say that the cache could not be written (never fatal). */
  readonly log: (line: string) => void;
  /** What signals that start-up is done; the process by default. */
  readonly events?: Pick<NodeJS.EventEmitter, 'once'>;
}

function headerFor(bundle: Buffer): string {
  // The bytes, not the decoded text: hashing the string would convert all 4 MiB back to UTF-8.
  const sha = createHash('sha256').update(bundle).digest('hex');
  return `${HEADER} ${sha} v8 ${process.versions.v8} ${process.arch}\n`;
}

/** Reads the cache's payload if its header matches; undefined when there is none or it is another bundle's. */
function readCache(cacheFile: string, header: string): { data: Buffer | undefined; found: boolean } {
  let file: Buffer;
  try {
    file = readFileSync(cacheFile);
  } catch {
    return { data: undefined, found: false };
  }
  const headerBytes = Buffer.byteLength(header);
  const matches = file.length > headerBytes && file.subarray(0, headerBytes).toString('utf8') === header;
  return { data: matches ? file.subarray(headerBytes) : undefined, found: true };
}

/** Loads and runs `bundlePath` as a CommonJS module (its require resolves from its own folder). */
export function runBundleWithCodeCache(bundlePath: string, options: CodeCacheOptions): CodeCacheRun {
  const bytes = readFileSync(bundlePath);
  const source = bytes.toString('utf8');
  const cacheFile = options.cacheDir === null ? null : join(options.cacheDir, `${basename(bundlePath)}.v8-cache`);
  const header = cacheFile === null ? '' : headerFor(bytes);
  const cached = cacheFile === null ? { data: undefined, found: false } : readCache(cacheFile, header);
  // The same wrapper Node puts around a CommonJS file, so the bundle sees require, module, __filename.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n})`;
  const script = new Script(wrapped, {
    filename: bundlePath,
    ...(cached.data && { cachedData: cached.data }),
    importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const outcome: CodeCacheOutcome = cacheFile === null ? 'off'
    : cached.data === undefined ? (cached.found ? 'stale' : 'none')
      : script.cachedDataRejected === true ? 'rejected' : 'used';

  let written: Promise<void> = Promise.resolve();
  if (cacheFile !== null && outcome !== 'used') {
    options.log(`backend code cache ${outcome === 'none' ? 'not there yet' : outcome === 'stale' ? 'made for another bundle or V8' : 'refused by V8'}: compiled from source, a new one is written once the backend listens`);
    written = new Promise<void>((resolve) => {
      (options.events ?? process).once(BACKEND_LISTENING_EVENT, () => {
        // Synchronously, before the backend reports ready: a start stopped right after it (the
        // bench, a quick restart) still leaves the cache for the next one. Only the start that
        // has no usable cache pays for it.
        try {
          const data = script.createCachedData();
          mkdirSync(dirname(cacheFile), { recursive: true });
          const partial = `${cacheFile}.${process.pid}.tmp`;
          writeFileSync(partial, Buffer.concat([Buffer.from(header, 'utf8'), data]), { mode: 0o600 });
          renameSync(partial, cacheFile); // a crash mid-write leaves the old file or none, never half a cache
        } catch (error) {
          options.log(`backend code cache not written (the next start compiles again): ${error instanceof Error ? error.message : String(error)}`);
        }
        resolve();
      });
    });
  }

  const bundleModule = { exports: {} as unknown, filename: bundlePath, id: bundlePath, loaded: false };
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  run.call(bundleModule.exports, bundleModule.exports, createRequire(bundlePath), bundleModule, bundlePath, dirname(bundlePath));
  bundleModule.loaded = true;
  return { outcome, cacheFile, written };
}
