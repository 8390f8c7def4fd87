// Messages between the Session's minisol machine port and its worker thread.
import type { PanicReport as MinisolPanic } from '../../core/minisol/index.ts';
import type { EnableMetricRequest, InstrumentationState, MetricInfo, MetricSample, SpliceLog, TraceBatch, WireError } from '../../../shared/index.ts';

export type MinisolToWorker =
  | { readonly type: 'run'; readonly id: number }
  | { readonly type: 'pause'; readonly id: number }
  | { readonly type: 'instrument.state'; readonly id: number }
  | { readonly type: 'instrument.enable'; readonly id: number; readonly request: EnableMetricRequest }
  | { readonly type: 'instrument.disable'; readonly id: number; readonly metric: number }
  | { readonly type: 'instrument.log'; readonly id: number; readonly since: number };

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
  | { readonly type: 'failed'; readonly message: string }
  /** The answer to an instrument.* request: its result, or the error. */
  | { readonly type: 'reply'; readonly ack: number; readonly result?: MetricInfo | InstrumentationState | SpliceLog; readonly error?: WireError }
  /** Samples taken since the last batch, and the instrumentation's state when it changed on its own (reclamation). */
  | { readonly type: 'samples'; readonly samples: readonly MetricSample[]; readonly traces: readonly TraceBatch[]; readonly state: InstrumentationState | null };
