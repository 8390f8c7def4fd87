// The machine port for minisol: MinisolSystem (the machine with minisol's devices) in a worker thread.
import { Worker } from 'node:worker_threads';
import { DEFAULT_CONFIG, WORKLOADS, type BootConfigInput, type WorkloadName } from '../../core/minisol/index.ts';
import {
  fromWireError, SpringboardError, type BootRequest, type InstrumentationState, type MachineState, type MetricInfo,
  type PanicReport, type SpliceLog, type WorkloadInfo, type WorkloadKnob,
} from '../../../shared/index.ts';
import type { MinisolFromWorker, MinisolToWorker } from './minisol-protocol.ts';
import type { InstrumentPort, LoadedImage, MachinePort, RawMachineStatus } from './ports.ts';
import { workerUrl } from '../worker-url.ts';
import { Listeners } from './listeners.ts';

const DESCRIPTIONS: Record<WorkloadName, string> = {
  proxy: 'Squid-like web proxies with a disk cache (the talk\'s file-truncation case).',
  mirror: 'Parallel mirror downloads over TCP with loss, reordering and resets (the talk\'s TCP cold paths).',
  readers: 'Processes reading files sequentially and at random (UFS readahead and the DNLC).',
  mixed: 'Forking, spinning, locking and sleeping processes (the scheduler and locks).',
};

/** Every numeric field of a workload's defaults is a knob; the proxy's truncate mode is a checkbox. */
function knobsOf(w: WorkloadName): WorkloadKnob[] {
  const defaults = DEFAULT_CONFIG[w] as unknown as Record<string, number | string>;
  const knobs: WorkloadKnob[] = [];
  for (const [name, value] of Object.entries(defaults)) {
    if (typeof value === 'number') knobs.push({ name, label: name, kind: 'integer', default: value, min: 0, description: `${w}.${name} (default ${value})` });
    else if (name === 'truncMode') knobs.push({ name: 'overwrite', label: 'overwrite (the fix)', kind: 'boolean', default: value === 'overwrite', description: 'reuse cache files instead of truncating them on every miss' });
  }
  return knobs;
}

export const MINISOL_WORKLOADS: readonly WorkloadInfo[] = WORKLOADS.map((w) => ({ name: w, description: DESCRIPTIONS[w], knobs: knobsOf(w) }));

export function isMinisolWorkload(name: string): name is WorkloadName {
  return (WORKLOADS as readonly string[]).includes(name);
}

export function minisolConfig(request: BootRequest): BootConfigInput {
  const w = request.workload.name;
  if (!isMinisolWorkload(w)) throw new Error(`no minisol workload "${w}"`);
  const sub: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(request.workload.knobs)) {
    if (k === 'overwrite' && w === 'proxy') sub.truncMode = v === true ? 'overwrite' : 'truncate';
    else if (typeof v === 'number') sub[k] = v;
  }
  return { cpus: request.cpus, workloads: [w], [w]: sub };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export function minisolMachine(): MachinePort {
  let worker: Worker | null = null;
  let state: MachineState = 'ready';
  let reason: string | null = null;
  let panic: PanicReport | null = null;
  let workload: BootRequest['workload'] | null = null;
  let last: Extract<MinisolFromWorker, { type: 'status' }> | null = null;
  let nsPerCycle = 1e9 / DEFAULT_CONFIG.cyclesPerSecond;
  let nextId = 1;
  const acks = new Map<number, () => void>();
  const replies = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  const statusListeners = new Listeners<RawMachineStatus>();
  const consoleListeners = new Listeners<string>();
  const sampleListeners = new Set<Parameters<InstrumentPort['onSamples']>[0]>();

  const raw = (): RawMachineStatus => ({
    state,
    reason,
    panic,
    workload,
    instructions: last?.instructions ?? 0,
    virtualTimeNs: Math.round((last?.cycles ?? 0) * nsPerCycle),
    cpus: (last?.cpus ?? []).map((c) => ({ id: c.id, pc: c.pc, state: c.state === 'error' ? 'halted' : c.state === 'running' && state === 'running' ? 'running' : 'idle' })),
  });

  function accept(m: Extract<MinisolFromWorker, { type: 'status' }>): void {
    last = m;
    if (m.state === 'panicked') {
      state = 'panicked';
      const p = m.panic;
      reason = p?.message ?? m.reason;
      panic = p === null ? null : { message: p.message, cpu: p.cpu, pc: p.trap?.pc ?? 0, function: null, backtrace: p.backtrace };
    } else if (m.state !== 'running') {
      state = 'halted';
      reason = m.reason;
    } else state = m.running ? 'running' : state === 'ready' ? 'paused' : state === 'running' ? 'paused' : state;
    statusListeners.emit(raw());
  }

  function send(type: 'run' | 'pause'): Promise<void> {
    const w = worker;
    if (w === null) return Promise.resolve();
    const id = nextId++;
    return new Promise((resolve) => {
      acks.set(id, resolve);
      w.postMessage({ type, id } satisfies MinisolToWorker);
    });
  }

  /** An instrument.* request to the worker; its reply resolves or rejects (with the wire error). */
  function ask<T>(message: DistributiveOmit<Extract<MinisolToWorker, { type: `instrument.${string}` }>, 'id'>): Promise<T> {
    const w = worker;
    if (w === null) return Promise.reject(new SpringboardError('machine-error', 'the machine has not been booted, or was shut down'));
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      replies.set(id, { resolve: resolve as (r: unknown) => void, reject });
      w.postMessage({ ...message, id } as MinisolToWorker);
    });
  }

  const instrument: InstrumentPort = {
    state: () => ask<InstrumentationState>({ type: 'instrument.state' }),
    enable: (request) => ask<MetricInfo>({ type: 'instrument.enable', request }),
    disable: (metric) => ask<InstrumentationState>({ type: 'instrument.disable', metric }),
    log: (since) => ask<SpliceLog>({ type: 'instrument.log', since }),
    onSamples(listener) {
      sampleListeners.add(listener);
      return () => void sampleListeners.delete(listener);
    },
  };

  return {
    workloads: MINISOL_WORKLOADS,
    instrument,
    boot(image: LoadedImage, request: BootRequest): Promise<void> {
      const config = minisolConfig(request);
      nsPerCycle = 1e9 / (config.cyclesPerSecond ?? DEFAULT_CONFIG.cyclesPerSecond);
      workload = request.workload;
      const w = new Worker(workerUrl(import.meta.url, './minisol-worker.ts', 'minisol-worker'), { workerData: { image: image.bytes, config } });
      worker = w;
      return new Promise<void>((resolve, reject) => {
        let booted = false;
        w.on('message', (m: MinisolFromWorker) => {
          if (m.type === 'console') consoleListeners.emit(m.text);
          else if (m.type === 'failed') reject(new Error(`minisol did not boot: ${m.message}`));
          else if (m.type === 'reply') {
            const r = replies.get(m.ack);
            replies.delete(m.ack);
            if (m.error !== undefined) r?.reject(fromWireError(m.error));
            else r?.resolve(m.result);
          } else if (m.type === 'samples') {
            for (const l of [...sampleListeners]) l(m.samples, m.traces, m.state);
          }
          else {
            if (!booted) {
              booted = true;
              state = 'paused';
              resolve();
            }
            accept(m);
            if (m.ack !== undefined) {
              acks.get(m.ack)?.();
              acks.delete(m.ack);
            }
          }
        });
        w.on('error', (error) => {
          if (!booted) reject(error);
          state = 'halted';
          reason = `the machine worker failed: ${error.message}`;
          for (const r of replies.values()) r.reject(new SpringboardError('machine-error', reason));
          replies.clear();
          statusListeners.emit(raw());
        });
      });
    },
    run: () => send('run'),
    pause: () => send('pause'),
    status: raw,
    onStatus: statusListeners.subscribe,
    onConsole: consoleListeners.subscribe,
    async dispose() {
      const w = worker;
      worker = null;
      for (const a of acks.values()) a();
      acks.clear();
      for (const r of replies.values()) r.reject(new SpringboardError('machine-error', 'the machine was shut down'));
      replies.clear();
      sampleListeners.clear();
      await w?.terminate();
    },
  };
}
