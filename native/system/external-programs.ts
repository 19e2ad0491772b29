// Every program outside node_modules that the app, its scripts or its tests start, in one list: what
// uses it, and either how the app copes without it (`fallback`) or where it comes from (`install`).
// test/unit/external-programs.test.ts fails when the tree spawns a program missing here, or when a
// row says `system-deps` and scripts/check-system-deps.sh does not install that package.
//
// To add a program: add one row (keep the list sorted by name), and — for `system-deps` — add the
// same Debian package to scripts/check-system-deps.sh.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export type Provision =
  /** The app works without it: this is what it does instead. */
  | { readonly kind: 'fallback'; readonly instead: string }
  /** scripts/check-system-deps.sh installs it (apt as root, otherwise it prints the command). */
  | { readonly kind: 'system-deps'; readonly debianPackage: string }
  /** Comes with an npm dependency (node_modules/.bin) or with node itself. */
  | { readonly kind: 'npm'; readonly from: string }
  /** Part of every Debian/Ubuntu base system (essential packages); nothing to install. */
  | { readonly kind: 'base-system'; readonly debianPackage: string };

export interface ExternalProgram {
  /** The executable's name as spawned (looked up on PATH), or an absolute path. */
  readonly name: string;
  /** Who needs it: the running app, the tests, or building/packaging. */
  readonly neededBy: 'app' | 'tests' | 'build';
  /** Where it is started, so a reader can check the row. */
  readonly startedIn: readonly string[];
  readonly provision: Provision;
}

export const EXTERNAL_PROGRAMS: readonly ExternalProgram[] = [
  { name: 'apt-get', neededBy: 'tests', startedIn: ['scripts/check-system-deps.sh'], provision: { kind: 'base-system', debianPackage: 'apt' } },
  { name: 'bash', neededBy: 'tests', startedIn: ['scripts/test.sh', 'test/integration/readme-walkthrough.test.ts'], provision: { kind: 'base-system', debianPackage: 'bash' } },
  { name: 'cc', neededBy: 'tests', startedIn: ['test/support/sscard-lib.ts (builds the test vendor library for the 社保卡 reader-interface driver)'], provision: { kind: 'system-deps', debianPackage: 'gcc' } },
  { name: '/usr/bin/chromium', neededBy: 'tests', startedIn: ['test/support/browser.ts'], provision: { kind: 'system-deps', debianPackage: 'chromium' } },
  { name: 'curl', neededBy: 'tests', startedIn: ['test/integration/readme-walkthrough.test.ts (the README walk-through)'], provision: { kind: 'system-deps', debianPackage: 'curl' } },
  { name: 'electron', neededBy: 'app', startedIn: ['scripts/start-electron.mjs'], provision: { kind: 'npm', from: 'electron (its binary is downloaded at install; without it `npm start` points to `npm run serve`)' } },
  { name: 'electron-builder', neededBy: 'build', startedIn: ['scripts/package.mjs'], provision: { kind: 'npm', from: 'electron-builder' } },
  { name: 'fc-list', neededBy: 'tests', startedIn: ['scripts/check-system-deps.sh (is a CJK font installed?)'], provision: { kind: 'system-deps', debianPackage: 'fontconfig' } },
  { name: 'getent', neededBy: 'tests', startedIn: ['test/support/postgres.ts (is there a postgres user to run the server as?)'], provision: { kind: 'base-system', debianPackage: 'libc-bin' } },
  { name: 'initdb', neededBy: 'tests', startedIn: ['test/support/postgres.ts (a throw-away PostgreSQL server for the store-ledger tests and bench; with pg_ctl, postgres)'], provision: { kind: 'system-deps', debianPackage: 'postgresql' } },
  { name: 'jq', neededBy: 'tests', startedIn: ['test/integration/readme-walkthrough.test.ts (the README walk-through)'], provision: { kind: 'system-deps', debianPackage: 'jq' } },
  { name: 'node', neededBy: 'app', startedIn: ['process.execPath: scripts, CLIs, the shell\'s backend process, tests'], provision: { kind: 'npm', from: 'node itself' } },
  { name: 'npm', neededBy: 'tests', startedIn: ['test/integration/reader/card-cli.test.ts', 'test/integration/quote-cli.test.ts'], provision: { kind: 'npm', from: 'node (npm ships with it)' } },
  { name: 'npx', neededBy: 'build', startedIn: ['scripts/ensure-renderer.mjs', 'scripts/test.sh'], provision: { kind: 'npm', from: 'node (npx ships with npm)' } },
  { name: 'sh', neededBy: 'tests', startedIn: ['test/support/postgres.ts', 'test/support/pcscd.ts'], provision: { kind: 'base-system', debianPackage: 'dash' } },
  { name: 'socat', neededBy: 'tests', startedIn: ['test/support/pty.ts (pseudo-terminal pairs for the serial tests)'], provision: { kind: 'system-deps', debianPackage: 'socat' } },
  { name: 'tsx', neededBy: 'app', startedIn: ['npm run serve / card / quote / sandbox', 'test/support/serve-process.ts'], provision: { kind: 'npm', from: 'tsx' } },
  {
    name: 'udevadm', neededBy: 'app', startedIn: ['node_modules/@serialport/bindings-cpp (Linux port listing), via native/serial/list.ts'],
    provision: { kind: 'fallback', instead: 'native/serial/list.ts lists ports from the kernel (/sys/class/tty, /dev/serial/by-id, /dev/tty{S,USB,ACM}*) and marks the list as such' },
  },
  { name: 'unshare', neededBy: 'tests', startedIn: ['test/support/pcscd.ts (pcscd in a private mount namespace, so its fixed /run/pcscd socket is the test\'s own)'], provision: { kind: 'system-deps', debianPackage: 'util-linux' } },
  { name: 'useradd', neededBy: 'tests', startedIn: ['test/support/postgres.ts (an unprivileged user for PostgreSQL when the tests run as root)'], provision: { kind: 'base-system', debianPackage: 'passwd' } },
  { name: 'which', neededBy: 'tests', startedIn: ['test/integration/readme-walkthrough.test.ts'], provision: { kind: 'base-system', debianPackage: 'debianutils' } },
];

/** The program by name (a row must exist: the registry is the one place that lists them). */
export function externalProgram(name: string): ExternalProgram {
  const row = EXTERNAL_PROGRAMS.find((p) => p.name === name);
  if (!row) throw new Error(`${name} is not in native/system/external-programs.ts: add a row for it`);
  return row;
}

/** Where `name` would be found on PATH, or null: asked before spawning, so a missing helper is a choice, not a crash. */
export function findOnPath(name: string, path: string = process.env.PATH ?? ''): string | null {
  const candidates = name.includes('/') ? [name] : path.split(delimiter).filter((d) => d !== '').map((dir) => join(dir, name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch { /* not here */ }
  }
  return null;
}
