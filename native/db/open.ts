// Opens a SQLite file the way every store here needs it: WAL, foreign keys, full durability,
// and numbered migrations tracked in PRAGMA user_version. A database written by a newer version
// of the app is refused rather than guessed at.
import Database from 'better-sqlite3';

export type Db = Database.Database;

/** Page cache per connection, KiB. */
export const PAGE_CACHE_KIB = 2048;

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * The compiled statement for `sql` on this connection, prepared once and reused: compiling costs
 * more than running a small write, and the settle commit runs a dozen of them. Callers must not
 * change a cached statement's mode (pluck/raw/expand) or iterate it: use db.prepare for those.
 */
export function statement(db: Db, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) { cache = new Map(); statements.set(db, cache); }
  let compiled = cache.get(sql);
  if (!compiled) { compiled = db.prepare(sql); cache.set(sql, compiled); }
  return compiled;
}

/**
 * Runs `write` committing without waiting for the disk (synchronous NORMAL), for writes whose loss
 * in a power cut costs nothing but a re-scan: a sale still being put together (identify, basket,
 * prescription, pre-settle). In WAL mode such a commit survives a crash of the app, and the next
 * FULL commit (a settlement, the outbox, the journal) makes it durable too, since the WAL is written
 * in order. Inside a caller's transaction it just runs: the outer commit decides.
 */
export function relaxedCommit<T>(db: Db, write: () => T): T {
  if (db.inTransaction) return write();
  db.pragma('synchronous = NORMAL');
  try {
    return db.transaction(write)();
  } finally {
    db.pragma('synchronous = FULL');
  }
}

export interface Migration {
  /** 1, 2, 3 … with no gaps; the database's user_version is the last one applied. */
  readonly version: number;
  readonly name: string;
  up(db: Db): void;
}

export class DatabaseTooNewError extends Error {
  constructor(readonly path: string, readonly found: number, readonly known: number) {
    super(`${path} was written by a newer version of this app (schema ${found}, this app knows up to ${known}); refusing to open it`);
  }
}

export function checkMigrations(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
}

export function openDatabase(path: string, migrations: readonly Migration[], options: { readonly?: boolean } = {}): Db {
  checkMigrations(migrations);
  const db = new Database(path, { readonly: options.readonly ?? false });
  try {
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      // FULL: a committed settlement survives power loss, not only a process crash.
      db.pragma('synchronous = FULL');
    }
    // SQLite's own default page cache (2 MiB) instead of better-sqlite3's 16 MiB per connection: a
    // year of history read once (journal verify, old lists) would otherwise stay resident, and the
    // OS file cache already holds the hot pages. Durability is untouched.
    db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > migrations.length) throw new DatabaseTooNewError(path, current, migrations.length);
    if (!options.readonly) migrate(db, migrations, current);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: Db, migrations: readonly Migration[], from: number): void {
  for (const migration of migrations.slice(from)) {
    // Each step and its version bump commit together, so a crash leaves a consistent schema.
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
