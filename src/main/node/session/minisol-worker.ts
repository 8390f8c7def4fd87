// The minisol worker thread: boots MinisolSystem (machine + devices) off the UI's event loop and runs it in slices.
import { parentPort, workerData } from 'node:worker_threads';
import { MinisolSystem, type BootConfigInput } from '../../core/minisol/index.ts';
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

/** Runs ~10 ms of virtual time per slice, yielding between slices so pause requests get in. */
function slice(): void {
  if (!running) return;
  const outcome = system.runFor(0.01);
  if (outcome.state !== 'running') running = false;
  if (!running || performance.now() - lastStatus > 100) {
    lastStatus = performance.now();
    post(status());
  }
  if (running) setImmediate(slice);
  else post(status());
}

port.on('message', (m: MinisolToWorker) => {
  if (m.type === 'run' && !running && system.state === 'running') {
    running = true;
    setImmediate(slice);
  } else if (m.type === 'pause') {
    running = false;
  }
  post({ ...status(), running, ack: m.id } as MinisolFromWorker);
});

post(status());
