// Plain HTTP(S) JSON transport to the centre: POST the whole envelope to one endpoint.
//
// Outcome classification is the point of this module:
//   not_delivered  only when the connection was never established (refused, unreachable, DNS,
//                  connect timeout): the request cannot have reached the centre.
//   unknown        everything after the connection opened without a complete, readable 200 reply:
//                  response timeout, reset/closed connection, non-200 status, oversized body,
//                  non-JSON body. A timeout is never a failure.
// Each call uses its own connection (keep-alive off by default) so a duplicated or late reply can
// never be read as the answer to a later call; the client also checks the msgid echo.
import http from 'node:http';
import https from 'node:https';
import { type CentreTransport, type TransportRequest, type TransportResult } from '../../core/centre/port';
import { OAuthError, type BearerSource } from './security/oauth';
import { type PayloadCipher, type RequestSigner } from './variants';

export interface HttpTransportOptions {
  /**
   * The gateway: its origin (and any prefix), e.g. https://host:8080 or https://host/prefix, to which
   * the edition's path is joined; a URL that already ends with that path is used as it is.
   */
  readonly url: string;
  /** Time to establish the connection; exceeding it means not delivered. Default 3 s. */
  readonly connectTimeoutMs?: number;
  /** Time from connection to a complete reply; exceeding it means unknown. Default 30 s. */
  readonly responseTimeoutMs?: number;
  /** Largest JSON reply accepted. Default 2 MiB. */
  readonly maxBodyBytes?: number;
  /** Largest file (9102) accepted. Default 64 MiB. */
  readonly maxFileBytes?: number;
  /** Gateway header signature (x-tif-*), or none. */
  readonly signer?: RequestSigner;
  /** SM4/SM2 payload protection, or none (plain JSON). */
  readonly cipher?: PayloadCipher;
  /** A bearer token the gateway wants (OAuth), or none. */
  readonly bearer?: BearerSource;
  /** Reuse connections. Off by default: see the header comment. */
  readonly keepAlive?: boolean;
  /** Extra TLS options for https (ca, servername …). */
  readonly tls?: https.RequestOptions;
}

const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENETDOWN']);

export class HttpJsonTransport implements CentreTransport {
  private readonly url: URL;
  private readonly agent: http.Agent;
  private readonly connectTimeoutMs: number;
  private readonly responseTimeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly maxFileBytes: number;

  constructor(private readonly options: HttpTransportOptions) {
    this.url = new URL(options.url);
    if (this.url.protocol !== 'http:' && this.url.protocol !== 'https:') throw new Error(`centre url must be http(s): ${options.url}`);
    const agentOptions = { keepAlive: options.keepAlive ?? false, maxSockets: 16 };
    this.agent = this.url.protocol === 'https:' ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
    this.connectTimeoutMs = options.connectTimeoutMs ?? 3_000;
    this.responseTimeoutMs = options.responseTimeoutMs ?? 30_000;
    this.maxBodyBytes = options.maxBodyBytes ?? 2 * 1024 * 1024;
    this.maxFileBytes = options.maxFileBytes ?? 64 * 1024 * 1024;
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }

  async send(request: TransportRequest): Promise<TransportResult> {
    let authorization: string | null = null;
    if (this.options.bearer) {
      try { authorization = await this.options.bearer.header(); } catch (error) {
        // Without a token the message is never sent.
        if (error instanceof OAuthError) return { kind: 'not_delivered', reason: error.message };
        throw error;
      }
    }
    const result = await this.post(request, authorization);
    if (result.kind === 'unknown' && result.reason === 'http_status' && /^HTTP 401\b/.test(result.detail)) this.options.bearer?.invalidate();
    return result;
  }

  private post(request: TransportRequest, authorization: string | null): Promise<TransportResult> {
    const payload = this.options.cipher ? this.options.cipher.protect(request.envelope) : request.envelope;
    const body = Buffer.from(JSON.stringify(payload), 'utf8');
    const headers: Record<string, string> = {
      'content-type': 'application/json;charset=utf-8',
      'content-length': String(body.length),
      accept: request.expect === 'file' ? 'application/octet-stream, application/json' : 'application/json',
      ...(this.options.keepAlive ? {} : { connection: 'close' }),
      ...(this.options.signer ? this.options.signer.headers(body.toString('utf8'), new Date()) : {}),
      ...(authorization ? { authorization } : {}),
    };
    const limit = request.expect === 'file' ? this.maxFileBytes : this.maxBodyBytes;
    const responseTimeoutMs = request.timeoutMs ?? this.responseTimeoutMs;
    const lib = this.url.protocol === 'https:' ? https : http;
    const target = joinPath(this.url, request.path);

    return new Promise<TransportResult>((resolve) => {
      let settled = false;
      let connected = false;
      let responseTimer: NodeJS.Timeout | undefined;
      const finish = (result: TransportResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        clearTimeout(responseTimer);
        resolve(result);
      };
      const unknown = (reason: Extract<TransportResult, { kind: 'unknown' }>['reason'], detail: string): void => {
        finish({ kind: 'unknown', reason, detail });
        req.destroy();
      };

      const req = lib.request(target, { method: 'POST', headers, agent: this.agent, ...(this.options.tls ?? {}) });
      const connectTimer = setTimeout(() => {
        if (connected) return;
        finish({ kind: 'not_delivered', reason: `could not connect to ${this.url.host} within ${this.connectTimeoutMs} ms` });
        req.destroy();
      }, this.connectTimeoutMs);

      const onConnected = (): void => {
        if (connected) return;
        connected = true;
        clearTimeout(connectTimer);
        responseTimer = setTimeout(() => unknown('timeout', `no complete reply within ${responseTimeoutMs} ms`), responseTimeoutMs);
      };
      req.on('socket', (socket) => {
        // A reused keep-alive socket is already connected; a new one reports 'connect' (or
        // 'secureConnect' for TLS, whose handshake also counts as connecting).
        if (socket.connecting) socket.once(this.url.protocol === 'https:' ? 'secureConnect' : 'connect', onConnected);
        else onConnected();
        // Late errors (a duplicated reply after ours, a reset after we finished) must not crash us.
        socket.on('error', () => {});
      });

      let response: http.IncomingMessage | undefined;
      req.on('error', (error: NodeJS.ErrnoException) => {
        // Junk after a complete reply (a gateway writing it twice before closing) does not undo it:
        // the reply's 'end' still follows and settles the call.
        if (settled || response?.complete) return;
        if (!connected) {
          const code = error.code ?? '';
          if (NOT_CONNECTED_CODES.has(code) || !code) {
            finish({ kind: 'not_delivered', reason: `${code || 'connection failed'}: ${error.message}` });
            return;
          }
        }
        finish({ kind: 'unknown', reason: 'connection_lost', detail: `${error.code ?? 'error'}: ${error.message}` });
      });

      req.on('response', (res) => {
        response = res;
        const declared = Number(res.headers['content-length'] ?? NaN);
        if (Number.isFinite(declared) && declared > limit) { unknown('reply_too_large', `reply declares ${declared} bytes, the limit is ${limit}`); return; }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limit) { unknown('reply_too_large', `reply exceeded ${limit} bytes`); return; }
          chunks.push(chunk);
        });
        res.on('aborted', () => unknown('connection_lost', 'the reply was cut off'));
        res.on('close', () => { if (!res.complete) unknown('connection_lost', 'the connection closed before the reply was complete'); });
        res.on('error', (error) => unknown('connection_lost', `reading the reply: ${error.message}`));
        res.on('end', () => {
          if (settled) return;
          const bytes = Buffer.concat(chunks);
          if (res.statusCode !== 200) {
            unknown('http_status', `HTTP ${res.statusCode}: ${snippet(bytes)}`);
            return;
          }
          const type = String(res.headers['content-type'] ?? '');
          if (request.expect === 'file' && !/json/i.test(type)) { finish({ kind: 'file', bytes: new Uint8Array(bytes) }); return; }
          let parsed: unknown;
          try {
            parsed = JSON.parse(bytes.toString('utf8'));
          } catch {
            unknown('malformed_reply', `reply is not JSON: ${snippet(bytes)}`);
            return;
          }
          try {
            finish({ kind: 'json', body: this.options.cipher ? this.options.cipher.reveal(parsed) : parsed });
          } catch (error) {
            unknown('malformed_reply', `could not decrypt the reply: ${error instanceof Error ? error.message : String(error)}`);
          }
        });
      });

      req.end(body);
    });
  }
}

/** base + path, unless base already ends with path (a full endpoint URL, as configured before editions). */
export function joinPath(base: URL, path: string | undefined): URL {
  if (!path || base.pathname.endsWith(path)) return base;
  const joined = new URL(base.href);
  joined.pathname = `${base.pathname.replace(/\/+$/, '')}${path}`;
  return joined;
}

function snippet(bytes: Buffer): string {
  const text = bytes.subarray(0, 120).toString('utf8').replace(/\s+/g, ' ');
  return bytes.length > 120 ? `${JSON.stringify(text)}… (${bytes.length} bytes)` : JSON.stringify(text);
}
