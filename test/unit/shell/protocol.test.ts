// The app:// protocol: only files under renderer/dist, whatever the URL tries; CSP on every
// response; served from a real folder on disk.
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { privilegedSchemes, resolveAppPath, createAppProtocolHandler } from '../../../electron/shell/app-protocol';
import { contentSecurityPolicy } from '../../../electron/shell/csp';

const root = resolve('/srv/app/renderer/dist');
const at = (url: string, method = 'GET') => resolveAppPath(url, method, root);

describe('resolveAppPath', () => {
  test.each([
    ['app://renderer/', join(root, 'index.html')],
    ['app://renderer/index.html', join(root, 'index.html')],
    ['app://renderer/assets/index-DKc26VCl.js', join(root, 'assets', 'index-DKc26VCl.js')],
    ['app://renderer/assets/index.js?v=3#top', join(root, 'assets', 'index.js')],
    ['app://renderer/assets/%E5%9B%BE%E6%A0%87.png', join(root, 'assets', '图标.png')],
    ['app://renderer/settlements/today', join(root, 'index.html')], // client-side route → app shell
  ])('%s → %s', (url, path) => {
    const result = at(url);
    expect(result.ok && result.path).toBe(path);
  });

  test.each([
    ['plain traversal', 'app://renderer/../../../etc/passwd'],
    ['encoded dots', 'app://renderer/%2e%2e/%2e%2e/etc/passwd'],
    ['mixed-case encoded dots', 'app://renderer/%2E%2e/secret.json'],
    ['encoded slash', 'app://renderer/..%2f..%2fetc%2fpasswd'],
    ['encoded backslash', 'app://renderer/..%5c..%5cWindows%5cwin.ini'],
    ['raw backslash', 'app://renderer/..\\..\\Windows\\win.ini'],
    ['double-encoded dots', 'app://renderer/%252e%252e/%252e%252e/etc/passwd'],
    ['absolute path in a segment', 'app://renderer/%2Fetc%2Fpasswd'],
    ['drive letter', 'app://renderer/C:/Windows/win.ini'],
    ['encoded drive letter', 'app://renderer/C%3A%5CWindows%5Cwin.ini'],
    ['NTFS stream', 'app://renderer/index.html::$DATA'],
    ['null byte', 'app://renderer/index.html%00.png'],
    ['control character', 'app://renderer/a%0Ab.js'],
    ['empty segment (//)', 'app://renderer//etc/passwd'],
  ])('refuses %s', (_what, url) => {
    const result = at(url);
    expect(result.ok).toBe(false);
    if (!result.ok) expect([400, 403]).toContain(result.status);
  });

  test.each([
    ['another host', 'app://evil/index.html', 403],
    ['a port', 'app://renderer:8080/index.html', 403],
    ['credentials', 'app://a:b@renderer/index.html', 403],
    ['another scheme', 'file:///srv/app/renderer/dist/index.html', 403],
    ['malformed percent-encoding', 'app://renderer/%E0%A4%A.js', 400],
    ['an unknown asset type', 'app://renderer/payload.exe', 404],
  ] as const)('refuses %s (%s) with %i', (_what, url, status) => {
    const result = at(url);
    expect(result.ok ? 200 : result.status).toBe(status);
  });

  test('only GET and HEAD', () => {
    expect(at('app://renderer/index.html', 'HEAD').ok).toBe(true);
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) expect(at('app://renderer/index.html', method)).toMatchObject({ ok: false, status: 405 });
  });

  test('property: whatever the path, an accepted request resolves inside the renderer folder', () => {
    const segment = fc.oneof(
      fc.constantFrom('..', '.', '%2e%2e', '%2E%2E', '%2f', '%5c', '%00', '..%2f', 'C:', '', '%252e', 'assets', 'index.html', 'a.js', '~', '%c0%ae'),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(fc.property(fc.array(segment, { maxLength: 8 }), (segments) => {
      const result = at(`app://renderer/${segments.join('/')}`);
      if (!result.ok) return true;
      const rel = relative(root, result.path);
      return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !rel.includes(`${sep}..${sep}`) && result.path.startsWith(root + sep);
    }), { numRuns: 3000 });
  });
});

describe('the protocol handler over a real folder', () => {
  let dir: string;
  const csp = contentSecurityPolicy('http://127.0.0.1:43210');
  const logs: string[] = [];
  let handler: ReturnType<typeof createAppProtocolHandler>;

  beforeAll(() => {
    const base = mkdtempSync(join(tmpdir(), 'ybjs-protocol-'));
    dir = join(base, 'renderer', 'dist');
    mkdirSync(join(dir, 'assets'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>医保结算助手</title>');
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(base, 'secret.json'), '{"password":"hunter2"}'); // right next to the renderer folder
    handler = createAppProtocolHandler({ rendererRoot: dir, readFile: (p) => readFile(p), contentSecurityPolicy: () => csp, log: (l) => logs.push(l) });
  });

  test('serves index.html with its type, nosniff and the CSP header', async () => {
    const response = await handler({ url: 'app://renderer/', method: 'GET' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe(csp);
    expect(await response.text()).toContain('医保结算助手');
  });

  test('serves scripts as JavaScript; HEAD has no body', async () => {
    const response = await handler({ url: 'app://renderer/assets/app.js', method: 'GET' });
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toBe('console.log(1)');
    expect(await (await handler({ url: 'app://renderer/assets/app.js', method: 'HEAD' })).text()).toBe('');
  });

  test('the file next to the renderer folder stays out of reach, and the refusal is logged', async () => {
    for (const url of ['app://renderer/../secret.json', 'app://renderer/%2e%2e/secret.json', 'app://renderer/..%2fsecret.json']) {
      const response = await handler({ url, method: 'GET' });
      expect(response.status).not.toBe(200);
      expect(await response.text()).not.toContain('hunter2');
    }
    expect(logs.some((l) => l.includes('403'))).toBe(true);
  });

  test('a missing file is 404 (with the CSP still set)', async () => {
    const response = await handler({ url: 'app://renderer/assets/missing.js', method: 'GET' });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toBe(csp);
  });
});

describe('CSP and scheme privileges', () => {
  test('connect-src is exactly the backend origin; nothing else can load or connect', () => {
    const policy = contentSecurityPolicy('http://127.0.0.1:17650');
    const directives = Object.fromEntries(policy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives['connect-src']).toBe('http://127.0.0.1:17650');
    expect(directives['default-src']).toBe("'none'");
    expect(directives['script-src']).toBe("'self'");
    expect(directives['object-src']).toBe("'none'");
    expect(directives['frame-ancestors']).toBe("'none'");
    expect(policy).not.toContain('unsafe-eval');
    expect(directives['script-src']).not.toContain('unsafe-inline');
  });

  test('before the backend is up the page may connect nowhere', () => {
    expect(contentSecurityPolicy(null)).toContain("connect-src 'none'");
  });

  test('an origin that is not loopback http is refused, not written into the policy', () => {
    for (const origin of ['https://127.0.0.1:1', 'http://0.0.0.0:80', 'http://127.0.0.1:80/api', "http://127.0.0.1:80 'unsafe-eval'", 'http://evil.example:80']) {
      expect(() => contentSecurityPolicy(origin)).toThrow(/apiOrigin/);
    }
  });

  test('app:// is standard and secure, supports fetch, and does not bypass CSP', () => {
    const [scheme] = privilegedSchemes();
    expect(scheme).toMatchObject({ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } });
    expect(scheme!.privileges).not.toHaveProperty('bypassCSP');
  });
});
