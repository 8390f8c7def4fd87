// The Electron main process entry: the Session behind IPC, the menu, and the hardened workbench window.
import { app } from 'electron';
import { createMainWindow, hardenApp } from './electron/window.ts';
import { startWorkbench } from './electron/workbench.ts';

hardenApp();
app.whenReady().then(() => {
  startWorkbench();
  createMainWindow();
  app.on('activate', () => createMainWindow());
});
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
