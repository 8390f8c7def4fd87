// Lays out a whole call graph in a worker thread, so the renderer only draws it (preset positions); caches layouts on disk.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CallGraph, GraphPositions } from '../../../shared/index.ts';
import { workerUrl } from '../worker-url.ts';

export function layoutCallGraph(graph: CallGraph): Promise<GraphPositions> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl(import.meta.url, './layout-worker.ts', 'layout-worker'), { workerData: graph });
    // A layout alone (e.g. the daemon preparing the default image) does not keep the process alive.
    worker.unref();
    worker.once('message', (positions: GraphPositions) => {
      resolve(positions);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`the layout worker exited with code ${code}`)));
  });
}

/** Bump when layout-worker.ts lays out differently, so old cached layouts are not reused. */
const LAYOUT_VERSION = 1;

/** Where layouts are cached: $SPRINGBOARD_CACHE_DIR, else $XDG_CACHE_HOME/springboard, else ~/.cache/springboard; then /layouts. */
export function defaultLayoutCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.SPRINGBOARD_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'springboard');
  return join(base, 'layouts');
}

/**
 * The cache key of a graph: a hash of what the layout depends on (nodes, their modules, edges), so
 * a layout is reused for the same image and analysis, and recomputed when either changes.
 */
export function layoutKey(graph: CallGraph): string {
  const h = createHash('sha256');
  h.update(`v${LAYOUT_VERSION}\n`);
  for (const n of graph.nodes) h.update(`${n.id}\u0000${n.module}\n`);
  for (const e of graph.edges) h.update(`${e.from}\u0000${e.to}\n`);
  return h.digest('hex');
}

function isLayoutOf(value: unknown, graph: CallGraph): value is GraphPositions {
  if (typeof value !== 'object' || value === null) return false;
  const positions = value as Record<string, { x?: unknown; y?: unknown } | undefined>;
  return graph.nodes.every((n) => {
    const p = positions[n.id];
    return p !== undefined && typeof p.x === 'number' && typeof p.y === 'number';
  });
}

/**
 * `layout` with a disk cache: the whole-kernel layout (seconds of fcose) is computed once per
 * graph and read back in milliseconds when the same image is opened again, in this or a later
 * session. A cache that cannot be read or written only costs the recomputation.
 */
export function cachedLayout(
  layout: (graph: CallGraph) => Promise<GraphPositions>,
  dir: string = defaultLayoutCacheDir(),
): (graph: CallGraph) => Promise<GraphPositions> {
  // A layout still being computed is shared: the daemon prepares the default image's layout at
  // start, and opening that image meanwhile waits for the same worker instead of starting another.
  const pending = new Map<string, Promise<GraphPositions>>();
  return (graph) => {
    const key = layoutKey(graph);
    let p = pending.get(key);
    if (p === undefined) {
      p = readOrLayOut(layout, join(dir, `${key}.json`), dir, graph).finally(() => pending.delete(key));
      pending.set(key, p);
    }
    return p;
  };
}

async function readOrLayOut(layout: (graph: CallGraph) => Promise<GraphPositions>, file: string, dir: string, graph: CallGraph): Promise<GraphPositions> {
  try {
    const cached: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (isLayoutOf(cached, graph)) return cached;
  } catch {
    // Not cached yet (or unreadable): lay it out.
  }
  const positions = await layout(graph);
  try {
    await mkdir(dir, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    await writeFile(partial, JSON.stringify(positions));
    await rename(partial, file);
  } catch {
    // A read-only or full cache directory: the layout still serves this session.
  }
  return positions;
}
