// The bearer token some gateways want before any message (Jilin: OAuth 2 password grant at
// /auth/oauth/token with the client's id and secret as HTTP Basic; restated from newtouch-cloud/
// openhis-itaii openhis-server/openhis-ybapp/src/main/java/com/openhis/service/impl/HandlerServiceImpl.java,
// getToken). The token is kept until shortly before it expires and fetched again after a 401.
// Failing to get one means the message itself was never sent.
export interface OAuthPasswordOptions {
  /** Absolute URL of the token endpoint. */
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly username: string;
  readonly password: string;
  readonly scope: string;
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

export interface BearerSource {
  /** The Authorization header value; throws OAuthError when no token can be had. */
  header(): Promise<string>;
  /** Forget the token (the gateway said 401). */
  invalidate(): void;
}

export class OAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OAuthError';
  }
}

export function oauthPasswordBearer(options: OAuthPasswordOptions): BearerSource {
  const now = options.now ?? Date.now;
  let cached: { token: string; until: number } | null = null;
  let pending: Promise<string> | null = null;

  async function fetchToken(): Promise<string> {
    const body = new URLSearchParams({ username: options.username, password: options.password, scope: options.scope, grant_type: 'password' });
    let response: Response;
    try {
      response = await fetch(options.tokenUrl, {
        method: 'POST', body,
        headers: { authorization: `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`, 'utf8').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      });
    } catch (error) {
      throw new OAuthError(`获取网关令牌失败：连接 ${new URL(options.tokenUrl).host} 失败（${error instanceof Error ? error.message : String(error)}）`);
    }
    const text = await response.text();
    if (response.status !== 200) throw new OAuthError(`获取网关令牌失败：HTTP ${response.status}（请检查 client id、client secret、用户名和密码）`);
    let parsed: { access_token?: unknown; expires_in?: unknown };
    try { parsed = JSON.parse(text) as typeof parsed; } catch { throw new OAuthError('获取网关令牌失败：应答不是 JSON'); }
    if (typeof parsed.access_token !== 'string' || parsed.access_token === '') throw new OAuthError('获取网关令牌失败：应答中没有 access_token');
    const seconds = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : 600;
    cached = { token: parsed.access_token, until: now() + Math.max(seconds - 60, 10) * 1000 };
    return parsed.access_token;
  }

  return {
    async header() {
      if (cached && cached.until > now()) return `Bearer ${cached.token}`;
      pending ??= fetchToken().finally(() => { pending = null; });
      return `Bearer ${await pending}`;
    },
    invalidate() { cached = null; },
  };
}
