// Sandboxed preload (bundled to preload.cjs; a sandboxed preload may require only 'electron').
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './preload-bridge';

contextBridge.exposeInMainWorld('ybjs', createBridge(ipcRenderer));
