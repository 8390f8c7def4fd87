// The contract over Electron IPC, written against structural types so tests run it without Electron.
//
// Main: one `handle` per command channel, each checking its sender; events are sent to the window.
// Preload: a bridge (`window.springboard`) that can reach only contract channels.
// Renderer: `clientFromBridge` turns the bridge back into a SpringboardClient with typed errors.
import {
  COMMAND_NAMES, CONTRACT_VERSION, EVENT_NAMES, isCommandName, isEventName, type CommandName,
  type ContractService, type EventListener, type EventName, type RequestOf, type ResponseOf,
  type SpringboardClient,
} from './contract.ts';
import { dispatch, unwrap, type Envelope } from './envelope.ts';
import { SpringboardError } from './errors.ts';

export const ipcCommandChannel = (name: CommandName): string => `springboard:command:${name}`;
export const ipcEventChannel = (name: EventName): string => `springboard:event:${name}`;

/** What a handler learns about the caller (Electron's IpcMainInvokeEvent). */
export interface IpcInvokeEventLike {
  readonly senderFrame: { readonly url: string } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** Where events go (Electron's WebContents). */
export interface IpcTargetLike {
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
}

/**
 * Serves the contract on ipcMain. `isTrusted` sees each call's event and must accept only our own
 * renderer; refused calls get `unauthorized`. Returns a function that removes the handlers.
 */
export function bindIpcMain(
  ipcMain: IpcMainLike,
  service: ContractService,
  targets: () => readonly IpcTargetLike[],
  isTrusted: (event: IpcInvokeEventLike) => boolean,
): () => void {
  for (const name of COMMAND_NAMES) {
    ipcMain.handle(ipcCommandChannel(name), async (event, request): Promise<Envelope> => {
      if (!isTrusted(event)) {
        return { ok: false, error: { code: 'unauthorized', message: `IPC call ${name} from an untrusted frame was refused` } };
      }
      return dispatch(service, name, request);
    });
  }
  const unsubscribe = EVENT_NAMES.map((name) =>
    service.on(name, (payload) => {
      for (const t of targets()) if (!t.isDestroyed()) t.send(ipcEventChannel(name), payload);
    }),
  );
  return () => {
    for (const name of COMMAND_NAMES) ipcMain.removeHandler(ipcCommandChannel(name));
    for (const u of unsubscribe) u();
  };
}

/** What the preload exposes as `window.springboard`: plain functions, envelopes instead of exceptions. */
export interface SpringboardBridge {
  readonly contractVersion: number;
  invoke(name: string, request: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

export function createIpcBridge(ipcRenderer: IpcRendererLike): SpringboardBridge {
  return {
    contractVersion: CONTRACT_VERSION,
    invoke(name, request) {
      if (!isCommandName(name)) {
        return Promise.resolve({ ok: false, error: { code: 'unknown-command', message: `no command "${name}" in the contract` } });
      }
      return ipcRenderer.invoke(ipcCommandChannel(name), request);
    },
    on(event, listener) {
      if (!isEventName(event)) throw new SpringboardError('bad-request', `no event "${event}" in the contract`);
      const channel = ipcEventChannel(event);
      const wrapped = (_e: unknown, payload: unknown): void => listener(payload);
      ipcRenderer.on(channel, wrapped);
      return () => void ipcRenderer.removeListener(channel, wrapped);
    },
  };
}

export function clientFromBridge(bridge: SpringboardBridge): SpringboardClient {
  return {
    async call<N extends CommandName>(name: N, request: RequestOf<N>): Promise<ResponseOf<N>> {
      return unwrap(await bridge.invoke(name, request)) as ResponseOf<N>;
    },
    on<E extends EventName>(event: E, listener: EventListener<E>) {
      return bridge.on(event, listener as (payload: unknown) => void);
    },
  };
}
