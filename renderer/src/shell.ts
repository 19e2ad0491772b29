// Where the renderer runs: in a browser tab served by the backend itself (`npm run serve`: the API
// is on the same origin), or in the Electron window (app:// origin: the preload's `window.ybjs`
// tells us the backend's loopback origin, and prints and saves files through the main process).
// The bridge's shape is declared here again because the renderer may import only core/contracts;
// every value that crosses it is checked before use.
import { z } from 'zod';

const LOOPBACK_ORIGIN = /^http:\/\/127\.0\.0\.1:\d{1,5}$/;

const BackendStatus = z.object({ state: z.string(), apiBaseUrl: z.string().regex(LOOPBACK_ORIGIN).nullable() }).loose();
/** `token`: the shell's per-start secret, sent with every API call (the backend checks it). */
const Connection = z.object({ backend: BackendStatus, token: z.string().regex(/^[A-Za-z0-9_-]{32,128}$/).optional() }).loose();
const PrintResult = z.union([z.object({ ok: z.literal(true) }), z.object({ ok: z.literal(false), reason: z.string() })]);
const SaveResult = z.union([z.object({ saved: z.literal(false) }), z.object({ saved: z.literal(true), path: z.string() })]);

interface Bridge {
  getConnection(): Promise<unknown>;
  onBackendStatus(listener: (status: unknown) => void): () => void;
  print(request?: { silent?: boolean }): Promise<unknown>;
  saveFile(request: { suggestedName: string; content: string; encoding: 'utf8' | 'base64' }): Promise<unknown>;
}

function bridge(): Bridge | null {
  const candidate = (window as unknown as { ybjs?: Bridge }).ybjs;
  return candidate && typeof candidate.getConnection === 'function' ? candidate : null;
}

let base = '';
let shellToken: string | null = null;

export const shell = {
  inElectron: (): boolean => bridge() !== null,
  /** '' (same origin) in a browser; the backend's loopback origin in Electron. */
  apiBase: (): string => base,
  /** The desktop shell's per-start token (null in a browser, where the backend has none). */
  token: (): string | null => shellToken,

  /** Resolves once the API can be called (at once in a browser). */
  async init(): Promise<void> {
    const b = bridge();
    if (!b) return;
    const connection = Connection.parse(await b.getConnection());
    base = connection.backend.apiBaseUrl ?? '';
    shellToken = connection.token ?? null;
    b.onBackendStatus((status) => {
      const parsed = BackendStatus.safeParse(status);
      if (parsed.success && parsed.data.apiBaseUrl) base = parsed.data.apiBaseUrl; // the backend restarted on a new port
    });
  },

  /** Prints the current window (the print stylesheet shows only the receipt). */
  async print(): Promise<{ ok: true } | { ok: false; reason: string }> {
    const b = bridge();
    if (!b) {
      window.print();
      return { ok: true };
    }
    return PrintResult.parse(await b.print());
  },

  /** Saves a downloaded export: the browser's download, or the desktop app's save dialog. */
  async saveFile(name: string, blob: Blob): Promise<{ saved: boolean; path?: string }> {
    const b = bridge();
    if (!b) {
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return { saved: true };
    }
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return SaveResult.parse(await b.saveFile({ suggestedName: name, content: btoa(binary), encoding: 'base64' }));
  },
};
