// Real headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core.
import { chromium, type Browser } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './serve-process';

export const CHROMIUM = '/usr/bin/chromium';
export const screenshotDir = join(repoRoot, 'test-output', 'screenshots');

export async function launchChromium(): Promise<Browser> {
  // A missing browser is a failure, never a skip: scripts/check-system-deps.sh installs it.
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run bash scripts/check-system-deps.sh`);
  mkdirSync(screenshotDir, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--lang=zh-CN'],
  });
}
