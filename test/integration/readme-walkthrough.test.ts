// The README's POS walk-through must stay true: run its shell block against a real serve process.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, startServe, type ServeProcess } from '../support/serve-process';

let serve: ServeProcess;
beforeAll(async () => { serve = await startServe(); });
afterAll(async () => { await serve?.stop(); });

test('the README curl walk-through runs from identify to refund', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const block = /<!-- walkthrough:start -->\s*```sh\n([\s\S]*?)```\s*<!-- walkthrough:end -->/.exec(readme)?.[1];
  expect(block, 'README has the walkthrough block').toBeTruthy();
  for (const tool of ['curl', 'jq']) expect(spawnSync('which', [tool]).status, `${tool} is installed (scripts/check-system-deps.sh)`).toBe(0);
  const cwd = mkdtempSync(join(tmpdir(), 'ybjs-readme-'));
  const result = spawnSync('bash', ['-euo', 'pipefail', '-c', block!], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, BASE: serve.url.replace(/\/$/, '') } });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const lines = result.stdout.trim().split('\n');
  expect(JSON.parse(lines[0]!)).toMatchObject({ valid: true, level: 1 });
  expect(JSON.parse(lines[1]!)).toMatchObject({ total: '71.00' });
  expect(JSON.parse(lines[2]!)).toMatchObject({ state: 'settled', provisional: false });
  expect(lines[3]).toBe('refunded');
  const receipt = readdirSync(cwd).find((f) => f.startsWith('receipt-'));
  expect(readFileSync(join(cwd, receipt!), 'utf8')).toContain('统筹基金支付');
});
