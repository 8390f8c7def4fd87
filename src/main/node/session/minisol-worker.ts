// The minisol worker thread: boots MinisolSystem (machine + devices) off the UI's event loop, runs it in
// slices, and splices metrics into it between slices (the kernel never pauses for an install).
import { parentPort, workerData } from 'node:worker_threads';
import { MinisolSystem, type BootConfigInput } from '../../core/minisol/index.ts';
import { SpringboardError, toWireError, type InstrumentationState, type MetricSample, type TraceBatch } from '../../../shared/index.ts';
import { instrumentWireError, MinisolInstrumentation, SAMPLES_PER_SECOND } from './minisol-instrument.ts';
import type { MinisolFromWorker, MinisolToWorker } from './minisol-protocol.ts';

const port = parentPort!;
const { image, config } = workerData as { image: Uint8Array; config: BootConfigInput };
const post = (m: MinisolFromWorker): void => port.postMessage(m);

let system: MinisolSystem;
try {
  system = MinisolSystem.boot(image, config, { onConsole: (line) => post({ type: 'console', text: line + '\n' }) });
} catch (error) {
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exit(0);
}

let running = false;
let lastStatus = 0;
/** Created on the first metric: the analysis of the kernel is not needed before. */
let instrumentation: MinisolInstrumentation | null = null;
/** Samples and trace records not yet sent. */
let pendingSamples: MetricSample[] = [];
let pendingTraces: TraceBatch[] = [];
/** The instrumentation changed on its own (patches reclaimed, the kernel stopped): send its state, read when sent. */
let stateChanged = false;

function status(): MinisolFromWorker {
  return {
    type: 'status',
    running,
    state: system.state,
    reason: system.stopReason,
    instructions: system.instructions,
    cycles: system.now,
    cpus: system.machine.cpus.map((c, id) => ({ id, pc: c.pc >>> 0, state: c.state })),
    panic: system.state === 'panicked' ? system.panic() : null,
  };
}

function availability(): InstrumentationState['available'] {
  if (system.state !== 'running') return { available: false, reason: `the kernel has stopped (${system.state}${system.stopReason !== null ? `: ${system.stopReason}` : ''}); boot it again to measure` };
  return { available: true };
}

function instrumentState(): InstrumentationState {
  return instrumentation?.state(availability()) ?? { available: availability(), intervalNs: Math.round(1e9 / SAMPLES_PER_SECOND), metrics: [], splices: 0, retiredPatches: 0 };
}

/** Runs ~10 ms of virtual time, stopping at every sample that falls due; samples go out with the status, a few times a second. */
function slice(): void {
  if (!running) return;
  const end = system.now + Math.round(0.01 * system.config.cyclesPerSecond);
  while (system.state === 'running' && system.now < end) {
    const ins = instrumentation;
    system.runUntil(ins === null ? end : Math.min(end, ins.due));
    if (ins !== null && system.now >= ins.due) {
      pendingSamples.push(...ins.sample());
      pendingTraces.push(...ins.traces());
    }
  }
  if (instrumentation !== null) {
    const before = instrumentation.retiredPatches;
    instrumentation.reclaim();
    if (instrumentation.retiredPatches !== before) stateChanged = true;
  }
  if (system.state !== 'running') {
    // The kernel halted or panicked: metrics can no longer be enabled; say so with the next batch.
    running = false;
    stateChanged = true;
  }
  if (!running || performance.now() - lastStatus > 100) {
    lastStatus = performance.now();
    flush();
    post(status());
  }
  if (running) setImmediate(slice);
  else post(status());
}

function flush(): void {
  if (pendingSamples.length === 0 && pendingTraces.length === 0 && !stateChanged) return;
  // The state is read now, not when it changed: a metric enabled or disabled since must not come back.
  post({ type: 'samples', samples: pendingSamples, traces: pendingTraces, state: stateChanged ? instrumentState() : null });
  pendingSamples = [];
  pendingTraces = [];
  stateChanged = false;
}

port.on('message', (m: MinisolToWorker) => {
  if (m.type === 'run' || m.type === 'pause') {
    if (m.type === 'run' && !running && system.state === 'running') {
      running = true;
      setImmediate(slice);
    } else if (m.type === 'pause') {
      running = false;
    }
    post({ ...status(), running, ack: m.id } as MinisolFromWorker);
    return;
  }
  // instrument.*: between slices, so no CPU is mid-instruction; the kernel itself is not paused.
  const started = performance.now();
  try {
    if (m.type === 'instrument.state') {
      post({ type: 'reply', ack: m.id, result: instrumentState() });
      return;
    }
    if (m.type === 'instrument.log') {
      post({ type: 'reply', ack: m.id, result: instrumentation?.log(m.since) ?? { total: 0, from: 0, entries: [] } });
      return;
    }
    if (m.type === 'instrument.enable') {
      // Removing stays possible after a panic or a halt (the list empties); installing does not.
      const available = availability();
      if (!available.available) throw new SpringboardError('machine-error', available.reason);
      instrumentation ??= new MinisolInstrumentation(system);
      post({ type: 'reply', ack: m.id, result: instrumentation.enable(m.request, started) });
    } else {
      if (instrumentation === null) throw new SpringboardError('bad-request', `no enabled metric ${m.metric}`);
      instrumentation.disable(m.metric);
      instrumentation.reclaim();
      post({ type: 'reply', ack: m.id, result: instrumentState() });
    }
  } catch (error) {
    post({ type: 'reply', ack: m.id, error: error instanceof SpringboardError ? toWireError(error) : instrumentWireError(error) });
  }
});

post(status());
