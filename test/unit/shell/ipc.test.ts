// IPC: only our app:// top frame in our window may call main, every payload passes its zod
// schema, and the preload hands the page plain functions, never ipcRenderer or its events.
import { describe, expect, test } from 'vitest';
import { CHANNELS } from '../../../electron/shell/bridge-contract';
import { ConnectionPayload, PrintPayload, SaveFilePayload } from '../../../electron/shell/ipc-schemas';
import { handleValidated, type InvokeEventLike, IpcRefusal, senderRefusal } from '../../../electron/shell/ipc-validated';
import { createBridge, type IpcRendererLike } from '../../../electron/shell/preload-bridge';

const OUR_WINDOW = 7;
const trusted = (): number[] => [OUR_WINDOW];
const topFrame = (url: string) => ({ url, parent: null });
const event = (url: string | null, senderId = OUR_WINDOW, parent: unknown = null): InvokeEventLike => ({
  sender: { id: senderId },
  senderFrame: url === null ? null : { url, parent },
});

describe('sender validation', () => {
  test('our app:// top frame in our window is trusted', () => {
    expect(senderRefusal(event('app://renderer/index.html'), trusted)).toBeNull();
    expect(senderRefusal(event('app://renderer/settlements?day=2025-06-30#x'), trusted)).toBeNull();
  });

  test.each([
    ['a web page', 'https://evil.example/', 'not the app'],
    ['the backend origin', 'http://127.0.0.1:17650/', 'not the app'],
    ['a file:// page', 'file:///etc/passwd', 'not the app'],
    ['a look-alike host', 'app://renderer.evil/index.html', 'not the app'],
    ['another custom host', 'app://other/index.html', 'not the app'],
    ['credentials in the URL', 'app://user:pw@renderer/index.html', 'not the app'],
    ['an explicit port', 'app://renderer:99/index.html', 'not the app'],
    ['about:blank', 'about:blank', 'not the app'],
    ['garbage', 'not a url', 'not the app'],
  ])('%s is refused', (_what, url, reason) => {
    expect(senderRefusal(event(url), trusted)).toContain(reason);
  });

  test('a sub-frame is refused even when it is app://', () => {
    expect(senderRefusal(event('app://renderer/index.html', OUR_WINDOW, topFrame('app://renderer/index.html')), trusted)).toContain('top frame');
  });

  test('a frame that has gone away is refused', () => {
    expect(senderRefusal(event(null), trusted)).toContain('no longer exists');
  });

  test('app:// in some other web contents (not our window) is refused', () => {
    expect(senderRefusal(event('app://renderer/index.html', 99), trusted)).toContain('not one of our windows');
    expect(senderRefusal(event('app://renderer/index.html'), () => [])).toContain('not one of our windows');
  });
});

/** A plain stand-in for ipcMain: records the handlers so tests can invoke them. */
function recordingIpc() {
  const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => unknown>();
  return { handlers, handle: (channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown) => { handlers.set(channel, listener); } };
}

describe('handleValidated', () => {
  function setup() {
    const ipc = recordingIpc();
    const calls: unknown[] = [];
    const logs: string[] = [];
    handleValidated(ipc, { channel: CHANNELS.saveFile, schema: SaveFilePayload, handler: (payload) => { calls.push(payload); return { saved: false }; } }, trusted, (l) => logs.push(l));
    const invoke = (ev: InvokeEventLike, ...args: unknown[]) => Promise.resolve(ipc.handlers.get(CHANNELS.saveFile)!(ev, ...args));
    return { calls, logs, invoke };
  }
  const good = { suggestedName: '对账单-2025-06-30.xlsx', content: 'UEsDBA==', encoding: 'base64' };

  test('a trusted sender with a valid payload reaches the handler with the parsed payload', async () => {
    const { calls, invoke } = setup();
    await expect(invoke(event('app://renderer/index.html'), good)).resolves.toEqual({ saved: false });
    expect(calls).toEqual([good]);
  });

  test('an untrusted sender is refused before the payload is even looked at, and logged', async () => {
    const { calls, logs, invoke } = setup();
    await expect(invoke(event('https://evil.example/'), good)).rejects.toThrow(IpcRefusal);
    expect(calls).toEqual([]);
    expect(logs.join('\n')).toContain('ybjs:save-file refused');
  });

  test('an invalid payload is refused with the field named', async () => {
    const { calls, invoke } = setup();
    await expect(invoke(event('app://renderer/index.html'), { ...good, suggestedName: '../../.bashrc.txt' })).rejects.toThrow(/suggestedName: must be a bare file name/);
    await expect(invoke(event('app://renderer/index.html'), { ...good, extra: 1 })).rejects.toThrow(/payload: Unrecognized key/i);
    await expect(invoke(event('app://renderer/index.html'), good, 'second argument')).rejects.toThrow(/at most one argument/);
    expect(calls).toEqual([]);
  });
});

describe('payload schemas', () => {
  const save = (over: Record<string, unknown>) => SaveFilePayload.safeParse({ suggestedName: 'a.csv', content: 'x', encoding: 'utf8', ...over });

  test.each([
    ['日结对账单.xlsx'], ['receipt 0001.pdf'], ['export.CSV'], ['notes.txt'], ['a.json'],
  ])('%s is a valid file name', (name) => {
    expect(save({ suggestedName: name }).success).toBe(true);
  });

  test.each([
    ['a folder', 'dir/a.csv'], ['a Windows folder', 'dir\\a.csv'], ['a drive', 'C:a.csv'], ['traversal', '../a.csv'],
    ['an absolute path', '/etc/passwd.txt'], ['a NUL byte', 'a\u0000.csv'], ['a newline', 'a\n.csv'], ['a wildcard', '*.csv'],
    ['an executable', 'setup.exe'], ['a shortcut', 'x.lnk'], ['no extension', 'README'], ['only an extension', '.csv'],
    ['too long', `${'长'.repeat(121)}.csv`], ['empty', ''],
  ])('refuses %s (%j)', (_what, name) => {
    const result = save({ suggestedName: name });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['suggestedName']);
  });

  test('base64 content must be base64; encodings are the two known ones; size is capped', () => {
    expect(save({ encoding: 'base64', content: 'not base64!' }).error!.issues[0]!.path).toEqual(['content']);
    expect(save({ encoding: 'hex' }).success).toBe(false);
    expect(save({ content: 'x'.repeat(28_000_000) }).success).toBe(false);
    expect(save({ content: 42 }).success).toBe(false);
  });

  test('print takes nothing or {silent: boolean}; connection takes nothing', () => {
    expect(PrintPayload.safeParse(undefined).success).toBe(true);
    expect(PrintPayload.safeParse({ silent: true }).success).toBe(true);
    expect(PrintPayload.safeParse({ silent: 'yes' }).success).toBe(false);
    expect(PrintPayload.safeParse({ deviceName: 'x' }).success).toBe(false);
    expect(ConnectionPayload.safeParse(undefined).success).toBe(true);
    expect(ConnectionPayload.safeParse({}).success).toBe(false);
  });
});

describe('preload bridge', () => {
  function fakeIpcRenderer() {
    const invoked: Array<[string, unknown[]]> = [];
    const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
    const ipc: IpcRendererLike = {
      invoke: async (channel, ...args) => { invoked.push([channel, args]); return { channel }; },
      on: (channel, listener) => { (listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel)!).add(listener); },
      removeListener: (channel, listener) => { listeners.get(channel)?.delete(listener); },
    };
    const emit = (channel: string, ...args: unknown[]) => listeners.get(channel)?.forEach((l) => l({ sender: 'the IpcRendererEvent' }, ...args));
    return { ipc, invoked, emit, listeners };
  }

  test('exposes exactly the four task functions, frozen', () => {
    const bridge = createBridge(fakeIpcRenderer().ipc);
    expect(Object.keys(bridge).sort()).toEqual(['getConnection', 'onBackendStatus', 'print', 'saveFile']);
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.values(bridge).every((v) => typeof v === 'function')).toBe(true);
  });

  test('each function invokes its own prefixed channel', async () => {
    const { ipc, invoked } = fakeIpcRenderer();
    const bridge = createBridge(ipc);
    await bridge.getConnection();
    await bridge.print({ silent: true });
    await bridge.saveFile({ suggestedName: 'a.csv', content: 'x', encoding: 'utf8' });
    expect(invoked).toEqual([
      ['ybjs:connection', []],
      ['ybjs:print', [{ silent: true }]],
      ['ybjs:save-file', [{ suggestedName: 'a.csv', content: 'x', encoding: 'utf8' }]],
    ]);
  });

  test('status listeners get the status only (not the IPC event), and can unsubscribe', () => {
    const { ipc, emit, listeners } = fakeIpcRenderer();
    const seen: unknown[][] = [];
    const off = createBridge(ipc).onBackendStatus((...args: unknown[]) => seen.push(args));
    emit(CHANNELS.backendStatus, { state: 'ready', apiBaseUrl: 'http://127.0.0.1:5000' });
    expect(seen).toEqual([[{ state: 'ready', apiBaseUrl: 'http://127.0.0.1:5000' }]]);
    off();
    expect(listeners.get(CHANNELS.backendStatus)?.size).toBe(0);
    emit(CHANNELS.backendStatus, { state: 'failed', apiBaseUrl: null });
    expect(seen).toHaveLength(1);
  });
});
