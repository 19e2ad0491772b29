// Store migration 15 (sold traceability codes as ledger facts) on a real file: the till's ledger
// outbox is rebuilt with its rows and its counter, the triggers that feed it still fire, the codes
// already sold are queued once as 'sold' events, and selling / freeing a code queues one fact each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '../../../native/db/open';
import { TillOutbox } from '../../../native/ledger/till-outbox';
import { storeMigrations } from '../../../native/store/migrations';

const dir = mkdtempSync(join(tmpdir(), 'ybjs-trace-mig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CODE = (n: number): string => `8${String(n).padStart(19, '0')}`;

it('migration 15 keeps the outbox and its triggers, queues the codes already sold, and queues each code sold or freed', () => {
  const path = join(dir, 'store.db');
  const before = openDatabase(path, storeMigrations.slice(0, 14));
  before.pragma('foreign_keys = OFF');
  before.prepare("INSERT INTO trace_code (code, sale_id, sku, split, sold_at) VALUES (?, 'S1', 'SKU1', 0, '2026-12-01T02:00:00.000Z'), (?, 'S1', 'SKU2', 1, '2026-12-01T02:00:00.000Z')").run(CODE(1), CODE(2));
  for (const n of [1, 2]) before.prepare("INSERT INTO journal (at, kind, payload, prev_hash, hash) VALUES ('2026-12-01T02:00:00.000Z', 'test', '{}', ?, ?)").run(`p${n}`, `h${n}`);
  before.prepare("INSERT INTO ledger_outbox (kind, ref) VALUES ('settlement', 7)").run();
  before.prepare("DELETE FROM ledger_outbox WHERE seq = (SELECT max(seq) FROM ledger_outbox)").run();
  const outboxBefore = before.prepare('SELECT * FROM ledger_outbox ORDER BY seq').all() as Array<{ seq: number }>;
  const counter = before.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'ledger_outbox'").pluck().get() as number;
  const triggers = before.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND sql LIKE '%ledger_outbox%' ORDER BY name").all();
  before.close();

  const after = openDatabase(path, storeMigrations);
  expect(storeMigrations[14]).toMatchObject({ version: 15 });
  expect(after.pragma('user_version', { simple: true })).toBe(storeMigrations.length);
  const rows = after.prepare('SELECT * FROM ledger_outbox ORDER BY seq').all() as Array<{ seq: number; kind: string; ref: number }>;
  expect(rows.slice(0, outboxBefore.length)).toEqual(outboxBefore);
  // The two codes already sold, queued once, after everything else and past the counter (no seq reused).
  const queued = rows.slice(outboxBefore.length);
  expect(queued.map((r) => r.kind)).toEqual(['trace', 'trace']);
  expect(queued[0]!.seq).toBeGreaterThan(counter);
  expect(after.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND sql LIKE '%ledger_outbox%' AND name != 'ledger_trace_event' ORDER BY name").all()).toEqual(triggers);
  expect(() => after.prepare("INSERT INTO ledger_outbox (kind, ref) VALUES ('other', 1)").run()).toThrow(/CHECK/);

  const outbox = new TillOutbox(after);
  expect(outbox.batch(100).filter((f) => f.kind === 'trace').map((f) => f.body)).toEqual([
    { id: 1, code: CODE(1), saleId: 'S1', sku: 'SKU1', split: false, event: 'sold', at: '2026-12-01T02:00:00.000Z' },
    { id: 2, code: CODE(2), saleId: 'S1', sku: 'SKU2', split: true, event: 'sold', at: '2026-12-01T02:00:00.000Z' },
  ]);
  // Selling and freeing a code after the migration: one fact each, freed after sold.
  after.pragma('foreign_keys = OFF');
  after.prepare("INSERT INTO trace_code (code, sale_id, sku, split, sold_at) VALUES (?, 'S2', 'SKU1', 0, '2026-12-02T02:00:00.000Z')").run(CODE(3));
  after.prepare('DELETE FROM trace_code WHERE code = ?').run(CODE(3));
  // A journal line still reaches the outbox through its (re-created) trigger.
  const journalBefore = after.prepare("SELECT count(*) FROM ledger_outbox WHERE kind = 'journal'").pluck().get() as number;
  after.prepare("INSERT INTO journal (at, kind, payload, prev_hash, hash) VALUES ('2026-12-02T02:00:00.000Z', 'test', '{}', 'h2', 'h3')").run();
  expect(after.prepare("SELECT count(*) FROM ledger_outbox WHERE kind = 'journal'").pluck().get()).toBe(journalBefore + 1);
  const latest = outbox.batch(100).filter((f) => f.kind === 'trace').slice(2).map((f) => f.body);
  expect(latest).toMatchObject([{ code: CODE(3), saleId: 'S2', event: 'sold' }, { code: CODE(3), saleId: 'S2', event: 'freed' }]);
  // Events are history.
  expect(() => after.prepare('DELETE FROM trace_code_event').run()).toThrow(/never deleted/);
  after.close();
});
