// The desktop workbench: one Session behind Electron IPC (sender-checked), and the application menu.
import { app, BrowserWindow, dialog, ipcMain, Menu, type MenuItemConstructorOptions } from 'electron';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bindIpcMain, SpringboardError, type ViewName } from '../../shared/index.ts';
import { cachedLayout, engineParts, layoutCallGraph, Session } from '../node/session/index.ts';
import { isOwnRendererUrl } from './sender.ts';

export const RENDERER_INDEX = join(import.meta.dirname, '../renderer/index.html');

export function startWorkbench(): Session {
  const session = new Session({ parts: engineParts(), defaultImagePath: join(app.getAppPath(), 'guest', 'minisol', 'minisol.elf'), layout: cachedLayout(layoutCallGraph, join(app.getPath('userData'), 'layouts')) });
  const rendererUrl = pathToFileURL(RENDERER_INDEX).href;
  bindIpcMain(
    ipcMain,
    session,
    () => BrowserWindow.getAllWindows().map((w) => w.webContents),
    (event) => isOwnRendererUrl(event.senderFrame?.url, rendererUrl, process.env.ELECTRON_RENDERER_URL),
  );
  Menu.setApplicationMenu(buildMenu(session));
  app.on('before-quit', () => void session.dispose());
  void session.prepareDefaultImage();
  return session;
}

function buildMenu(session: Session): Menu {
  const show = (view: ViewName) => () => session.emit('workbench.show', { view });
  const report = (error: unknown): void => {
    const message = error instanceof SpringboardError || error instanceof Error ? error.message : String(error);
    dialog.showErrorBox('Springboard', message);
  };
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'Open Kernel Image…',
          accelerator: 'CmdOrCtrl+O',
          click: async () => {
            const choice = await dialog.showOpenDialog({
              title: 'Open a SPARC kernel image',
              properties: ['openFile'],
              filters: [{ name: 'ELF images', extensions: ['elf', 'o', '*'] }],
            });
            const file = choice.filePaths[0];
            if (choice.canceled || file === undefined) return;
            try {
              await session.openImage(basename(file), new Uint8Array(await readFile(file)));
              show('code')();
            } catch (error) {
              report(error);
            }
          },
        },
        {
          label: 'Open minisol',
          accelerator: 'CmdOrCtrl+Shift+O',
          click: () => void Promise.resolve(session.handlers['image.openDefault']({})).then(show('machine'), report),
        },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { label: 'Machine', accelerator: 'CmdOrCtrl+1', click: show('machine') },
        { label: 'Code', accelerator: 'CmdOrCtrl+2', click: show('code') },
        { label: 'Call Graph', accelerator: 'CmdOrCtrl+3', click: show('callgraph') },
        { label: 'Function', accelerator: 'CmdOrCtrl+4', click: show('function') },
        { label: 'Metrics', accelerator: 'CmdOrCtrl+5', click: show('metrics') },
        { type: 'separator' },
        { role: 'reload' },
        { role: 'toggleDevTools' },
        { role: 'togglefullscreen' },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
