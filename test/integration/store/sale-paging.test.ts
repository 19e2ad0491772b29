// Sales lists are paged (limit + before cursor), newest first, with ties on the creation time broken
// by id: walking the pages returns every sale once, in order, on a real SQLite store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { openDatabase } from '../../../native/db/open';
import { storeMigrations } from '../../../native/store/migrations';
import { SaleStore } from '../../../native/store/sale-store';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

function storeWith(count: number): SaleStore {
  const dir = mkdtempSync(join(tmpdir(), 'ybjs-paging-'));
  dirs.push(dir);
  const sales = new SaleStore(openDatabase(join(dir, 'store.db'), storeMigrations));
  for (let i = 0; i < count; i++) {
    // Pairs share a creation time, so the order must fall back to the id.
    const at = new Date(Date.UTC(2026, 11, 1 + (i % 2), 9, Math.floor(i / 2))).toISOString();
    sales.insert({ id: `S-${String(i).padStart(3, '0')}`, terminal_id: 'T01', operator_id: '1001', created_at: at, business_date: at.slice(0, 10), state: i % 3 === 0 ? 'settled' : 'open', online: 1, psn_no: null, person_json: null });
  }
  return sales;
}

function walk(sales: SaleStore, filter: { date?: string; state?: string }, limit: number): string[][] {
  const pages: string[][] = [];
  let before: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = sales.list({ ...filter, limit, before }).map((r) => r.id);
    if (page.length === 0) break;
    expect(page.length).toBeLessThanOrEqual(limit);
    pages.push(page);
    before = page.at(-1);
  }
  return pages;
}

describe('paged sales lists', () => {
  test('walking the pages returns every sale once, newest first, ties by id', () => {
    const sales = storeWith(23);
    const all = sales.list({ limit: 500 });
    const expected = [...all].sort((a, b) => (b.created_at.localeCompare(a.created_at)) || b.id.localeCompare(a.id)).map((r) => r.id);
    expect(all.map((r) => r.id)).toEqual(expected);
    const pages = walk(sales, {}, 4);
    expect(pages.map((p) => p.length)).toEqual([4, 4, 4, 4, 4, 3]);
    expect(pages.flat()).toEqual(expected);
  });

  test('filters and the cursor combine; a page never holds more than the limit', () => {
    const sales = storeWith(40);
    const settledOnDay2 = sales.list({ date: '2026-12-02', state: 'settled', limit: 500 }).map((r) => r.id);
    expect(settledOnDay2.length).toBeGreaterThan(3);
    expect(walk(sales, { date: '2026-12-02', state: 'settled' }, 3).flat()).toEqual(settledOnDay2);
    expect(sales.list({ limit: 5 })).toHaveLength(5);
  });
});
