import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '../../core/journal/chain';
import { openStore } from '../../electron/backend/store';

function freshStore() {
  return openStore(mkdtempSync(join(tmpdir(), 'ybjs-journal-')));
}

describe('settlement journal', () => {
  test('appends a verifiable chain and detects an edited, deleted or reordered entry', () => {
    const store = freshStore();
    const { db, journal } = store;
    db.transaction(() => {
      for (let i = 1; i <= 5; i++) journal.append('settlement', { id: `S${i}`, fund: `${i}.00` });
    })();
    expect(journal.verify()).toMatchObject({ ok: true, entries: 5 });

    db.prepare("UPDATE journal SET payload = json_set(payload, '$.fund', '9.99') WHERE seq = 3").run();
    expect(journal.verify()).toMatchObject({ ok: false, brokenAt: 3 });
    store.close();

    const s2 = freshStore();
    s2.db.transaction(() => { for (let i = 1; i <= 3; i++) s2.journal.append('settlement', { id: i }); })();
    s2.db.prepare('DELETE FROM journal WHERE seq = 2').run();
    expect(s2.journal.verify()).toMatchObject({ ok: false, brokenAt: 3 });
    s2.close();
  });

  test('refuses to append outside a transaction', () => {
    const store = freshStore();
    expect(() => store.journal.append('x', {})).toThrow(/inside the transaction/);
    store.close();
  });

  test('canonical JSON does not depend on key order', () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean())), (obj) => {
      const reversed = Object.fromEntries(Object.entries(obj).reverse());
      expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
      expect(JSON.parse(canonicalJson(obj))).toEqual(obj);
    }));
  });
});
