// The x-tif gateway header scheme: x-tif-paasid, x-tif-timestamp (unix seconds), x-tif-nonce and
// x-tif-signature = SHA-256 hex of (timestamp + paasToken + nonce + timestamp). Restated from public
// clients: newtouch-cloud/openhis WinServiceAPI/YiBaoInterface/ClassHelper.cs (commented block, S3),
// and two more clients found by the same string (a C# ProxyUtil.ComputeSignatureHeaders and a Java
// gateway test; their repositories are not resolvable in the index) that compute the same digest.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type RequestSigner } from '../variants';

export interface TifGatewayOptions {
  readonly paasId: string;
  readonly paasToken: string;
  readonly nonce?: () => string;
}

function tifSignature(timestamp: string, paasToken: string, nonce: string): string {
  return createHash('sha256').update(timestamp + paasToken + nonce + timestamp, 'utf8').digest('hex');
}

export function tifGatewaySigner(options: TifGatewayOptions): RequestSigner {
  const nonce = options.nonce ?? (() => randomBytes(16).toString('hex'));
  return {
    headers(_body, now) {
      const timestamp = String(Math.floor(now.getTime() / 1000));
      const n = nonce();
      return { 'x-tif-paasid': options.paasId, 'x-tif-timestamp': timestamp, 'x-tif-nonce': n, 'x-tif-signature': tifSignature(timestamp, options.paasToken, n) };
    },
  };
}

export type TifVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** What a gateway checks: the paas id, a fresh timestamp, and the signature over them. */
export function verifyTifHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  expected: { readonly paasId: string; readonly paasToken: string },
  now: Date,
  maxSkewSeconds = 300,
): TifVerdict {
  const get = (k: string): string => { const v = headers[k]; return Array.isArray(v) ? v[0] ?? '' : v ?? ''; };
  const [paasId, timestamp, nonce, signature] = ['x-tif-paasid', 'x-tif-timestamp', 'x-tif-nonce', 'x-tif-signature'].map(get) as [string, string, string, string];
  const absent = [['x-tif-paasid', paasId], ['x-tif-timestamp', timestamp], ['x-tif-nonce', nonce], ['x-tif-signature', signature]].filter(([, v]) => v === '').map(([k]) => k);
  if (absent.length) return { ok: false, reason: `缺少网关请求头 ${absent.join(', ')}` };
  if (paasId !== expected.paasId) return { ok: false, reason: `x-tif-paasid ${paasId} 未注册` };
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(Number(timestamp) - now.getTime() / 1000) > maxSkewSeconds) return { ok: false, reason: 'x-tif-timestamp 与网关时间相差过大' };
  const wanted = Buffer.from(tifSignature(timestamp, expected.paasToken, nonce), 'utf8');
  const got = Buffer.from(signature, 'utf8');
  if (got.length !== wanted.length || !timingSafeEqual(got, wanted)) return { ok: false, reason: 'x-tif-signature 校验失败' };
  return { ok: true };
}
