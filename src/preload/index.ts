// The preload bridge: exposes only the contract's channels to the renderer, never ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron';
import { createIpcBridge } from '../shared/index.ts';

contextBridge.exposeInMainWorld('springboard', Object.freeze(createIpcBridge(ipcRenderer)));
