// The centre transport a terminal's settings call for: plain JSON, x-tif signed headers, or SM4/SM2
// protected payloads, over the same HTTP(S) client. The security mode is the edition's unless the
// technician overrides it; secrets come from the key folder (security/keys.ts).
import { type SecurityMode } from '../../core/centre/editions/schema';
import { HttpJsonTransport, type HttpTransportOptions } from './http-transport';
import { loadSmKeys, readSecret } from './security/keys';
import { smPayloadCipher } from './security/sm';
import { tifGatewaySigner } from './security/tif';

export interface SecureTransportOptions extends Omit<HttpTransportOptions, 'signer' | 'cipher'> {
  readonly security: SecurityMode;
  readonly dataDir: string;
  /** x-tif-paasid (not a secret). */
  readonly paasId?: string | null;
}

/** Throws CentreKeyError when a key the mode needs is missing or malformed. */
export function createCentreTransport(options: SecureTransportOptions): HttpJsonTransport {
  const { security, dataDir, paasId, ...http } = options;
  if (security === 'tif-headers') {
    if (!paasId) throw new Error('x-tif 网关需要 paasId：请在 技术员 → 中心连接 填写');
    return new HttpJsonTransport({ ...http, signer: tifGatewaySigner({ paasId, paasToken: readSecret(dataDir, 'tif-paas-token') }) });
  }
  if (security === 'sm4-sm2') return new HttpJsonTransport({ ...http, cipher: smPayloadCipher(loadSmKeys(dataDir)) });
  return new HttpJsonTransport(http);
}
