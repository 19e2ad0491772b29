// `npm run --silent quote -- FILE` as a user runs it: only JSON on stdout and exit 0, or exit 2 with
// the offending field named on stderr.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { QuoteResult } from '../../core/copay/contract';
import { quote } from '../../core/copay/engine';
import { embeddedPackages } from '../../core/policy/embedded';
import { openPolicyStore } from '../../native/policy-store/store';
import { input } from '../unit/copay/build';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ybjs-quote-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run { code: number; stdout: string; stderr: string }

function run(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('npm', ['run', '--silent', 'quote', '--', ...args], { cwd: repo, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

let n = 0;
function file(content: unknown): string {
  const path = join(dir, `in-${n++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const example = {
  region: '420300', date: '2023-03-15',
  person: { status: 'active', retiredOn: '2023-02-10', hospitalized: false, suspended: false },
  year: { deductibleMet: '0.00', fundPaid: '0.00' },
  account: { balance: '1000.00', use: true },
  prescription: { issuerLevel: 1, issuerPriceClass: 3 },
  lines: [{ code: 'X1', qty: '2', price: '150.00', listClass: 'A', selfPayRatio: '0.10', limitPrice: '120.00', kind: 'drug' }],
};

describe.concurrent('quote CLI', () => {
  it('prints only the result JSON for the issue example and exits 0', async () => {
    const r = await run([file(example)]);
    expect(r.code).toBe(0);
    const out = QuoteResult.parse(JSON.parse(r.stdout));
    expect(out).toEqual(quote(example as never, embeddedPackages()));
    expect(out).toMatchObject({ total: '300.00', overLimit: '60.00', inScope: '240.00', deductible: '240.00', fund: '0.00', account: '300.00', cash: '0.00' });
    expect(r.stderr).not.toMatch(/quote:/);
  });

  it('quotes through a policy store with --store, creating and seeding it', async () => {
    const db = join(dir, 'store.db');
    const purchase = input({ region: '140500', date: '2023-05-10', level: 2, priceClass: 2, lines: [{ code: 'A', qty: '2', price: '100.00', listClass: 'A' }] });
    const r = await run([file(purchase), '--store', db]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ deductible: '50.00', ratio: '0.55', fund: '82.50' });
    const { store } = openPolicyStore(db);
    expect(store.versions()).toHaveLength(5);
    store.db.close();
  });

  const bad = (edit: (i: Record<string, any>) => void) => { const c = structuredClone(example) as Record<string, any>; edit(c); return c; };
  it.each<[string, unknown, RegExp]>([
    ['a bad date', bad((i) => { i.date = '2023-02-30'; }), /date:/],
    ['a negative qty', bad((i) => { i.lines[0].qty = '-1'; }), /lines\.0\.qty:/],
    ['a non-numeric price', bad((i) => { i.lines[0].price = 'ten'; }), /lines\.0\.price:/],
    ['an unknown class', bad((i) => { i.lines[0].listClass = 'E'; }), /lines\.0\.listClass:/],
    ['a ratio outside 0..1', bad((i) => { i.lines[0].selfPayRatio = '1.2'; }), /lines\.0\.selfPayRatio:/],
    ['no lines', bad((i) => { i.lines = []; }), /lines:/],
    ['a number where a string belongs', bad((i) => { i.year.fundPaid = 0; }), /year\.fundPaid:/],
    ['a string where a boolean belongs', bad((i) => { i.account.use = 'true'; }), /account\.use:/],
    ['not JSON at all', '{ "region": ', /FILE: .* is not valid JSON/],
  ])('%s exits 2 naming the field', async (_name, content, field) => {
    const r = await run([file(content)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(field);
  });

  it('a missing file, no file and an unknown flag exit 2 too', async () => {
    const [missing, none, flag] = await Promise.all([run([join(dir, 'nope.json')]), run([]), run([file(example), '--colour'])]);
    for (const r of [missing, none, flag]) { expect(r.code).toBe(2); expect(r.stdout).toBe(''); }
    expect(missing.stderr).toMatch(/FILE: cannot read/);
    expect(none.stderr).toMatch(/FILE: missing/);
    expect(flag.stderr).toMatch(/--colour/);
  });
});
