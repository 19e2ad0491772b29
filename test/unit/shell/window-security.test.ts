// The window's web preferences, and the guards on every web contents and on the session: no
// navigation away, no new windows, no webviews, no permissions but loopback for the app, no
// downloads, and openExternal only for allow-listed https links.
import { describe, expect, test } from 'vitest';
import { type BrowserWindowConstructorOptions } from 'electron';
import { createMainWindow } from '../../../electron/shell/window-options';
import {
  EXTERNAL_HOSTS, hardenSession, hardenWebContents, type HardenableContents, type HardenableSession, isAllowedExternalUrl, type NavigationEventLike, permissionAllowed,
} from '../../../electron/shell/web-security';

describe('the main window', () => {
  class CapturingWindow {
    constructor(readonly options: BrowserWindowConstructorOptions) {}
  }
  const options = createMainWindow(CapturingWindow, '/app/dist-electron/electron/shell/preload.cjs', '/app/icon.png').options;
  const prefs = options.webPreferences!;

  test('is sandboxed and isolated, with no Node anywhere', () => {
    expect(prefs).toMatchObject({
      sandbox: true, contextIsolation: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false,
    });
  });

  test('keeps web security on and every loosening switch off', () => {
    expect(prefs).toMatchObject({
      webSecurity: true, allowRunningInsecureContent: false, experimentalFeatures: false, webviewTag: false, navigateOnDragDrop: false,
    });
    expect(prefs.enableBlinkFeatures).toBeUndefined();
    expect(prefs.disableBlinkFeatures).toBe('Auxclick');
    expect(prefs).not.toHaveProperty('additionalArguments');
  });

  test('loads our bundled preload and starts hidden until ready', () => {
    expect(prefs.preload).toBe('/app/dist-electron/electron/shell/preload.cjs');
    expect(options.show).toBe(false);
    expect(options.icon).toBe('/app/icon.png');
    expect(createMainWindow(CapturingWindow, '/p.cjs', undefined).options).not.toHaveProperty('icon');
  });
});

/** A stand-in web contents that records what hardenWebContents registers. */
function recordingContents() {
  const listeners = new Map<string, (event: NavigationEventLike) => void>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  const contents: HardenableContents = {
    on: (name: string, listener: (event: NavigationEventLike) => void) => { listeners.set(name, listener); return contents; },
    setWindowOpenHandler: (handler) => { openHandler = handler; },
  } as HardenableContents;
  const opened: string[] = [];
  const logs: string[] = [];
  hardenWebContents(contents, { openExternal: async (url) => { opened.push(url); } }, (l) => logs.push(l));
  const fire = (name: string, url: string) => {
    let prevented = false;
    listeners.get(name)!({ url, preventDefault: () => { prevented = true; } });
    return prevented;
  };
  return { fire, open: (url: string) => openHandler!({ url }), opened, logs, listeners };
}

describe('web contents guards', () => {
  test.each(['will-navigate', 'will-redirect'])('%s: leaving the app is prevented, staying in it is not', (name) => {
    const c = recordingContents();
    expect(c.fire(name, 'https://evil.example/phish')).toBe(true);
    expect(c.fire(name, 'file:///etc/passwd')).toBe(true);
    expect(c.fire(name, 'http://127.0.0.1:17650/')).toBe(true); // not even to our own backend
    expect(c.fire(name, 'app://renderer.evil/')).toBe(true);
    expect(c.fire(name, 'app://renderer/index.html')).toBe(false);
    expect(c.logs.filter((l) => l.startsWith('navigation blocked'))).toHaveLength(4);
  });

  test('log lines drop query strings (they can carry personal data)', () => {
    const c = recordingContents();
    c.fire('will-navigate', 'https://evil.example/p?idcard=110101199003074512');
    expect(c.logs.join('\n')).not.toContain('110101199003074512');
  });

  test('webviews are refused', () => {
    const c = recordingContents();
    expect(c.fire('will-attach-webview', 'about:blank')).toBe(true);
  });

  test('every new window is denied; allow-listed https links open in the browser instead', () => {
    const c = recordingContents();
    expect(c.open('https://www.nhsa.gov.cn/col/col147/index.html')).toEqual({ action: 'deny' });
    expect(c.open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(c.open('app://renderer/index.html')).toEqual({ action: 'deny' });
    expect(c.opened).toEqual(['https://www.nhsa.gov.cn/col/col147/index.html']);
  });
});

describe('openExternal allow-list', () => {
  test.each([
    ['https://www.nhsa.gov.cn/', true],
    ['https://fuwu.nhsa.gov.cn/nationalHallSt/', true],
    ['http://www.nhsa.gov.cn/', false], // not https
    ['https://www.nhsa.gov.cn:8443/', false], // odd port
    ['https://user@www.nhsa.gov.cn/', false], // credentials
    ['https://www.nhsa.gov.cn.evil.example/', false], // suffix trick
    ['https://evilwww.nhsa.gov.cn/', false],
    ['file:///C:/Windows/System32/calc.exe', false],
    ['smb://server/share', false],
    ['ms-settings:privacy', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedExternalUrl(url)).toBe(allowed);
  });

  test('every allow-listed host is a bare hostname', () => {
    for (const host of EXTERNAL_HOSTS) expect(host).toMatch(/^[a-z0-9.-]+$/);
  });
});

describe('session guards', () => {
  function recordingSession() {
    let request: Parameters<HardenableSession['setPermissionRequestHandler']>[0] | null = null;
    let check: Parameters<HardenableSession['setPermissionCheckHandler']>[0] | null = null;
    let device: (() => boolean) | null = null;
    let download: ((event: { preventDefault(): void }) => void) | null = null;
    const logs: string[] = [];
    hardenSession({
      setPermissionRequestHandler: (h) => { request = h; },
      setPermissionCheckHandler: (h) => { check = h; },
      setDevicePermissionHandler: (h) => { device = h; },
      on: (_name, listener) => { download = listener; },
    }, (l) => logs.push(l));
    const ask = (permission: string, requestingUrl?: string) => {
      let granted: boolean | null = null;
      request!({}, permission, (g) => { granted = g; }, requestingUrl === undefined ? {} : { requestingUrl });
      return granted;
    };
    return { ask, check: (p: string, origin: string) => check!({}, p, origin), device: () => device!(), download: () => { let p = false; download!({ preventDefault: () => { p = true; } }); return p; }, logs };
  }

  test.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'serial', 'hid', 'usb', 'fullscreen', 'display-capture', 'unknown'])('%s is denied, even for the app', (permission) => {
    const s = recordingSession();
    expect(s.ask(permission, 'app://renderer/index.html')).toBe(false);
    expect(s.check(permission, 'app://renderer')).toBe(false);
  });

  test('loopback access (to reach the backend) is granted to the app only', () => {
    const s = recordingSession();
    expect(s.ask('loopback-network', 'app://renderer/index.html')).toBe(true);
    expect(s.ask('local-network-access', 'app://renderer/index.html')).toBe(true);
    expect(s.check('loopback-network', 'app://renderer')).toBe(true);
    expect(s.ask('loopback-network', 'https://evil.example/')).toBe(false);
    expect(s.ask('loopback-network')).toBe(false);
    expect(s.ask('local-network', 'app://renderer/index.html')).toBe(false); // the LAN stays closed
    expect(permissionAllowed('loopback-network', 'app://other/')).toBe(false);
  });

  test('device pickers (USB/HID/serial from the page) and downloads are refused', () => {
    const s = recordingSession();
    expect(s.device()).toBe(false);
    expect(s.download()).toBe(true);
    expect(s.logs).toContain('download refused');
  });
});
