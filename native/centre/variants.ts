// Transport variants the research describes (nhsa-interface.md §1.1) besides plain JSON:
//   RequestSigner  gateway headers; the x-tif gateway signature is implemented below.
//   PayloadCipher  SM4-encrypted `input`/`output` with an SM2-with-SM3 `cainfo` signature (Jilin).
//                  Only the seam exists: the key exchange, SM4 mode/padding and the exact bytes that
//                  are signed are province-specific and unconfirmed [U]. Node's OpenSSL offers sm4-*
//                  ciphers and sm3, so an implementation can live here without new packages.
import { createHash, randomBytes } from 'node:crypto';
import { type RequestEnvelope } from '../../core/centre/envelope';

export interface RequestSigner {
  /** Headers to add to a request whose exact body text is `body`. */
  headers(body: string, now: Date): Record<string, string>;
}

export interface PayloadCipher {
  /** The object actually sent (e.g. input replaced by base64 ciphertext, enc_type "SM4", cainfo, signtype "SM2"). */
  protect(envelope: RequestEnvelope): Record<string, unknown>;
  /** The reply with `output` decrypted and its signature checked; throws when it does not verify. */
  reveal(reply: unknown): unknown;
}

export interface TifGatewayOptions {
  readonly paasId: string;
  readonly paasToken: string;
  readonly nonce?: () => string;
}

/** x-tif-signature = SHA-256 hex of (timestamp + token + nonce + timestamp), timestamp in unix seconds [C S3]. */
export function tifGatewaySigner(options: TifGatewayOptions): RequestSigner {
  const nonce = options.nonce ?? (() => randomBytes(16).toString('hex'));
  return {
    headers(_body, now) {
      const timestamp = String(Math.floor(now.getTime() / 1000));
      const n = nonce();
      const signature = createHash('sha256').update(timestamp + options.paasToken + n + timestamp).digest('hex');
      return { 'x-tif-paasid': options.paasId, 'x-tif-timestamp': timestamp, 'x-tif-nonce': n, 'x-tif-signature': signature };
    },
  };
}

/** What a gateway does with those headers (the sandbox can check them). */
export function verifyTifHeaders(headers: Record<string, string | string[] | undefined>, paasToken: string): boolean {
  const get = (k: string): string => { const v = headers[k]; return Array.isArray(v) ? v[0] ?? '' : v ?? ''; };
  const timestamp = get('x-tif-timestamp');
  const expected = createHash('sha256').update(timestamp + paasToken + get('x-tif-nonce') + timestamp).digest('hex');
  return timestamp !== '' && get('x-tif-signature') === expected;
}
