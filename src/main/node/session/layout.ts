// Lays out a whole call graph in a worker thread, so the renderer only draws it (preset positions).
import { Worker } from 'node:worker_threads';
import type { CallGraph, GraphPositions } from '../../../shared/index.ts';
import { workerUrl } from '../worker-url.ts';

export function layoutCallGraph(graph: CallGraph): Promise<GraphPositions> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl(import.meta.url, './layout-worker.ts', 'layout-worker'), { workerData: graph });
    worker.once('message', (positions: GraphPositions) => {
      resolve(positions);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`the layout worker exited with code ${code}`)));
  });
}
