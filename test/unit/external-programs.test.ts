// The external-programs registry is the one list of what the tree starts (issue 13): a program
// spawned anywhere in the sources must have a row, and a row that says scripts/check-system-deps.sh
// installs it must be true of that script.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { EXTERNAL_PROGRAMS, externalProgram, findOnPath } from '../../native/system/external-programs';

const repoRoot = join(import.meta.dirname, '..', '..');
const SOURCE_DIRS = ['core', 'native', 'electron', 'renderer/src', 'scripts', 'test', '.ci'];
const SOURCE_FILE = /\.(ts|tsx|mjs|cjs|js|sh)$|^run$/;

function* sources(dir: string): Generator<string> {
  let entries;
  try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return; }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== 'node_modules' && e.name !== 'dist') yield* sources(path); } else if (SOURCE_FILE.test(e.name)) yield path;
  }
}

/** Program names the sources start by a literal name: spawn('x'), spawnSync("x"), execFile(`x`), …, and `command -v x` in scripts. */
function spawnedNames(): Map<string, string> {
  const found = new Map<string, string>();
  // `.exec(` is a database's or a regex's; child_process's exec is called bare.
  const call = /(?:\b(?:spawn|spawnSync|execFile|execFileSync)|(?<![.\w])(?:exec|execSync))\(\s*['"`]([^'"`\s]+)/g;
  const shell = /\bcommand -v ([A-Za-z0-9_.-]+)/g;
  for (const dir of SOURCE_DIRS) {
    for (const file of sources(join(repoRoot, dir))) {
      if (file.endsWith('external-programs.test.ts')) continue;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(call)) found.set(m[1]!, relative(repoRoot, file));
      for (const m of text.matchAll(shell)) found.set(m[1]!, relative(repoRoot, file));
    }
  }
  return found;
}

describe('the external-programs registry', () => {
  test('every program the tree starts by name has a row', () => {
    const known = new Set(EXTERNAL_PROGRAMS.flatMap((p) => [p.name, basename(p.name)]));
    const missing = [...spawnedNames()].filter(([name]) => !known.has(name) && !known.has(basename(name)));
    expect(missing, 'add a row to native/system/external-programs.ts for each').toEqual([]);
  });

  test('it finds what it should: socat, curl and udevadm are in the list', () => {
    const names = spawnedNames();
    expect(names.has('socat')).toBe(true);
    expect(names.has('curl') || names.has('bash')).toBe(true);
    expect(externalProgram('udevadm').provision.kind).toBe('fallback');
  });

  test('each system-deps row is installed by scripts/check-system-deps.sh', () => {
    const script = readFileSync(join(repoRoot, 'scripts', 'check-system-deps.sh'), 'utf8');
    for (const p of EXTERNAL_PROGRAMS) {
      if (p.provision.kind === 'system-deps') expect(script, `${p.name}: ${p.provision.debianPackage}`).toMatch(new RegExp(`missing\\+=\\([^)]*\\b${p.provision.debianPackage}\\b`));
    }
  });

  test('rows are unique, sorted by name, and say where they are started', () => {
    const names = EXTERNAL_PROGRAMS.map((p) => basename(p.name));
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([...names].sort());
    for (const p of EXTERNAL_PROGRAMS) expect(p.startedIn.length).toBeGreaterThan(0);
  });

  test('an unlisted program is refused by name; findOnPath looks only on the PATH it is given', () => {
    expect(() => externalProgram('nope-not-a-tool')).toThrow(/external-programs\.ts/);
    expect(findOnPath('node', '/nonexistent-dir')).toBeNull();
    expect(findOnPath(basename(process.execPath), join(process.execPath, '..'))).toBe(process.execPath);
  });
});
