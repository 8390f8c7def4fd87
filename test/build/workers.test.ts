// The Electron build's worker threads: each emitted out/main/<entry>.js runs under plain Node and answers one real message.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKER_ENTRIES, workerUrl, type WorkerEntry } from '../../src/main/node/worker-url.ts';
import type { CallGraph } from '../../src/shared/index.ts';
import type { FromWorker, WorkerRequest } from '../../src/main/node/machine-worker/protocol.ts';
import type { MinisolFromWorker } from '../../src/main/node/session/minisol-protocol.ts';

const ROOT = join(import.meta.dirname, '../..');
// A build of its own (about 2 s), inside the repository so the bundle's bare imports (cytoscape)
// resolve from node_modules, and apart from out/ so a concurrent `npm run test:e2e` is not disturbed.
const OUT = join(ROOT, 'test-results', 'workers-build');
const MAIN = join(OUT, 'main');

/** The first message of a worker that `start` talks to; the worker is terminated afterwards. */
function firstAnswer<T>(worker: Worker, start: (w: Worker) => void, accept: (m: T) => boolean = () => true): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the worker did not answer in 60 s')), 60_000);
    worker.on('message', (m: T) => {
      if (!accept(m)) return;
      clearTimeout(timer);
      resolve(m);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the worker exited with code ${code}`)));
    start(worker);
  }).finally(() => void worker.terminate());
}

describe('the Electron main build emits runnable worker threads', () => {
  beforeAll(() => {
    rmSync(OUT, { recursive: true, force: true });
    execFileSync(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', OUT, '--logLevel', 'warn'], { cwd: ROOT, stdio: 'pipe' });
  });
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

  it('emits every worker entry beside index.js, and workerUrl finds it from the bundle', () => {
    const bundle = pathToFileURL(join(MAIN, 'index.js')).href;
    for (const entry of Object.keys(WORKER_ENTRIES) as WorkerEntry[]) {
      const url = workerUrl(bundle, './unused.ts', entry);
      expect(existsSync(url), `${url.href}`).toBe(true);
    }
    // The callers in the bundle go through workerUrl with their own import.meta.url.
    const index = readFileSync(join(MAIN, 'index.js'), 'utf8');
    expect(index).not.toMatch(/new Worker\(new URL\(/);
    for (const entry of Object.keys(WORKER_ENTRIES)) expect(index).toContain(`"${entry}"`);
  });

  it('from source, workerUrl is the .ts next to the caller', () => {
    const caller = pathToFileURL(join(ROOT, 'src/main/node/session/layout.ts')).href;
    expect(workerUrl(caller, './layout-worker.ts', 'layout-worker').href).toBe(pathToFileURL(join(ROOT, WORKER_ENTRIES['layout-worker'])).href);
  });

  it('layout-worker.js lays out a tiny graph', async () => {
    const graph: CallGraph = {
      nodes: [
        { id: 'a', name: 'a', module: 'm', address: 0x1000, size: 16 },
        { id: 'b', name: 'b', module: 'm', address: 0x1010, size: 16 },
        { id: 'c', name: 'c', module: 'n', address: 0x1020, size: 16 },
      ],
      edges: [{ from: 'a', to: 'b', sites: 1 }, { from: 'b', to: 'c', sites: 1 }],
    };
    const positions = await firstAnswer<Record<string, { x: number; y: number }>>(new Worker(join(MAIN, 'layout-worker.js'), { workerData: graph }), () => {});
    expect(Object.keys(positions).sort()).toEqual(['a', 'b', 'c']);
    for (const p of Object.values(positions)) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
  });

  it('machine-worker.js inits a machine and steps it', async () => {
    const w = new Worker(join(MAIN, 'machine-worker.js'));
    const answers: FromWorker[] = [];
    const send = (id: number, request: WorkerRequest) => w.postMessage({ id, request });
    const stepped = await firstAnswer<FromWorker>(
      w,
      () => send(1, { type: 'init', init: { config: { ramSize: 1 << 16 } } }),
      (m) => {
        if (m.type === 'event') return false;
        answers.push(m);
        // Memory is zero: `unimp 0` at pc 0 traps, which still counts as an answered step.
        if (m.id === 1) send(2, { type: 'step', count: 1 });
        return m.id === 2;
      },
    );
    expect(answers[0]).toMatchObject({ id: 1, ok: true });
    expect(stepped.type).toBe('response');
    if (stepped.type === 'response') expect(stepped.id).toBe(2);
  });

  it('minisol-worker.js boots the minisol image', async () => {
    const image = new Uint8Array(readFileSync(join(ROOT, 'guest/minisol/minisol.elf')));
    const first = await firstAnswer<MinisolFromWorker>(
      new Worker(join(MAIN, 'minisol-worker.js'), { workerData: { image, config: { cpus: 1, workloads: ['proxy'] } } }),
      () => {},
      (m) => m.type !== 'console',
    );
    expect(first.type).toBe('status');
  });
});
