// The renderer's client of the contract: the preload bridge in Electron, the daemon's WebSocket in a browser.
import {
  clientFromBridge, createSocketClient, type ConnectionState, type SocketLike, type SpringboardBridge,
  type SpringboardClient,
} from '../../shared/index.ts';

declare global {
  interface Window {
    /** Present in the Electron shell (the preload bridge); absent in a browser. */
    readonly springboard?: SpringboardBridge;
  }
}

export interface WorkbenchClient extends SpringboardClient {
  readonly transport: 'ipc' | 'websocket';
  readonly state: ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
}

export function connect(): WorkbenchClient {
  const bridge = window.springboard;
  if (bridge) {
    const client = clientFromBridge(bridge);
    return { ...client, transport: 'ipc', state: 'open', onState: () => () => undefined };
  }
  // The daemon set an HttpOnly cookie with its token when the page was opened; the browser sends
  // it with the upgrade request, and the daemon checks it together with our Origin.
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = createSocketClient(
    () => new WebSocket(`${scheme}//${location.host}/ws`) as unknown as SocketLike,
    { setTimer: (fn, ms) => window.setTimeout(fn, ms), clearTimer: (h) => window.clearTimeout(h as number) },
    { reconnectMs: 1500 },
  );
  return {
    transport: 'websocket',
    get state() {
      return socket.state;
    },
    call: (name, request) => socket.call(name, request),
    on: (event, listener) => socket.on(event, listener),
    onState: (listener) => socket.onState(listener),
  };
}
