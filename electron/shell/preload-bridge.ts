// Builds window.ybjs from the few ipcRenderer calls it needs. The renderer gets plain functions;
// neither ipcRenderer nor an IpcRendererEvent ever crosses the context bridge (checklist #20).
import { type BackendStatusView, CHANNELS, type ShellBridge } from './bridge-contract';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createBridge(ipc: IpcRendererLike): ShellBridge {
  const bridge: ShellBridge = {
    getConnection: () => ipc.invoke(CHANNELS.connection) as ReturnType<ShellBridge['getConnection']>,
    onBackendStatus: (listener: (status: BackendStatusView) => void) => {
      if (typeof listener !== 'function') throw new TypeError('onBackendStatus: listener must be a function');
      const wrapped = (_event: unknown, status: unknown): void => listener(status as BackendStatusView);
      ipc.on(CHANNELS.backendStatus, wrapped);
      return () => { ipc.removeListener(CHANNELS.backendStatus, wrapped); };
    },
    print: (request) => ipc.invoke(CHANNELS.print, request) as ReturnType<ShellBridge['print']>,
    saveFile: (request) => ipc.invoke(CHANNELS.saveFile, request) as ReturnType<ShellBridge['saveFile']>,
  };
  return Object.freeze(bridge);
}
