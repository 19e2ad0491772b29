// The centre transport a terminal's settings call for: plain JSON, x-tif signed headers, or SM4/SM2
// protected payloads, over the same HTTP(S) client. The security mode is the edition's unless the
// technician overrides it; secrets come from the key folder (security/keys.ts).
import { type EditionProfile, type SecurityMode } from '../../core/centre/editions/schema';
import { HttpJsonTransport, joinPath, type HttpTransportOptions } from './http-transport';
import { CentreKeyError, loadSmKeys, readSecret } from './security/keys';
import { oauthPasswordBearer } from './security/oauth';
import { smPayloadCipher } from './security/sm';
import { tifGatewaySigner } from './security/tif';

export interface SecureTransportOptions extends Omit<HttpTransportOptions, 'signer' | 'cipher'> {
  readonly security: SecurityMode;
  readonly dataDir: string;
  /** x-tif-paasid (not a secret). */
  readonly paasId?: string | null;
  /** The edition (for its bearer-token step, if any), and the non-secret half of those credentials. */
  readonly edition?: Pick<EditionProfile, 'auth' | 'url'>;
  readonly oauth?: { readonly clientId: string; readonly username: string; readonly scope: string } | null;
}

/** Throws CentreKeyError when a key the mode needs is missing or malformed. */
export function createCentreTransport(options: SecureTransportOptions): HttpJsonTransport {
  const { security, dataDir, paasId, edition, oauth, ...http } = options;
  let protection: Pick<HttpTransportOptions, 'signer' | 'cipher'> = {};
  if (security === 'tif-headers') {
    if (!paasId) throw new CentreKeyError('x-tif 网关需要 paasId：请在 技术员 → 中心连接 填写');
    protection = { signer: tifGatewaySigner({ paasId, paasToken: readSecret(dataDir, 'tif-paas-token') }) };
  } else if (security === 'sm4-sm2') {
    protection = { cipher: smPayloadCipher(loadSmKeys(dataDir)) };
  }
  const withBearer = edition?.auth ? { bearer: bearerFor(tokenUrl(http.url, edition.auth.tokenPath, edition.url), oauth ?? null, dataDir) } : {};
  return new HttpJsonTransport({ ...http, ...protection, ...withBearer });
}

/** The token path under the same gateway address (and prefix) as the centre path. */
function tokenUrl(url: string, tokenPath: string, layout: EditionProfile['url']): string {
  const base = new URL(url);
  const centrePath = layout.layout === 'single' ? layout.path : '';
  const prefix = centrePath && base.pathname.endsWith(centrePath) ? base.pathname.slice(0, -centrePath.length) : base.pathname;
  return joinPath(new URL(`${base.origin}${prefix.replace(/\/+$/, '')}`), tokenPath).href;
}

function bearerFor(tokenUrlText: string, oauth: SecureTransportOptions['oauth'], dataDir: string) {
  if (!oauth) throw new CentreKeyError('该接口版本的网关需要 OAuth 令牌：请在 技术员 → 中心连接 填写 client id、用户名和 scope');
  return oauthPasswordBearer({
    tokenUrl: tokenUrlText, clientId: oauth.clientId, username: oauth.username, scope: oauth.scope,
    clientSecret: readSecret(dataDir, 'oauth-client-secret'), password: readSecret(dataDir, 'oauth-password'),
  });
}
