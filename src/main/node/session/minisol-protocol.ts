// Messages between the Session's minisol machine port and its worker thread.
import type { PanicReport as MinisolPanic } from '../../core/minisol/index.ts';

export type MinisolToWorker = { readonly type: 'run' | 'pause'; readonly id: number };

export type MinisolFromWorker =
  | {
      readonly type: 'status';
      readonly running: boolean;
      readonly state: 'running' | 'halted' | 'panicked' | 'error';
      readonly reason: string | null;
      readonly instructions: number;
      readonly cycles: number;
      readonly cpus: readonly { readonly id: number; readonly pc: number; readonly state: 'running' | 'stopped' | 'error' }[];
      readonly panic: MinisolPanic | null;
      /** The id of the request this status answers. */
      readonly ack?: number;
    }
  | { readonly type: 'console'; readonly text: string }
  | { readonly type: 'failed'; readonly message: string };
