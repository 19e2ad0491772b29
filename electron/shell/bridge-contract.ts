// What the preload exposes to the renderer as `window.ybjs`, and the IPC channel names behind it.
// Types only plus string constants: the sandboxed preload imports this file and must stay tiny.

/** Every channel carries our prefix, so a stray channel name from elsewhere can never match. */
export const CHANNELS = {
  connection: 'ybjs:connection',
  print: 'ybjs:print',
  saveFile: 'ybjs:save-file',
  /** main → renderer only: the backend's state changed (restart, crash, give-up). */
  backendStatus: 'ybjs:backend-status',
} as const;

export type BackendState = 'starting' | 'ready' | 'restarting' | 'failed' | 'stopped';

/** The backend as the renderer sees it. apiBaseUrl is an origin such as http://127.0.0.1:17650. */
export interface BackendStatusView {
  readonly state: BackendState;
  readonly apiBaseUrl: string | null;
  /** Set while restarting: milliseconds until the next attempt. */
  readonly restartInMs?: number;
  /** Short operator-facing reason for 'restarting' and 'failed'. */
  readonly detail?: string;
}

export interface ConnectionInfo {
  readonly backend: BackendStatusView;
  /** Per-start secret the renderer sends with every API call (x-ybjs-shell-token); the backend refuses operator calls without it. */
  readonly token: string;
}

export interface PrintRequest { readonly silent?: boolean }
export type PrintResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface SaveFileRequest {
  /** A bare file name such as 对账单-2025-06-30.xlsx; its extension picks the dialog filter. */
  readonly suggestedName: string;
  readonly content: string;
  readonly encoding: 'utf8' | 'base64';
}
export type SaveFileResult = { readonly saved: false } | { readonly saved: true; readonly path: string };

/** `window.ybjs`: task-specific functions only; ipcRenderer itself never reaches the page. */
export interface ShellBridge {
  getConnection(): Promise<ConnectionInfo>;
  /** Returns an unsubscribe function. */
  onBackendStatus(listener: (status: BackendStatusView) => void): () => void;
  print(request?: PrintRequest): Promise<PrintResult>;
  saveFile(request: SaveFileRequest): Promise<SaveFileResult>;
}
