// A real, throw-away PostgreSQL server for tests and benchmarks: initdb into a temporary folder,
// a free loopback port, the unix socket in that folder, stopped (and removed) at the end — also
// when the test process exits early. initdb/postgres refuse to run as root, so as root the server
// runs as the `postgres` system user Debian's package creates (created here if it is missing).
// Missing binaries fail loudly (scripts/check-system-deps.sh installs them); nothing is skipped.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  /** postgres://… of the server's `postgres` database (superuser `ledger`, trust auth on loopback). */
  readonly url: string;
  readonly port: number;
  /** A connection string to `database` on this server. */
  urlOf(database: string): string;
  /** Creates an empty database and returns its connection string. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast shutdown: open connections are cut), keeping its data. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  destroy(): Promise<void>;
}

const SUPERUSER = 'ledger';

export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return join(which.stdout.trim(), '..');
  throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found: run `bash scripts/check-system-deps.sh` as root (installs Debian\'s postgresql)');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** As root, who runs the server: the `postgres` system user (created if absent). */
function serverUser(): { uid: number; gid: number; name: string } | null {
  if (process.getuid?.() !== 0) return null;
  const lookup = (): string | null => {
    const r = spawnSync('getent', ['passwd', 'postgres'], { encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : null;
  };
  let entry = lookup();
  if (!entry) {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
    entry = lookup();
  }
  const [name, , uid, gid] = entry!.split(':');
  return { name: name!, uid: Number(uid), gid: Number(gid) };
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'ybjs-pg-'));
  const data = join(dir, 'data');
  const user = serverUser();
  if (user) { chmodSync(dir, 0o700); chownSync(dir, user.uid, user.gid); }
  const run = (tool: string, args: string[]): void => {
    const argv = user ? ['setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', join(bin, tool), ...args] : [join(bin, tool), ...args];
    const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', cwd: dir, env: { ...process.env, LC_ALL: 'C.UTF-8' } });
    if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  };
  run('initdb', ['-D', data, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--no-sync', '--no-instructions']);
  const port = await freePort();
  // fsync off: these servers hold test data only; a restart is a clean shutdown, never a power cut.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 -c shared_buffers=32MB`;
  let running = false;
  const startServer = async (): Promise<void> => {
    run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
    running = true;
  };
  const stopServer = async (): Promise<void> => {
    if (!running) return;
    run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
    running = false;
  };
  // A test process that dies early must not leave a server behind.
  const onExit = (): void => {
    if (running) spawnSync(user ? 'setpriv' : join(bin, 'pg_ctl'), user ? [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop'] : ['-D', data, '-m', 'immediate', 'stop']);
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  try {
    await startServer();
  } catch (error) {
    onExit();
    throw error;
  }
  const urlOf = (database: string): string => `postgres://${SUPERUSER}@127.0.0.1:${port}/${database}`;
  return {
    url: urlOf('postgres'), port, urlOf,
    createDatabase: async (name) => {
      if (!/^[a-z][a-z0-9_]{0,40}$/.test(name)) throw new Error(`database name ${name}: lower-case letters, digits and _ only`);
      const client = new pg.Client({ connectionString: urlOf('postgres') });
      await client.connect();
      try { await client.query(`CREATE DATABASE ${name}`); } finally { await client.end(); }
      return urlOf(name);
    },
    stop: stopServer,
    start: startServer,
    destroy: async () => {
      await stopServer();
      process.removeListener('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
