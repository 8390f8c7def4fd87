// The contract test harness: one suite, run against the Session directly, over the WebSocket and over IPC.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  bindIpcMain, clientFromBridge, createIpcBridge, createSocketClient, directClient, encodeBase64,
  SpringboardError, type EventName, type EventOf, type IpcInvokeEventLike, type IpcMainLike, type IpcRendererLike,
  type SocketLike, type SpringboardClient,
} from '../../src/shared/index.ts';
import { startDaemon } from '../../src/main/node/daemon/index.ts';
import { Session, type EngineParts } from '../../src/main/node/session/index.ts';
import { ScriptedMachine } from '../support/scripted-machine.ts';

export { ScriptedMachine };

export const FIXTURE = join(import.meta.dirname, '../fixtures/elf/bin/tiny-v8.elf');
export const fixtureBytes = (): Uint8Array => new Uint8Array(readFileSync(FIXTURE));

export const timers = { setTimer: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimer: (h: unknown) => clearTimeout(h as NodeJS.Timeout) };

export const MISSING: EngineParts = { analysis: 'no analysis here', disassembly: 'no disassembler here', machine: 'no machine here' };

export interface Harness {
  readonly client: SpringboardClient;
  readonly session: Session;
  close(): Promise<void>;
}

export type Transport = (session: Session) => Promise<{ client: SpringboardClient; close(): Promise<void> }>;

export const transports: Record<string, Transport> = {
  direct: async (session) => ({ client: directClient(session), close: async () => {} }),
  websocket: async (session) => {
    const daemon = await startDaemon({ service: session, host: '127.0.0.1', port: 0, rendererDir: '/nonexistent' });
    const client = createSocketClient(() => new WebSocket(`ws://127.0.0.1:${daemon.port}/ws?token=${daemon.token}`) as unknown as SocketLike, timers, { reconnectMs: 0 });
    return { client, close: async () => { client.close(); await daemon.close(); } };
  },
  ipc: async (session) => {
    const pair = ipcPair('file:///app/out/renderer/index.html');
    const unbind = bindIpcMain(pair.main, session, () => [pair.target], (e) => e.senderFrame?.url === 'file:///app/out/renderer/index.html');
    return { client: clientFromBridge(createIpcBridge(pair.renderer)), close: async () => unbind() };
  },
};

/** An in-memory ipcMain/ipcRenderer pair; payloads are cloned as Electron's structured clone would. */
export function ipcPair(frameUrl: string) {
  const handlers = new Map<string, (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const main: IpcMainLike = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => void handlers.delete(channel),
  };
  const renderer: IpcRendererLike = {
    invoke: async (channel, ...args) => {
      const h = handlers.get(channel);
      if (!h) throw new Error(`No handler registered for '${channel}'`);
      return structuredClone(await h({ senderFrame: { url: frameUrl } }, ...args.map((a) => structuredClone(a))));
    },
    on: (channel, l) => {
      let set = listeners.get(channel);
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(l);
    },
    removeListener: (channel, l) => void listeners.get(channel)?.delete(l),
  };
  const target = {
    send: (channel: string, payload: unknown) => {
      for (const l of listeners.get(channel) ?? []) l({}, structuredClone(payload));
    },
    isDestroyed: () => false,
  };
  return { main, renderer, target, handlers };
}

export function nextEvent<E extends EventName>(client: SpringboardClient, event: E, timeoutMs = 5000): Promise<EventOf<E>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} event in ${timeoutMs} ms`)), timeoutMs);
    const off = client.on(event, (p) => {
      clearTimeout(timer);
      off();
      resolve(p);
    });
  });
}

export async function expectCode(promise: Promise<unknown>, code: string): Promise<SpringboardError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(SpringboardError);
  expect((error as SpringboardError).code).toBe(code);
  return error as SpringboardError;
}

/** The contract suite, the same for every transport. */
export function contractSuite(label: string, transport: Transport): void {
  describe(`contract over ${label}`, () => {
    async function harness(parts: EngineParts = MISSING, defaultImagePath: string | null = null): Promise<Harness> {
      const session = new Session({ parts, defaultImagePath });
      const t = await transport(session);
      return { client: t.client, session, close: async () => { await t.close(); await session.dispose(); } };
    }

    it('says hello with the contract version and why missing parts are missing', async () => {
      const h = await harness();
      const hello = await h.client.call('session.hello', {});
      expect(hello.contractVersion).toBeGreaterThan(0);
      expect(hello.capabilities.analysis).toEqual({ available: false, reason: 'no analysis here' });
      expect(hello.capabilities.machine.available).toBe(false);
      expect(hello.image).toBeNull();
      expect(hello.defaultImage).toBeNull();
      await h.close();
    });

    it('refuses image commands before an image is open, with a typed error', async () => {
      const h = await harness();
      const e = await expectCode(h.client.call('code.functions', {}), 'no-image');
      expect(e.message).toMatch(/open one first/);
      await h.close();
    });

    it('opens an ELF image, lists its functions and announces it', async () => {
      const h = await harness();
      const announced = nextEvent(h.client, 'image.changed');
      const summary = await h.client.call('image.open', { name: 'tiny-v8.elf', base64: encodeBase64(fixtureBytes()) });
      expect(summary.name).toBe('tiny-v8.elf');
      expect(summary.functionCount).toBeGreaterThan(0);
      expect((await announced)?.name).toBe('tiny-v8.elf');
      const fns = await h.client.call('code.functions', {});
      expect(fns.length).toBe(summary.functionCount);
      for (let i = 1; i < fns.length; i++) expect(fns[i]!.address).toBeGreaterThanOrEqual(fns[i - 1]!.address);
      expect(summary.modules.reduce((n, m) => n + m.functionCount, 0)).toBe(fns.length);
      const detail = await h.client.call('analysis.function', { id: fns[0]!.id });
      expect(detail.summary).toEqual(fns[0]);
      expect(detail.cfg).toBeNull();
      expect(detail.disassembly).toBeNull();
      await expectCode(h.client.call('analysis.function', { id: 'no_such_fn' }), 'no-such-function');
      await expectCode(h.client.call('analysis.callGraph', {}), 'not-available');
      await h.close();
    });

    it('refuses bytes that are not a SPARC ELF file', async () => {
      const h = await harness();
      await expectCode(h.client.call('image.open', { name: 'x', base64: encodeBase64(new Uint8Array([1, 2, 3, 4])) }), 'bad-image');
      await expectCode(h.client.call('image.open', { name: 'x', base64: '%%%' }), 'bad-request');
      await h.close();
    });

    it('refuses malformed requests and unknown commands', async () => {
      const h = await harness();
      const call = h.client.call as (name: string, request: unknown) => Promise<unknown>;
      await expectCode(call('analysis.function', { id: 3 }), 'bad-request');
      await expectCode(call('analysis.function', { id: 'f', extra: 1 }), 'bad-request');
      await expectCode(call('machine.boot', { workload: { name: 'readers', knobs: {} }, cpus: 0 }), 'bad-request');
      await expectCode(call('no.such', {}), 'unknown-command');
      await h.close();
    });

    it('reports a missing default image as not available', async () => {
      const h = await harness(MISSING, '/nonexistent/minisol.elf');
      expect((await h.client.call('session.hello', {})).defaultImage).toBeNull();
      await expectCode(h.client.call('image.openDefault', {}), 'not-available');
      await h.close();
    });

    it('machine: unavailable status, then a scripted machine boots, runs and streams status', async () => {
      const bare = await harness();
      expect((await bare.client.call('machine.status', {})).state).toBe('unavailable');
      await expectCode(bare.client.call('machine.run', {}), 'not-available');
      await bare.close();

      const machine = new ScriptedMachine();
      const h = await harness({ ...MISSING, machine: () => machine });
      expect((await h.client.call('session.hello', {})).workloads.map((w) => w.name)).toEqual(['readers']);
      await expectCode(h.client.call('machine.boot', { workload: { name: 'readers', knobs: {} }, cpus: 2 }), 'no-image');
      await h.client.call('image.open', { name: 'tiny-v8.elf', base64: encodeBase64(fixtureBytes()) });
      const fns = await h.client.call('code.functions', {});
      machine.pcs = [fns[0]!.address, 0];
      const consoleOut = nextEvent(h.client, 'machine.console');
      await expectCode(h.client.call('machine.boot', { workload: { name: 'writers', knobs: {} }, cpus: 2 }), 'bad-request');
      const booted = await h.client.call('machine.boot', { workload: { name: 'readers', knobs: { threads: 4 } }, cpus: 2 });
      expect(booted.cpus.map((c) => c.function)).toEqual([fns[0]!.name, null]);
      expect((await consoleOut).text).toContain('minisol');
      expect((await h.client.call('machine.console', {})).text).toContain('minisol booting');
      const streamed = nextEvent(h.client, 'machine.status');
      await h.client.call('machine.run', {});
      expect((await streamed).state).toBe('running');
      expect((await h.client.call('machine.pause', {})).state).toBe('paused');
      await h.close();
    });

    it('instrument: metrics are enabled, streamed, kept and disabled; bad requests and a missing machine are refused', async () => {
      const bare = await harness();
      const none = await bare.client.call('instrument.state', {});
      expect(none.available).toEqual({ available: false, reason: 'no machine here' });
      await expectCode(bare.client.call('instrument.enable', { metric: 'calls', focus: { code: 'f' } }), 'not-available');
      await bare.close();

      const machine = new ScriptedMachine();
      const h = await harness({ ...MISSING, machine: () => machine });
      await h.client.call('image.open', { name: 'tiny-v8.elf', base64: encodeBase64(fixtureBytes()) });
      expect((await h.client.call('instrument.state', {})).available.available).toBe(false);
      await expectCode(h.client.call('instrument.enable', { metric: 'calls', focus: { code: 'f' } }), 'machine-error');
      await h.client.call('machine.boot', { workload: { name: 'readers', knobs: {} }, cpus: 2 });
      const call = h.client.call as (name: string, request: unknown) => Promise<unknown>;
      await expectCode(call('instrument.enable', { metric: 'instructions', focus: { code: 'f' } }), 'bad-request');
      await expectCode(call('instrument.enable', { metric: 'calls', focus: { code: '' } }), 'bad-request');
      await expectCode(call('instrument.enable', { metric: 'calls', focus: { code: 'f', cpu: -1 } }), 'bad-request');
      await expectCode(call('instrument.enable', { metric: 'calls', focus: { code: 'f', thread: 1 } }), 'bad-request');
      await expectCode(call('instrument.enable', { metric: 'calls', focus: { code: 'f'.repeat(300) } }), 'bad-request');
      await expectCode(call('instrument.enable', { metric: 'calls', focus: { code: 'f' }, constructor: 1 }), 'bad-request');
      await expectCode(call('instrument.disable', { id: 1, toString: 2 }), 'bad-request');
      await expectCode(call('instrument.disable', { id: 1.5 }), 'bad-request');
      await expectCode(call('instrument.enable', { metric: 'assertions', focus: { code: 'f' } }), 'bad-request');
      await expectCode(call('instrument.enable', { metric: 'calls', focus: { code: 'f' }, predicate: { arg: 0, kind: 'ne', value: 0 } }), 'bad-request');
      await expectCode(call('instrument.enable', { metric: 'assertions', focus: { code: 'f' }, predicate: { arg: 6, kind: 'ne', value: 0 } }), 'bad-request');
      await expectCode(call('instrument.enable', { metric: 'assertions', focus: { code: 'f' }, predicate: { arg: 0, kind: 'is', value: 0 } }), 'bad-request');
      await expectCode(call('instrument.enable', { metric: 'assertions', focus: { code: 'f' }, predicate: { arg: 0, kind: 'ne', value: 2 ** 32 } }), 'bad-request');
      await expectCode(h.client.call('instrument.enable', { metric: 'calls', focus: { code: 'nosuch' } }), 'bad-request');

      const changed = nextEvent(h.client, 'instrument.changed');
      const info = await h.client.call('instrument.enable', { metric: 'calls', focus: { code: 'f', pid: 3 } });
      expect(info).toMatchObject({ id: 1, metric: 'calls', focus: { code: 'f', pid: 3 } });
      expect((await changed).metrics.map((m) => m.id)).toEqual([1]);
      const streamed = nextEvent(h.client, 'instrument.samples');
      machine.sample([{ id: 1, timeNs: 10, value: 5, rate: 500 }, { id: 9, timeNs: 10, value: 1, rate: 1 }]);
      expect(await streamed).toEqual([{ id: 1, timeNs: 10, value: 5, rate: 500 }, { id: 9, timeNs: 10, value: 1, rate: 1 }]);
      machine.sample([{ id: 1, timeNs: 20, value: 8, rate: 300 }]);
      const stream = await h.client.call('instrument.stream', { id: 1 });
      expect(stream.info.key).toBe(info.key);
      expect(stream.samples.map((x) => x.value)).toEqual([5, 8]);
      await expectCode(h.client.call('instrument.stream', { id: 9 }), 'bad-request');
      const log = await h.client.call('instrument.log', { since: 0 });
      expect(log.total).toBe(1);
      expect(log.entries[0]).toMatchObject({ op: 'install', detail: `installed ${info.key}` });
      await expectCode(call('instrument.log', { since: -1 }), 'bad-request');
      const traced = nextEvent(h.client, 'instrument.trace');
      const trace = await h.client.call('instrument.enable', { metric: 'trace', focus: { code: 'module:m' } });
      const record = { cpu: 1, timeNs: 30, function: 'f', pid: 4, args: [1, 2, 3, 4] };
      machine.sample([], [{ id: trace.id, records: [record], dropped: 2 }]);
      expect(await traced).toEqual([{ id: trace.id, records: [record], dropped: 2 }]);
      expect(await h.client.call('instrument.stream', { id: trace.id })).toMatchObject({ records: [record], dropped: 2 });
      await h.client.call('instrument.disable', { id: trace.id });
      const after = await h.client.call('instrument.disable', { id: 1 });
      expect(after.metrics).toEqual([]);
      await expectCode(h.client.call('instrument.stream', { id: 1 }), 'bad-request');
      await expectCode(h.client.call('instrument.disable', { id: 1 }), 'bad-request');
      await h.close();
    });
  });
}
