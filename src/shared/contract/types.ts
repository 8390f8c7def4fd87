// The data that crosses the contract: images, functions, call graphs, CFGs, machine status, events.

/** Whether an engine part is present in this build, and if not, what the user sees instead. */
export type Availability = { readonly available: true } | { readonly available: false; readonly reason: string };

export interface Capabilities {
  /** The emulator and the guest kernel (booting, running, status). */
  readonly machine: Availability;
  /** Functions, CFGs, call graph and liveness over the image. */
  readonly analysis: Availability;
  /** The objdump-style linear disassembly. */
  readonly disassembly: Availability;
}

export interface ModuleSummary {
  readonly name: string;
  readonly functionCount: number;
  /** Sum of the sizes of its functions. */
  readonly bytes: number;
}

export interface FunctionSummary {
  /** Unique within the image (functionIds: the name, or `name@module` when the name is ambiguous); what commands and graphs key on. */
  readonly id: string;
  /** The symbol's name, for display; several static functions may share it. */
  readonly name: string;
  /** The source module (`genunix`, `ufs`, …), or `(unknown)` when the image does not say. */
  readonly module: string;
  readonly address: number;
  readonly size: number;
}

export interface ImageSummary {
  /** The file name the image was opened from. */
  readonly name: string;
  readonly bytes: number;
  readonly entry: number;
  /** e.g. "EXEC" or "REL". */
  readonly type: string;
  readonly modules: readonly ModuleSummary[];
  readonly functionCount: number;
}

export interface WorkloadKnob {
  readonly name: string;
  readonly label: string;
  readonly kind: 'integer' | 'boolean';
  readonly default: number | boolean;
  readonly min?: number;
  readonly max?: number;
  readonly description: string;
}

export interface WorkloadInfo {
  readonly name: string;
  readonly description: string;
  readonly knobs: readonly WorkloadKnob[];
}

export interface WorkloadConfig {
  readonly name: string;
  readonly knobs: Readonly<Record<string, number | boolean>>;
}

export interface BootRequest {
  readonly workload: WorkloadConfig;
  readonly cpus: number;
}

export type MachineState = 'unavailable' | 'no-image' | 'ready' | 'running' | 'paused' | 'panicked' | 'halted';

export interface CpuStatus {
  readonly id: number;
  readonly pc: number;
  /** The id (FunctionSummary.id) of the function containing pc, or null outside any known function. */
  readonly function: string | null;
  readonly module: string | null;
  readonly state: 'running' | 'idle' | 'halted';
}

export interface PanicReport {
  readonly message: string;
  readonly cpu: number;
  readonly pc: number;
  readonly function: string | null;
  readonly backtrace: readonly string[];
}

export interface MachineStatus {
  readonly state: MachineState;
  /** Why the machine is unavailable or stopped, in words for the user. */
  readonly reason: string | null;
  readonly cpus: readonly CpuStatus[];
  /** Instructions executed since boot, all CPUs. */
  readonly instructions: number;
  /** Measured over the last status interval (host time). */
  readonly instructionsPerSecond: number;
  /** Guest (virtual) time since boot, nanoseconds. */
  readonly virtualTimeNs: number;
  readonly workload: WorkloadConfig | null;
  readonly panic: PanicReport | null;
}

export interface CallGraphNode {
  /** The function's id (FunctionSummary.id: unique within an image). */
  readonly id: string;
  /** The function's name, for display (not unique). */
  readonly name: string;
  readonly module: string;
  readonly address: number;
  readonly size: number;
}

export interface CallGraphEdge {
  /** Function ids. */
  readonly from: string;
  readonly to: string;
  /** Number of call sites from `from` to `to`. */
  readonly sites: number;
}

/** Positions of function nodes by id (module boxes follow their functions). */
export type GraphPositions = Readonly<Record<string, { readonly x: number; readonly y: number }>>;

export interface CallGraph {
  readonly nodes: readonly CallGraphNode[];
  readonly edges: readonly CallGraphEdge[];
  /** A precomputed layout of the whole graph (the Session lays it out off the UI), when there is one. */
  readonly layout?: GraphPositions;
}

export interface InstructionLine {
  readonly address: number;
  readonly word: number;
  readonly text: string;
  /** Registers live before this instruction, or null when liveness is unknown. */
  readonly live: readonly string[] | null;
  /** Registers free (dead) before this instruction, or null when liveness is unknown. */
  readonly free: readonly string[] | null;
}

export type CfgEdgeKind = 'fallthrough' | 'taken' | 'not-taken' | 'jump' | 'call-return' | 'indirect' | 'return';

export interface BasicBlock {
  readonly id: string;
  readonly start: number;
  /** One past the last byte. */
  readonly end: number;
  readonly instructions: readonly InstructionLine[];
  /** 0 outside loops. */
  readonly loopDepth: number;
  readonly isEntry: boolean;
  readonly isExit: boolean;
}

export interface CfgEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: CfgEdgeKind;
}

export interface LoopInfo {
  readonly header: string;
  readonly blocks: readonly string[];
  readonly depth: number;
}

export interface DisassemblyLine {
  readonly address: number;
  readonly word: number;
  readonly text: string;
  /** The symbol label printed before this line (a function's first instruction). */
  readonly label: string | null;
}

export interface FunctionDetail {
  readonly summary: FunctionSummary;
  /** Null when the analysis is not available. */
  readonly cfg: { readonly blocks: readonly BasicBlock[]; readonly edges: readonly CfgEdge[]; readonly loops: readonly LoopInfo[] } | null;
  /** Null when the disassembler is not available. */
  readonly disassembly: readonly DisassemblyLine[] | null;
  /** Callers and callees by function id (empty without the analysis). */
  readonly callers: readonly string[];
  readonly callees: readonly string[];
}

export interface Hello {
  readonly contractVersion: number;
  readonly capabilities: Capabilities;
  readonly image: ImageSummary | null;
  readonly workloads: readonly WorkloadInfo[];
  /** The kernel image the session can open without a file (the built minisol), or null. */
  readonly defaultImage: string | null;
}

export interface OpenImageRequest {
  readonly name: string;
  /** The file's bytes, base64 (JSON transports carry no binary). */
  readonly base64: string;
}

export interface Progress {
  readonly task: string;
  readonly done: number;
  readonly total: number;
  readonly message: string;
}

export interface LogEntry {
  readonly level: 'info' | 'warn' | 'error';
  readonly source: string;
  readonly message: string;
  /** Host time, ms since the epoch. */
  readonly time: number;
}

/** What a metric measures (Paradyn's metrics, on KernInst's splices). */
export type MetricKind = 'calls' | 'vtime' | 'wtime' | 'concurrency' | 'coverage' | 'assertions' | 'trace';

export const METRIC_KINDS: readonly MetricKind[] = ['calls', 'vtime', 'wtime', 'concurrency', 'coverage', 'assertions', 'trace'];

/** Comparisons an assertion can make (`u`: unsigned). */
export type Comparison = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'ltu' | 'leu' | 'gtu' | 'geu';

export const COMPARISONS: readonly Comparison[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'ltu', 'leu', 'gtu', 'geu'];

/** What an `assertions` metric requires at every entry: `argument[arg] kind value` (e.g. arg 0 ne 0: never NULL). */
export interface AssertionPredicate {
  /** 0..5 */
  readonly arg: number;
  readonly kind: Comparison;
  /** A 32-bit value. */
  readonly value: number;
}

/** What a metric is measured for. */
export interface MetricFocus {
  /** A function id (FunctionSummary.id) or `module:NAME` (every function of the module). */
  readonly code: string;
  /** Only this CPU's share. */
  readonly cpu?: number;
  /** Only while this process runs. */
  readonly pid?: number;
}

export interface EnableMetricRequest {
  readonly metric: MetricKind;
  readonly focus: MetricFocus;
  /** Required for `assertions`, refused otherwise. */
  readonly predicate?: AssertionPredicate;
}

/** An enabled metric: its splices are live in the running kernel. */
export interface MetricInfo {
  readonly id: number;
  readonly metric: MetricKind;
  readonly focus: MetricFocus;
  /** Paradyn's resource name: `calls/Code/genunix/copen`, `vtime/Code/ufs/cpu1/pid6`. */
  readonly key: string;
  /** The unit of a sample's value: `calls`, `ns` (timers), `threads` (concurrency), `blocks` (coverage), `failures` (assertions), `records` (trace). */
  readonly unit: 'calls' | 'ns' | 'threads' | 'blocks' | 'failures' | 'records';
  /** The unit of a sample's rate: calls/s; fraction of one CPU (timers); mean threads inside; blocks/s. */
  readonly rateUnit: 'per-second' | 'cpu-fraction' | 'mean-threads';
  /** Functions the focus covers, and the splices installed for them. */
  readonly functions: number;
  readonly points: number;
  /** Points the metric could not use, with the reason (e.g. a function that never returns). */
  readonly skipped: readonly { readonly point: string; readonly reason: string }[];
  /** Virtual time of the install, ns since boot. */
  readonly enabledAtNs: number;
  /** Host time the install took (analysis on first use, code generation, verification, the writes). */
  readonly installMs: number;
  /** The predicate an `assertions` metric checks. */
  readonly predicate?: AssertionPredicate;
  /**
   * The kernel's own statistic for the same quantity (a minisol kstat: a function's call counter for
   * `calls`, its `_cycles` total for `wtime`), sampled beside the metric as ground truth; null when
   * the kernel keeps none for this focus.
   */
  readonly kstat: string | null;
}

/** A function entry recorded by a `trace` metric. */
export interface TraceRecord {
  readonly cpu: number;
  /** Virtual time, ns since boot. */
  readonly timeNs: number;
  /** The function's name. */
  readonly function: string;
  readonly pid: number;
  /** Its first four arguments (32-bit, unsigned). */
  readonly args: readonly number[];
}

/** New records of one trace metric, and how many were overwritten in the per-CPU rings before they were read. */
export interface TraceBatch {
  readonly id: number;
  readonly records: readonly TraceRecord[];
  readonly dropped: number;
}

/** One sample of a metric's stream, taken in virtual time. */
export interface MetricSample {
  readonly id: number;
  /** Virtual time, ns since boot. */
  readonly timeNs: number;
  /** Cumulative since enabled (calls, ns, blocks) or, for concurrency, the threads inside now. */
  readonly value: number;
  /** Over the last interval: calls/s, fraction of one CPU, mean threads inside, blocks/s (MetricInfo.rateUnit). */
  readonly rate: number;
  /** The kernel's own statistic (MetricInfo.kstat) since the metric was enabled, in the value's unit. */
  readonly kstat?: number;
}

export interface MetricStream {
  readonly info: MetricInfo;
  /** The most recent samples, oldest first (the Session keeps a bounded history). */
  readonly samples: readonly MetricSample[];
  /** A trace metric's most recent records (oldest first) and the records dropped so far; empty otherwise. */
  readonly records: readonly TraceRecord[];
  readonly dropped: number;
}

export interface InstrumentationState {
  /** Whether metrics can be enabled now, and if not, why (no machine, a machine that is not minisol, stopped). */
  readonly available: Availability;
  /** Virtual time between samples, ns. */
  readonly intervalNs: number;
  readonly metrics: readonly MetricInfo[];
  /** Splices live in the kernel, and removed patches whose memory is not yet reclaimed (a CPU or thread may still be in them). */
  readonly splices: number;
  readonly retiredPatches: number;
}

/** One operation of the splicer, in the order they took effect. */
export interface SpliceLogLine {
  /** Virtual time, ns since boot. */
  readonly timeNs: number;
  readonly op: 'install' | 'remove' | 'swap' | 'restore' | 'reclaim' | 'rollback' | 'springboard';
  /** The spliced instruction's address (0 for operations on no one site). */
  readonly site: number;
  readonly detail: string;
}

export interface SpliceLog {
  /** Operations logged since boot; `entries` are those from the requested index on (at most 500). */
  readonly total: number;
  readonly from: number;
  readonly entries: readonly SpliceLogLine[];
}

export type ViewName = 'machine' | 'code' | 'callgraph' | 'function' | 'metrics';

export interface ShowView {
  readonly view: ViewName;
}

/** An empty request. */
export type Empty = Readonly<Record<string, never>>;
