// Where a worker thread's script is: the .ts next to its caller when run from source, the emitted entry when bundled.
//
// From source (the CLI, the daemon, Vitest) the caller's import.meta.url ends in .ts and the worker
// is the sibling .ts file that Node's type stripping runs. In the Electron build electron-vite emits
// every worker as an extra main entry `out/main/<entry>.js` (electron.vite.config.ts), and keeps
// shared chunks flat in out/main, so the caller — an entry or a chunk — sits beside it.

/** Worker entries of the Electron main build: entry name → source path (relative to the repository). */
export const WORKER_ENTRIES = {
  'machine-worker': 'src/main/node/machine-worker/worker.ts',
  'minisol-worker': 'src/main/node/session/minisol-worker.ts',
  'layout-worker': 'src/main/node/session/layout-worker.ts',
} as const;

export type WorkerEntry = keyof typeof WORKER_ENTRIES;

/**
 * The URL to hand to `new Worker(…)`. `callerUrl` is the caller's `import.meta.url`; `source` is the
 * worker's path relative to the caller (`./layout-worker.ts`).
 */
export function workerUrl(callerUrl: string, source: string, entry: WorkerEntry): URL {
  return new URL(callerUrl.endsWith('.ts') ? source : `./${entry}.js`, callerUrl);
}
