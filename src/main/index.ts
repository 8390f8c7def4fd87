// The Electron main process entry: creates the workbench window with the security settings of src/main/electron.
import { app } from 'electron';
import { createMainWindow, hardenApp } from './electron/window.ts';

hardenApp();
app.whenReady().then(() => {
  createMainWindow();
  app.on('activate', () => createMainWindow());
});
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
