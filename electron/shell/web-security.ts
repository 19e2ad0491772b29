// Session- and page-level guards (Electron checklist #5, #11–#15): deny permissions, webviews,
// navigation away from the app, new windows, downloads; open only allow-listed https links outside.
import { isAppUrl, urlForLog } from './app-origin';

/** Hosts the UI may open in the user's browser (national and provincial insurance-bureau sites). */
export const EXTERNAL_HOSTS: readonly string[] = ['www.nhsa.gov.cn', 'fuwu.nhsa.gov.cn'];

export function isAllowedExternalUrl(text: string, hosts: readonly string[] = EXTERNAL_HOSTS): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && url.port === '' && url.username === '' && url.password === '' && hosts.includes(url.hostname);
}

/**
 * Chromium's Local Network Access asks before a page whose origin is not on the loopback address
 * (our app:// origin) fetches from 127.0.0.1. The backend is the one such fetch we want; the CSP's
 * connect-src already pins it to the backend's exact origin. Everything else is denied.
 */
const APP_PERMISSIONS: ReadonlySet<string> = new Set(['loopback-network', 'local-network-access']);

export function permissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  return APP_PERMISSIONS.has(permission) && requestingUrl !== undefined && isAppUrl(requestingUrl);
}

export interface HardenableSession {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string, requestingOrigin: string) => boolean): void;
  setDevicePermissionHandler(handler: () => boolean): void;
  on(event: 'will-download', listener: (event: { preventDefault(): void }) => void): unknown;
}

export function hardenSession(session: HardenableSession, log: (line: string) => void): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const granted = permissionAllowed(permission, details.requestingUrl);
    if (!granted) log(`permission request denied: ${permission} from ${urlForLog(details.requestingUrl ?? '')}`);
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionAllowed(permission, requestingOrigin));
  session.setDevicePermissionHandler(() => false); // WebUSB/WebHID/Web Serial: the reader is the backend's
  session.on('will-download', (event) => {
    event.preventDefault(); // exports go through the save-file dialog in main, never a download
    log('download refused');
  });
}

export interface NavigationEventLike {
  readonly url: string;
  preventDefault(): void;
}

export interface HardenableContents {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: NavigationEventLike) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { readonly url: string }) => { action: 'deny' }): void;
}

export interface ExternalOpener {
  openExternal(url: string): Promise<void>;
}

/** Applied to every web contents the app creates (app 'web-contents-created'). */
export function hardenWebContents(contents: HardenableContents, shell: ExternalOpener, log: (line: string) => void): void {
  const stayInApp = (event: NavigationEventLike): void => {
    // Reloads and in-app links stay on app://renderer; anything else would leave our CSP and preload.
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    log(`navigation blocked: ${urlForLog(event.url)}`);
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('webview refused');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) {
      // electronegativity-justified: OPEN_EXTERNAL_JS_CHECK — only https URLs on EXTERNAL_HOSTS reach this call (isAllowedExternalUrl, unit-tested)
      shell.openExternal(url).catch((error: unknown) => log(`openExternal failed: ${String(error)}`));
    } else {
      log(`new window refused: ${urlForLog(url)}`);
    }
    return { action: 'deny' };
  });
}
