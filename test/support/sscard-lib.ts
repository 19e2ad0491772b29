// Builds the test vendor library (test/fixtures/sscard-lib/test-sscard.c) with the system C compiler
// into a temp folder. A missing compiler fails the test (scripts/check-system-deps.sh installs one).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './serve-process';

export interface TestLibrary {
  readonly dir: string;
  readonly path: string;
  /** What the test reader "holds" at the next call: gen2, gen3, none, psam, wrongtype, garbage, slow, hang, crash. */
  setState(state: string): void;
  readonly env: Record<string, string>;
  remove(): void;
}

export function compile(source: string, out: string): void {
  try {
    execFileSync('cc', ['-shared', '-fPIC', '-O1', '-o', out, source], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`cannot build the test library with cc (install a C compiler: npm run sysdeps): ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function buildTestLibrary(): TestLibrary {
  const dir = mkdtempSync(join(tmpdir(), 'ybjs-sscard-'));
  const path = join(dir, 'libtestsscard.so');
  compile(join(repoRoot, 'test/fixtures/sscard-lib/test-sscard.c'), path);
  const stateFile = join(dir, 'state');
  writeFileSync(stateFile, 'none');
  return {
    dir, path,
    setState: (state) => writeFileSync(stateFile, state),
    env: { YBJS_TEST_SSCARD_STATE: stateFile },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A copy of `path` whose ELF header says 32-bit: the loader refuses it as the wrong architecture. */
export function wrongArchitectureCopy(path: string, out: string): void {
  const bytes = readFileSync(path);
  bytes[4] = 1; // EI_CLASS: ELFCLASS32
  writeFileSync(out, bytes);
}
