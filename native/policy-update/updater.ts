// Policy updates while online: fetch the published signed packages, verify each signature, and hand
// only verified packages to the policy store's import (injected; in the app it is
// PolicyStore.importPackage from native/policy-store). A refused package changes nothing.
//
//   const updater = new PolicyUpdater({ source: httpUpdateSource(url), importPackage: (json, origin) => store.importPackage(json, origin) });
//   const report = await updater.checkNow();   // { added, unchanged, refused }
import http from 'node:http';
import https from 'node:https';
import { z } from 'zod';
import { PolicySignatureError, verifySignedPackage } from './signed-package';
import { TRUSTED_POLICY_KEYS } from './keys';

export type ImportPackage = (json: unknown, origin: string) => 'added' | 'unchanged';

export interface UpdateReport {
  readonly added: readonly string[];
  readonly unchanged: readonly string[];
  readonly refused: ReadonlyArray<{ readonly index: number; readonly reason: string }>;
}

export interface PolicyUpdaterOptions {
  /** Returns the update feed: { packages: SignedPackage[] }. */
  readonly source: () => Promise<unknown>;
  readonly importPackage: ImportPackage;
  readonly keys?: Readonly<Record<string, string>>;
  readonly origin?: string;
}

const Feed = z.object({ packages: z.array(z.unknown()).max(200) });

export class PolicyUpdater {
  constructor(private readonly options: PolicyUpdaterOptions) {}

  async checkNow(): Promise<UpdateReport> {
    const feed = Feed.safeParse(await this.options.source());
    if (!feed.success) throw new Error(`policy update feed: ${feed.error.issues.map((i) => `${i.path.join('.') || '(feed)'}: ${i.message}`).join('; ')}`);
    const added: string[] = [];
    const unchanged: string[] = [];
    const refused: Array<{ index: number; reason: string }> = [];
    feed.data.packages.forEach((signed, index) => {
      try {
        const verified = verifySignedPackage(signed, this.options.keys ?? TRUSTED_POLICY_KEYS);
        const id = packageId(verified.package);
        const outcome = this.options.importPackage(verified.package, `${this.options.origin ?? 'policy update'} (signed by ${verified.keyId})`);
        (outcome === 'added' ? added : unchanged).push(id);
      } catch (error) {
        // A signature refusal or the store's own validation/history refusal: skip this one, keep going.
        refused.push({ index, reason: error instanceof PolicySignatureError || error instanceof Error ? error.message : String(error) });
      }
    });
    return { added, unchanged, refused };
  }
}

function packageId(pkg: unknown): string {
  return typeof pkg === 'object' && pkg !== null && 'id' in pkg && typeof pkg.id === 'string' ? pkg.id : '(no id)';
}

/** GETs the feed as JSON with a timeout and a body cap. */
export function httpUpdateSource(url: string, options: { timeoutMs?: number; maxBytes?: number } = {}): () => Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxBytes ?? 8 * 1024 * 1024;
  return () => new Promise((resolve, reject) => {
    const lib = url.startsWith('https:') ? https : http;
    const req = lib.get(url, { headers: { accept: 'application/json', connection: 'close' } }, (res) => {
      if (res.statusCode !== 200) { res.resume(); reject(new Error(`policy update feed: HTTP ${res.statusCode}`)); return; }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) { req.destroy(); reject(new Error(`policy update feed: larger than ${maxBytes} bytes`)); return; }
        chunks.push(c);
      });
      res.on('end', () => {
        try { resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))); } catch { reject(new Error('policy update feed: not JSON')); }
      });
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`policy update feed: no reply within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}
