// The one BrowserWindow. Every security-relevant web preference is spelled out, even where it
// equals Electron's default, so a changed default can never loosen us (checklist #2–#4, #6–#10).
// The options stay a literal inside `new BrowserWindow(…)` so the static scan can read them; the
// constructor is a parameter so unit tests can capture them.
import { type BrowserWindowConstructorOptions } from 'electron';

export type WindowConstructor<W> = new (options: BrowserWindowConstructorOptions) => W;

export function createMainWindow<W>(BrowserWindow: WindowConstructor<W>, preloadPath: string, iconPath: string | undefined): W {
  return new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    show: false, // shown on 'ready-to-show', or left hidden when auto-started into the tray
    title: '医保结算助手',
    backgroundColor: '#f5f5f5',
    autoHideMenuBar: true,
    ...(iconPath === undefined ? {} : { icon: iconPath }),
    webPreferences: {
      // electronegativity-justified: PRELOAD_JS_CHECK — our own sandboxed, bundled preload.cjs; it exposes four task functions through contextBridge and never ipcRenderer (preload-bridge.ts)
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // Middle-click would ask for a new window; those are denied anyway, but do not even fire it.
      disableBlinkFeatures: 'Auxclick',
    },
  });
}
