// The gateway secrets of a terminal, one file each in <data folder>/centre-keys/ (folder 0700, files
// 0600, so a cashier's account cannot read them). They are written whole (temp file + rename) and
// never logged: errors name the file and what is wrong with it, never its content.
//
//   tif-paas-token    the x-tif paas token (text)
//   sm4.key           the SM4 key: 32 hex digits, or the 16 characters some provinces hand out (Jilin: the client id)
//   sm2-private.key   the pharmacy's SM2 private key, 64 hex digits
//   oauth-client-secret, oauth-password   the OAuth client secret and the user's password (Jilin's gateway)
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sm2PublicKeyOf, type SmKeys } from './sm';

export const KEY_FOLDER = 'centre-keys';
export const SECRET_NAMES = ['tif-paas-token', 'sm4.key', 'sm2-private.key', 'oauth-client-secret', 'oauth-password'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

export class CentreKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CentreKeyError';
  }
}

export function keyFolder(dataDir: string): string {
  return join(dataDir, KEY_FOLDER);
}

const SECRET_FORMATS: Record<SecretName, { test: (text: string) => boolean; expect: string }> = {
  'tif-paas-token': { test: (t) => t.length >= 8 && t.length <= 200 && !/\s/.test(t), expect: '8–200 characters without spaces' },
  'sm4.key': { test: (t) => /^[0-9a-fA-F]{32}$/.test(t) || [...t].length === 16 && Buffer.byteLength(t, 'utf8') === 16, expect: '32 hex digits or 16 ASCII characters' },
  'sm2-private.key': { test: (t) => /^[0-9a-fA-F]{64}$/.test(t), expect: '64 hex digits' },
  'oauth-client-secret': { test: (t) => t.length >= 1 && t.length <= 200 && !/[\r\n]/.test(t), expect: '1–200 characters on one line' },
  'oauth-password': { test: (t) => t.length >= 1 && t.length <= 200 && !/[\r\n]/.test(t), expect: '1–200 characters on one line' },
};

/** Checks and stores one secret with mode 0600. */
export function writeSecret(dataDir: string, name: SecretName, value: string): void {
  const text = value.trim();
  if (!SECRET_FORMATS[name].test(text)) throw new CentreKeyError(`${name}: 格式不对，应为 ${SECRET_FORMATS[name].expect}`);
  const folder = keyFolder(dataDir);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  chmodSync(folder, 0o700);
  const target = join(folder, name);
  const temp = `${target}.tmp-${process.pid}`;
  writeFileSync(temp, `${text}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, target);
}

export function hasSecret(dataDir: string, name: SecretName): boolean {
  return existsSync(join(keyFolder(dataDir), name));
}

/** Reads one secret; a missing or malformed file is a CentreKeyError naming the file. */
export function readSecret(dataDir: string, name: SecretName): string {
  const path = join(keyFolder(dataDir), name);
  if (!existsSync(path)) throw new CentreKeyError(`缺少密钥文件 ${path}：请在 技术员 → 中心连接 录入（${SECRET_FORMATS[name].expect}）`);
  // A file others can read (copied in by hand) is tightened before use.
  if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  const text = readFileSync(path, 'utf8').trim();
  if (!SECRET_FORMATS[name].test(text)) throw new CentreKeyError(`密钥文件 ${path} 格式不对：应为 ${SECRET_FORMATS[name].expect}`);
  return text;
}

export function sm4KeyBytes(text: string): Uint8Array {
  return new Uint8Array(/^[0-9a-fA-F]{32}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'utf8'));
}

export function loadSmKeys(dataDir: string): SmKeys & { readonly sm2PublicKey: string } {
  const sm4Key = sm4KeyBytes(readSecret(dataDir, 'sm4.key'));
  const sm2PrivateKey = readSecret(dataDir, 'sm2-private.key').toLowerCase();
  let sm2PublicKey: string;
  try {
    sm2PublicKey = sm2PublicKeyOf(sm2PrivateKey);
  } catch {
    throw new CentreKeyError(`密钥文件 ${join(keyFolder(dataDir), 'sm2-private.key')} 不是有效的 SM2 私钥`);
  }
  return { sm4Key, sm2PrivateKey, sm2PublicKey };
}
