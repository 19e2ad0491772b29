// Carries backend status changes to the tray and the window. The first load of the UI waits for
// the backend's first answer, so the page's CSP already names the backend's origin; if a restart
// lands on another port, the page is reloaded (same window) to pick up the new CSP.
import { APP_ENTRY_URL } from './app-origin';
import { type BackendStatusView, CHANNELS } from './bridge-contract';

export interface RelayWindow {
  isDestroyed(): boolean;
  readonly webContents: {
    send(channel: string, status: BackendStatusView): void;
    reload(): void;
    loadURL(url: string): Promise<void>;
  };
}

export function createStatusRelay(deps: {
  readonly getWindow: () => RelayWindow | null;
  readonly updateTray: (status: BackendStatusView) => void;
  readonly log: (line: string) => void;
}): (status: BackendStatusView) => void {
  let loaded = false;
  let loadedWithOrigin: string | null = null;
  return (status) => {
    deps.updateTray(status);
    const window = deps.getWindow();
    if (window === null || window.isDestroyed()) return;
    if (!loaded) {
      if (status.state === 'starting' || status.state === 'stopped') return;
      loaded = true;
      loadedWithOrigin = status.apiBaseUrl;
      window.webContents.loadURL(APP_ENTRY_URL).catch((error: unknown) => deps.log(`loading the UI failed: ${String(error)}`));
      return;
    }
    if (status.state === 'ready' && status.apiBaseUrl !== loadedWithOrigin) {
      deps.log(`backend now at ${status.apiBaseUrl}; reloading the UI for its CSP`);
      loadedWithOrigin = status.apiBaseUrl;
      window.webContents.reload();
      return;
    }
    window.webContents.send(CHANNELS.backendStatus, status);
  };
}
