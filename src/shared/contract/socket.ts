// The contract over a WebSocket: the message shapes, and the client (browser WebSocket or `ws`) with reconnect.
import {
  isEventName, type CommandName, type EventListener, type EventName, type RequestOf, type ResponseOf,
  type SpringboardClient,
} from './contract.ts';
import { unwrap, type Envelope } from './envelope.ts';
import { SpringboardError } from './errors.ts';

export type ClientMessage = { readonly type: 'call'; readonly id: number; readonly name: string; readonly request: unknown };
export type ServerMessage =
  | { readonly type: 'reply'; readonly id: number; readonly envelope: Envelope }
  | { readonly type: 'event'; readonly name: EventName; readonly payload: unknown };

/** Parses a client message; null when it is not one. */
export function parseClientMessage(text: string): ClientMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const m = value as Record<string, unknown>;
  if (m.type !== 'call' || typeof m.id !== 'number' || !Number.isSafeInteger(m.id) || typeof m.name !== 'string') return null;
  return { type: 'call', id: m.id, name: m.name, request: m.request };
}

/** The part of a WebSocket the client uses: the browser's and the `ws` package's both fit. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface SocketClient extends SpringboardClient {
  readonly state: ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
  /** Stops reconnecting and closes the socket. */
  close(): void;
}

export interface SocketClientOptions {
  /** Delay before reconnecting after a close; 0 disables reconnecting. */
  readonly reconnectMs?: number;
  /** Calls made while connecting wait this long for the socket, then fail as `disconnected`. */
  readonly connectTimeoutMs?: number;
}

/** Timers come from the host (the shared layer has neither the DOM's nor Node's). */
export interface Timers {
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export function createSocketClient(open: () => SocketLike, timers: Timers, options: SocketClientOptions = {}): SocketClient {
  const reconnectMs = options.reconnectMs ?? 1000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const setTimer = (fn: () => void, ms: number): unknown => timers.setTimer(fn, ms);
  const clearTimer = (handle: unknown): void => timers.clearTimer(handle);
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const stateListeners = new Set<(s: ConnectionState) => void>();
  let waiting: (() => void)[] = [];
  let state: ConnectionState = 'connecting';
  let socket: SocketLike | null = null;
  let nextId = 1;
  let stopped = false;

  function setState(next: ConnectionState): void {
    if (state === next) return;
    state = next;
    for (const l of stateListeners) l(next);
  }

  function connect(): void {
    setState('connecting');
    let s: SocketLike;
    try {
      s = open();
    } catch {
      closed();
      return;
    }
    socket = s;
    s.onopen = () => {
      setState('open');
      const w = waiting;
      waiting = [];
      for (const fn of w) fn();
    };
    s.onmessage = (event) => receive(typeof event.data === 'string' ? event.data : String(event.data));
    s.onerror = () => undefined;
    s.onclose = () => {
      if (socket === s) closed();
    };
  }

  function closed(): void {
    socket = null;
    for (const [, p] of pending) p.reject(new SpringboardError('disconnected', 'the connection to the Springboard daemon was lost'));
    pending.clear();
    const w = waiting;
    waiting = [];
    setState('closed');
    for (const fn of w) fn();
    if (!stopped && reconnectMs > 0) setTimer(() => !stopped && connect(), reconnectMs);
  }

  function receive(text: string): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    if (message.type === 'reply') {
      const p = pending.get(message.id);
      if (!p) return;
      pending.delete(message.id);
      try {
        p.resolve(unwrap(message.envelope));
      } catch (error) {
        p.reject(error);
      }
    } else if (message.type === 'event' && isEventName(message.name)) {
      for (const l of listeners.get(message.name) ?? []) l(message.payload);
    }
  }

  function whenOpen(): Promise<void> {
    if (state === 'open') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimer(() => {
        waiting = waiting.filter((fn) => fn !== done);
        reject(new SpringboardError('disconnected', 'cannot reach the Springboard daemon'));
      }, connectTimeoutMs);
      const done = (): void => {
        clearTimer(timer);
        if (state === 'open') resolve();
        else reject(new SpringboardError('disconnected', 'cannot reach the Springboard daemon'));
      };
      waiting.push(done);
    });
  }

  connect();

  return {
    get state() {
      return state;
    },
    async call<N extends CommandName>(name: N, request: RequestOf<N>): Promise<ResponseOf<N>> {
      if (state !== 'open') await whenOpen();
      const s = socket;
      if (s === null) throw new SpringboardError('disconnected', 'the connection to the Springboard daemon was lost');
      const id = nextId++;
      const message: ClientMessage = { type: 'call', id, name, request };
      return new Promise<ResponseOf<N>>((resolve, reject) => {
        pending.set(id, { resolve: (v) => resolve(v as ResponseOf<N>), reject });
        s.send(JSON.stringify(message));
      });
    },
    on<E extends EventName>(event: E, listener: EventListener<E>) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => void set.delete(l);
    },
    onState(listener) {
      stateListeners.add(listener);
      return () => void stateListeners.delete(listener);
    },
    close() {
      stopped = true;
      socket?.close();
    },
  };
}
