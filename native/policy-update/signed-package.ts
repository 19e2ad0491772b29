// Signed policy packages: Ed25519 (node:crypto) over the exact bytes of the package JSON.
//
//   { "format": "ybjs-signed-policy-package/1", "keyId": "…", "algorithm": "Ed25519",
//     "payload": "<base64 of the package JSON>", "signature": "<base64, 64 bytes>" }
//
// The signature is checked before the payload is even parsed, so an unsigned, tampered or foreign
// package never reaches the policy store, which keeps the version it had.
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { TRUSTED_POLICY_KEYS } from './keys';

export const SIGNED_PACKAGE_FORMAT = 'ybjs-signed-policy-package/1';
const MAX_PAYLOAD_BYTES = 1024 * 1024;

const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64').refine((s) => s.length % 4 === 0, 'must be padded base64');

export const SignedPackage = z.strictObject({
  format: z.literal(SIGNED_PACKAGE_FORMAT),
  keyId: z.string().min(1).max(100),
  algorithm: z.literal('Ed25519'),
  payload: Base64.refine((s) => s.length <= Math.ceil(MAX_PAYLOAD_BYTES / 3) * 4, 'payload is too large'),
  signature: Base64,
});
export type SignedPackage = z.infer<typeof SignedPackage>;

export class PolicySignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicySignatureError';
  }
}

export interface VerifiedPackage {
  readonly keyId: string;
  /** The package JSON, parsed; the policy store still validates its content. */
  readonly package: unknown;
}

/** Throws PolicySignatureError naming what is wrong; returns the package only when the signature holds. */
export function verifySignedPackage(input: unknown, keys: Readonly<Record<string, string>> = TRUSTED_POLICY_KEYS): VerifiedPackage {
  const parsed = SignedPackage.safeParse(input);
  if (!parsed.success) {
    const looksUnsigned = typeof input === 'object' && input !== null && !('signature' in input);
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(package)'}: ${i.message}`).join('; ');
    throw new PolicySignatureError(looksUnsigned ? `refused: the package is not signed (${detail})` : `refused: not a signed package: ${detail}`);
  }
  const signed = parsed.data;
  const pem = Object.prototype.hasOwnProperty.call(keys, signed.keyId) ? keys[signed.keyId] : undefined;
  if (!pem) throw new PolicySignatureError(`refused: signed with key ${JSON.stringify(signed.keyId)}, which this app does not trust`);
  const payload = Buffer.from(signed.payload, 'base64');
  const signature = Buffer.from(signed.signature, 'base64');
  if (signature.length !== 64) throw new PolicySignatureError(`refused: signature: must be 64 bytes, got ${signature.length}`);
  let ok: boolean;
  try {
    ok = verify(null, payload, publicKey(pem), signature);
  } catch (error) {
    throw new PolicySignatureError(`refused: could not check the signature: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!ok) throw new PolicySignatureError('refused: the signature does not match the package (tampered, or signed with another key)');
  try {
    return { keyId: signed.keyId, package: JSON.parse(payload.toString('utf8')) as unknown };
  } catch {
    throw new PolicySignatureError('refused: the signed payload is not JSON');
  }
}

/** Signs a package (the sandbox and tests; a release signs on the vendor's build machine). */
export function signPackage(pkg: unknown, privateKeyPem: string, keyId: string): SignedPackage {
  const payload = Buffer.from(JSON.stringify(pkg), 'utf8');
  const signature = sign(null, payload, createPrivateKey(privateKeyPem));
  return { format: SIGNED_PACKAGE_FORMAT, keyId, algorithm: 'Ed25519', payload: payload.toString('base64'), signature: signature.toString('base64') };
}

const keyCache = new Map<string, KeyObject>();
function publicKey(pem: string): KeyObject {
  let key = keyCache.get(pem);
  if (!key) {
    key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`trusted key is ${key.asymmetricKeyType}, not ed25519`);
    keyCache.set(pem, key);
  }
  return key;
}
