// Serves renderer/dist over app://renderer/ (Electron checklist #18: no file://). Only GET/HEAD,
// only our host, only files inside the renderer folder, CSP by response header.
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-origin';

/** Argument for protocol.registerSchemesAsPrivileged, which must run before app 'ready'. */
export function privilegedSchemes(): Array<{ scheme: string; privileges: { standard: boolean; secure: boolean; supportFetchAPI: boolean; codeCache: boolean } }> {
  // standard: relative URLs and an origin; secure: a secure context, like https. Not bypassCSP.
  return [{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }];
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  map: 'application/json; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  ico: 'image/x-icon',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  txt: 'text/plain; charset=utf-8',
  wasm: 'application/wasm',
};

export type AppPathResult =
  | { readonly ok: true; readonly path: string; readonly contentType: string; readonly spaFallback: boolean }
  | { readonly ok: false; readonly status: 400 | 403 | 404 | 405; readonly reason: string };

/**
 * Maps a request to a file under rendererRoot, or says why not. Each path segment is decoded on its
 * own and refused if it could climb or jump: "..", ".", an encoded / or \, a drive letter or stream
 * (":"), a NUL or control character. The lexical containment check afterwards is the backstop.
 */
export function resolveAppPath(rawUrl: string, method: string, rendererRoot: string): AppPathResult {
  if (method !== 'GET' && method !== 'HEAD') return { ok: false, status: 405, reason: `method ${method} not allowed` };
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, status: 400, reason: 'not a URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username !== '' || url.password !== '') {
    return { ok: false, status: 403, reason: 'not app://renderer' };
  }
  // URL parsing silently resolves "..", "%2e%2e" and friends; a request that contains them is not
  // one our own pages make, so it is refused rather than quietly re-rooted.
  const rawPath = rawUrl.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '').split(/[?#]/)[0] ?? '';
  if (rawPath.split(/[/\\]/).some((segment) => /^(\.|%2e){1,2}$/i.test(segment))) {
    return { ok: false, status: 403, reason: 'dot segment in path' };
  }
  const rawSegments = url.pathname.split('/').slice(1);
  const segments: string[] = [];
  for (const [index, raw] of rawSegments.entries()) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 400, reason: 'malformed percent-encoding' };
    }
    if (segment === '') {
      // "a//b" or a leading "//": an empty segment is never a file name.
      if (index === rawSegments.length - 1) continue;
      return { ok: false, status: 400, reason: 'empty path segment' };
    }
    // eslint-disable-next-line no-control-regex
    if (segment === '.' || segment === '..' || /[\\/:\u0000-\u001f%]/.test(segment)) {
      return { ok: false, status: 403, reason: 'path segment not allowed' };
    }
    segments.push(segment);
  }
  const root = resolve(rendererRoot);
  const wantsIndex = segments.length === 0;
  const target = wantsIndex ? join(root, 'index.html') : resolve(root, ...segments);
  const rel = relative(root, target);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
    return { ok: false, status: 403, reason: 'outside the renderer folder' };
  }
  const last = segments[segments.length - 1] ?? 'index.html';
  const dot = last.lastIndexOf('.');
  const extension = dot > 0 ? last.slice(dot + 1).toLowerCase() : '';
  if (extension === '') {
    // Client-side routes (no extension) get the app shell, as `npm run serve` does.
    return { ok: true, path: join(root, 'index.html'), contentType: CONTENT_TYPES.html!, spaFallback: true };
  }
  const contentType = CONTENT_TYPES[extension];
  if (contentType === undefined) return { ok: false, status: 404, reason: `no such asset type .${extension}` };
  return { ok: true, path: target, contentType, spaFallback: false };
}

export interface AppProtocolDeps {
  readonly rendererRoot: string;
  readonly readFile: (path: string) => Promise<Uint8Array>;
  /** Evaluated per request: the backend's port may change after a restart. */
  readonly contentSecurityPolicy: () => string;
  readonly log: (line: string) => void;
}

/** The function for protocol.handle(APP_SCHEME, …). Takes the two request fields it reads. */
export function createAppProtocolHandler(deps: AppProtocolDeps): (request: { readonly url: string; readonly method: string }) => Promise<Response> {
  return async (request) => {
    const resolved = resolveAppPath(request.url, request.method, deps.rendererRoot);
    const headers = {
      'content-security-policy': deps.contentSecurityPolicy(),
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    };
    if (!resolved.ok) {
      deps.log(`app:// ${resolved.status} ${resolved.reason}`);
      return new Response(null, { status: resolved.status, headers });
    }
    let body: Uint8Array;
    try {
      body = await deps.readFile(resolved.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return new Response(null, { status: 404, headers });
      deps.log(`app:// 500 reading a renderer file failed: ${code ?? String(error)}`);
      return new Response(null, { status: 500, headers });
    }
    // A copy with its own ArrayBuffer, the body type Response accepts (renderer files are small).
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers: { ...headers, 'content-type': resolved.contentType } });
  };
}
