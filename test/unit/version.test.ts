import { expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRODUCT_VERSION } from '../../core/version';
import { repoRoot } from '../support/serve-process';

test('core/version.ts matches package.json', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  expect(PRODUCT_VERSION).toBe(pkg.version);
});
