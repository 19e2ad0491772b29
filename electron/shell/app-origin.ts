// The renderer's origin. The UI is served from app://renderer/ (see app-protocol.ts), never file://.

export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * True only for app://renderer/… with no port and no credentials. Node's URL gives custom schemes
 * an opaque origin ("null"), so the parts are compared one by one instead of `origin`.
 */
export function isAppUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === '';
}

/** For log lines: the URL without query or fragment (they may carry personal data), capped in length. */
export function urlForLog(text: string): string {
  try {
    const url = new URL(text);
    return `${url.protocol}//${url.host}${url.pathname}`.slice(0, 200);
  } catch {
    return JSON.stringify(text.slice(0, 80));
  }
}
