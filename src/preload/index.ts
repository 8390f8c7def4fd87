// The preload bridge: exposes only the Springboard contract to the renderer, never ipcRenderer itself.
import { contextBridge } from 'electron';
import { CONTRACT_VERSION } from '../shared/index.ts';

contextBridge.exposeInMainWorld('springboard', Object.freeze({ contractVersion: CONTRACT_VERSION }));
