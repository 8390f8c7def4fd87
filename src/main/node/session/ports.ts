// What the Session needs from the engine parts, so it works with whichever of them this build has.
import type { ElfFile } from '../../core/elf/index.ts';
import type {
  BootRequest, CallGraph, CpuStatus, DisassemblyLine, EnableMetricRequest, FunctionDetail, FunctionSummary, InstrumentationState,
  MachineStatus, MetricInfo, MetricSample, SpliceLog, TraceBatch, WorkloadInfo,
} from '../../../shared/index.ts';

/** A kernel image the Session has opened. */
export interface LoadedImage {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly elf: ElfFile;
  /** Functions sorted by address. */
  readonly functions: readonly FunctionSummary[];
}

/** The analysis of one image (src/main/core/analysis behind an adapter). */
export interface AnalysedImage {
  callGraph(): CallGraph;
  /** The CFG of a function by id (FunctionSummary.id), or null when the analysis found no such function. */
  cfg(id: string): FunctionDetail['cfg'];
  /** Function ids. */
  callers(id: string): readonly string[];
  callees(id: string): readonly string[];
}

export interface AnalysisPort {
  /** Analyses the image; `onProgress` hears the fraction done (0..1) and the phase. */
  analyse(image: LoadedImage, onProgress?: (fraction: number, phase: string) => void): Promise<AnalysedImage>;
}

export interface DisassemblyPort {
  /** The linear disassembly of one function. */
  listing(image: LoadedImage, fn: FunctionSummary): readonly DisassemblyLine[];
}

/** The raw status a machine reports; the Session adds function names and the rate. */
export interface RawMachineStatus extends Omit<MachineStatus, 'cpus' | 'instructionsPerSecond'> {
  readonly cpus: readonly Omit<CpuStatus, 'function' | 'module'>[];
}

/** A running machine, normally on a worker thread (src/main/node/machine-worker behind an adapter). */
export interface MachinePort {
  readonly workloads: readonly WorkloadInfo[];
  boot(image: LoadedImage, request: BootRequest): Promise<void>;
  run(): Promise<void>;
  pause(): Promise<void>;
  status(): RawMachineStatus;
  onStatus(listener: (status: RawMachineStatus) => void): () => void;
  onConsole(listener: (text: string) => void): () => void;
  dispose(): Promise<void>;
  /** Metrics spliced into the running kernel, or why this machine has none (a Linux user program). */
  readonly instrument: InstrumentPort | string;
}

/** Metrics on a running kernel (src/main/core/instrument, in the machine's worker). Failures reject with a SpringboardError. */
export interface InstrumentPort {
  state(): Promise<InstrumentationState>;
  enable(request: EnableMetricRequest): Promise<MetricInfo>;
  disable(id: number): Promise<InstrumentationState>;
  /** The splice log from entry `since` on. */
  log(since: number): Promise<SpliceLog>;
  /** Samples and trace records as they are taken; `state` when the instrumentation changed on its own (patches reclaimed, the kernel stopped). */
  onSamples(listener: (samples: readonly MetricSample[], traces: readonly TraceBatch[], state: InstrumentationState | null) => void): () => void;
}

export interface EngineParts {
  readonly analysis: AnalysisPort | string;
  readonly disassembly: DisassemblyPort | string;
  /** A factory (one machine per boot), or why there is none. */
  readonly machine: (() => MachinePort) | string;
}
