// The packages shipped inside the app: the default a new store is seeded from, and what the quote
// CLI uses without a store. Imported as JSON so core/ stays free of file access.
import shanxi from './packages/140000-shanxi.json';
import nanchang from './packages/360100-nanchang.json';
import shiyan from './packages/420300-shiyan.json';
import chongqing from './packages/500000-chongqing.json';
import chuxiong from './packages/532300-chuxiong.json';
import { parsePolicyPackage, type PolicyPackage } from './package';

const files: Record<string, unknown> = {
  '140000-shanxi.json': shanxi,
  '360100-nanchang.json': nanchang,
  '420300-shiyan.json': shiyan,
  '500000-chongqing.json': chongqing,
  '532300-chuxiong.json': chuxiong,
};

let cache: readonly PolicyPackage[] | undefined;

/** The embedded package files as shipped (not yet validated): what a start-up fingerprint is taken of. */
export function embeddedPackageSources(): Readonly<Record<string, unknown>> {
  return files;
}

/** The embedded packages, validated once (a bad embedded package is a build error, so this throws). */
export function embeddedPackages(): readonly PolicyPackage[] {
  cache ??= Object.entries(files).map(([file, json]) => parsePolicyPackage(json, `core/policy/packages/${file}`));
  return cache;
}
