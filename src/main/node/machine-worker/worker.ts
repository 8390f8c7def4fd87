// The worker thread: owns one Machine and runs it in slices, answering requests between slices.
//
// A run goes slice by slice (about 20 ms of host time each) and yields to the event loop after
// every slice, so that pause, reads, writes and breakpoint changes are handled between
// instructions while the machine executes hundreds of millions of them.
import { parentPort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import {
  LinuxProcess,
  Machine,
  MachineError,
  linuxImageFromElf,
  loadElf,
  type MachineSnapshot,
} from '../../core/machine/index.ts';
import type { FromWorker, Registers, RequestOf, StoppedEvent, ToWorker, WorkerEvent, WorkerRequest, WorkerStatus } from './protocol.ts';

const port = parentPort;
if (port === null) throw new Error('machine-worker/worker.ts must run in a worker thread (use MachineWorkerClient)');

let machine: Machine | null = null;
let running = false;
let pauseRequested = false;
const snapshots = new Map<string, MachineSnapshot>();
let lastRate = { at: performance.now(), instructions: 0, perSecond: 0 };

function post(message: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(message, transfer);
}

function emit(event: WorkerEvent): void {
  post({ type: 'event', event });
}

function need(): Machine {
  if (machine === null) throw new MachineError('no-machine', 'the worker has no machine yet: send an init request first');
  return machine;
}

function totalInstructions(m: Machine): number {
  let n = 0;
  for (const c of m.cpus) n += c.instructions;
  return n;
}

function status(): WorkerStatus {
  const m = need();
  const now = performance.now();
  const instructions = totalInstructions(m);
  if (now - lastRate.at >= 200) {
    lastRate = { at: now, instructions, perSecond: ((instructions - lastRate.instructions) * 1000) / (now - lastRate.at) };
  }
  return {
    running,
    position: m.position,
    time: m.now(),
    instructions,
    instructionsPerSecond: lastRate.perSecond,
    engine: m.engineName,
    cpus: m.cpus.map((c) => ({ index: c.index, state: c.state, pc: c.pc >>> 0, npc: c.npc >>> 0, instructions: c.instructions, cycles: c.cycles })),
  };
}

async function init(req: RequestOf<'init'>['init']): Promise<WorkerStatus> {
  const m = new Machine(req.load === 'linux' ? { ...req.config, ramSize: 2 ** 32 } : req.config);
  if (req.setupModule !== undefined) {
    const url = req.setupModule.startsWith('file:') ? req.setupModule : pathToFileURL(req.setupModule).href;
    const mod = (await import(url)) as { default?: (machine: Machine, args: unknown) => void | Promise<void> };
    if (typeof mod.default !== 'function') throw new MachineError('bad-setup-module', `${req.setupModule} has no default export function (machine, args) => void`);
    await mod.default(m, req.setupArgs);
  }
  if (req.elf !== undefined) {
    if (req.load === 'linux') {
      new LinuxProcess(m, linuxImageFromElf(req.elf), {
        argv: req.argv ?? ['program'],
        envp: req.envp ?? [],
        ...(req.stdin ? { stdin: req.stdin } : {}),
        stdout: (bytes) => emit({ kind: 'output', fd: 1, bytes: bytes.slice() }),
        stderr: (bytes) => emit({ kind: 'output', fd: 2, bytes: bytes.slice() }),
      });
    } else {
      const { entry } = loadElf(m, req.elf);
      m.setupCpu(0, { pc: entry, psr: req.psr ?? 0x80 });
    }
  }
  machine = m;
  return status();
}

/** Runs until an event, `maxSteps`, or a pause request; yields to the event loop between slices. */
async function run(maxSteps: number): Promise<StoppedEvent> {
  const m = need();
  running = true;
  pauseRequested = false;
  let left = maxSteps;
  let slice = 100_000;
  let lastStatus = performance.now();
  try {
    for (;;) {
      const t0 = performance.now();
      const r = m.run({ maxSteps: Math.min(slice, left) });
      left -= r.steps;
      const dt = performance.now() - t0;
      // Aim for ~20 ms slices so that requests are answered promptly.
      if (dt < 10) slice = Math.min(slice * 2, 50_000_000);
      else if (dt > 40) slice = Math.max(1000, Math.floor(slice / 2));
      if (r.event !== null) return { kind: 'stopped', reason: 'event', event: r.event, status: stoppedStatus() };
      if (left <= 0) return { kind: 'stopped', reason: 'limit', event: null, status: stoppedStatus() };
      if (performance.now() - lastStatus > 100) {
        lastStatus = performance.now();
        emit({ kind: 'status', status: status() });
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (pauseRequested) return { kind: 'stopped', reason: 'paused', event: null, status: stoppedStatus() };
    }
  } finally {
    running = false;
  }
}

function stoppedStatus(): WorkerStatus {
  running = false;
  return status();
}

function registers(cpuIndex: number): Registers {
  const m = need();
  const cpu = m.cpuAt(cpuIndex);
  return {
    cpu: cpuIndex,
    pc: cpu.pc >>> 0,
    npc: cpu.npc >>> 0,
    psr: cpu.psr,
    wim: cpu.wim >>> 0,
    tbr: cpu.tbr >>> 0,
    y: cpu.y >>> 0,
    r: Array.from({ length: 32 }, (_, k) => cpu.get(k)),
  };
}

async function handle(req: WorkerRequest): Promise<unknown> {
  switch (req.type) {
    case 'init':
      return init(req.init);
    case 'run': {
      if (running) throw new MachineError('already-running', 'the machine is already running; pause it first');
      const done = run(req.maxSteps ?? Infinity);
      // The response comes at once; the end of the run is a `stopped` event.
      void done.then((e) => emit(e), (error: unknown) => emit({ kind: 'stopped', reason: 'event', event: { kind: 'stop', reason: String(error) }, status: status() }));
      return { ...status(), running: true };
    }
    case 'pause':
      pauseRequested = true;
      return status();
    case 'step': {
      if (running) throw new MachineError('already-running', 'cannot step while the machine runs; pause it first');
      const m = need();
      const r = m.run({ maxSteps: req.count ?? 1 });
      return { kind: 'stopped', reason: r.event ? 'event' : 'limit', event: r.event, status: status() } satisfies StoppedEvent;
    }
    case 'status':
      return status();
    case 'readMemory':
      return need().readMemory(req.addr, req.len);
    case 'writeMemory':
      need().writeMemory(req.addr, req.bytes);
      return null;
    case 'readRegisters':
      return registers(req.cpu);
    case 'writeRegister':
      need().setRegister(req.cpu, req.name, req.value);
      return null;
    case 'addBreakpoint':
      need().addBreakpoint(req.pc);
      return null;
    case 'removeBreakpoint':
      return need().removeBreakpoint(req.pc);
    case 'addWatchpoint':
      return need().addWatchpoint(req.addr, req.len, { read: req.read ?? false, write: req.write ?? true }).id;
    case 'removeWatchpoint':
      return need().removeWatchpoint(req.id);
    case 'interrupt':
      need().hostInterrupt(req.level, req.raise, req.cpu);
      return null;
    case 'setEngine':
      need().setEngine(req.engine);
      return null;
    case 'snapshot':
      if (running) throw new MachineError('already-running', 'pause the machine before taking a snapshot');
      snapshots.set(req.name, need().snapshot());
      return null;
    case 'restore': {
      if (running) throw new MachineError('already-running', 'pause the machine before restoring a snapshot');
      const snap = snapshots.get(req.name);
      if (snap === undefined) throw new MachineError('no-snapshot', `no snapshot named "${req.name}"`);
      need().restore(snap);
      return status();
    }
  }
}

port.on('message', (message: ToWorker) => {
  handle(message.request).then(
    (result) => {
      const transfer = result instanceof Uint8Array ? [result.buffer as ArrayBuffer] : [];
      post({ type: 'response', id: message.id, ok: true, result }, transfer);
    },
    (error: unknown) => {
      const e = error as { code?: unknown; message?: unknown };
      post({ type: 'response', id: message.id, ok: false, error: { code: typeof e.code === 'string' ? e.code : 'internal', message: String(e.message ?? error) } });
    },
  );
});
