// The contract, written once: every command (request → response) and event stream, with the request checks.
//
// Transports (Electron IPC, the preload bridge, the daemon's WebSocket, the renderer's clients) are
// derived from `CONTRACT`: they loop over its names and never spell a channel or signature again.
import type {
  BootRequest, CallGraph, Empty, EnableMetricRequest, FunctionDetail, FunctionSummary, Hello, ImageSummary, InstrumentationState, LogEntry,
  MachineStatus, MetricInfo, MetricSample, MetricStream, OpenImageRequest, SpliceLog, TraceBatch, Progress, ShowView,
} from './types.ts';
import { COMPARISONS, METRIC_KINDS } from './types.ts';

/** Checks an untrusted request; returns an error text, or null when it is well formed. */
export type RequestCheck = (request: unknown) => string | null;

export interface CommandSpec<Req, Res> {
  readonly kind: 'command';
  readonly summary: string;
  readonly check: RequestCheck;
  /** Type carriers only; never set at run time. */
  readonly request?: Req;
  readonly response?: Res;
}

export interface EventSpec<Payload> {
  readonly kind: 'event';
  readonly summary: string;
  readonly payload?: Payload;
}

function command<Req, Res>(summary: string, check: RequestCheck): CommandSpec<Req, Res> {
  return { kind: 'command', summary, check };
}

function event<Payload>(summary: string): EventSpec<Payload> {
  return { kind: 'event', summary };
}

type FieldType = 'string' | 'number' | 'object';

/** A check for a plain object with exactly these typed fields (extra fields are refused; `?` marks an optional one). */
function fields(shape: Readonly<Record<string, FieldType | `${FieldType}?`>>): RequestCheck {
  return (request) => {
    if (typeof request !== 'object' || request === null || Array.isArray(request)) return 'the request must be an object';
    const record = request as Record<string, unknown>;
    for (const key of Object.keys(record)) if (!Object.hasOwn(shape, key)) return `unexpected field "${key}"`;
    for (const [key, spec] of Object.entries(shape)) {
      const value = record[key];
      if (spec.endsWith('?') && value === undefined) continue;
      const type = spec.replace('?', '') as FieldType;
      const ok = type === 'object' ? typeof value === 'object' && value !== null && !Array.isArray(value) : typeof value === type;
      if (!ok) return `field "${key}" must be a ${type}`;
      if (type === 'number' && !Number.isFinite(value)) return `field "${key}" must be a finite number`;
    }
    return null;
  };
}

const empty = fields({});

function bootCheck(request: unknown): string | null {
  const base = fields({ workload: 'object', cpus: 'number' })(request);
  if (base !== null) return base;
  const { workload, cpus } = request as { workload: Record<string, unknown>; cpus: number };
  if (!Number.isInteger(cpus) || cpus < 1 || cpus > 64) return 'field "cpus" must be an integer from 1 to 64';
  if (typeof workload.name !== 'string') return 'field "workload.name" must be a string';
  const knobs = workload.knobs;
  if (typeof knobs !== 'object' || knobs === null || Array.isArray(knobs)) return 'field "workload.knobs" must be an object';
  for (const [k, v] of Object.entries(knobs)) {
    if (typeof v !== 'boolean' && !(typeof v === 'number' && Number.isFinite(v))) return `knob "${k}" must be a number or a boolean`;
  }
  return null;
}

function enableCheck(request: unknown): string | null {
  const base = fields({ metric: 'string', focus: 'object', predicate: 'object?' })(request);
  if (base !== null) return base;
  const { metric, focus, predicate } = request as { metric: string; focus: Record<string, unknown>; predicate?: unknown };
  if (!(METRIC_KINDS as readonly string[]).includes(metric)) return `field "metric" must be one of ${METRIC_KINDS.join(', ')}`;
  if ((metric === 'assertions') !== (predicate !== undefined)) return metric === 'assertions' ? 'an assertion needs a "predicate": { arg, kind, value }' : 'only assertions take a "predicate"';
  if (predicate !== undefined) {
    const p = fields({ arg: 'number', kind: 'string', value: 'number' })(predicate);
    if (p !== null) return `predicate: ${p}`;
    const { arg, kind, value } = predicate as { arg: number; kind: string; value: number };
    if (!Number.isInteger(arg) || arg < 0 || arg > 5) return 'field "predicate.arg" must be an argument number from 0 to 5';
    if (!(COMPARISONS as readonly string[]).includes(kind)) return `field "predicate.kind" must be one of ${COMPARISONS.join(', ')}`;
    if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 32) return 'field "predicate.value" must be a 32-bit integer';
  }
  const f = fields({ code: 'string', cpu: 'number?', pid: 'number?' })(focus);
  if (f !== null) return `focus: ${f}`;
  const code = focus.code as string;
  if (code.length === 0 || code.length > 256) return 'field "focus.code" must be a function id or module:NAME (at most 256 characters)';
  for (const key of ['cpu', 'pid'] as const) {
    const v = focus[key];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 0 && (v as number) < 2 ** 31)) return `field "focus.${key}" must be a non-negative integer`;
  }
  return null;
}

function metricIdCheck(request: unknown): string | null {
  const base = fields({ id: 'number' })(request);
  if (base !== null) return base;
  return Number.isInteger((request as { id: number }).id) ? null : 'field "id" must be an integer';
}

function sinceCheck(request: unknown): string | null {
  const base = fields({ since: 'number' })(request);
  if (base !== null) return base;
  const since = (request as { since: number }).since;
  return Number.isInteger(since) && since >= 0 ? null : 'field "since" must be a non-negative integer';
}

export const CONTRACT_VERSION = 4;

export const CONTRACT = {
  commands: {
    'session.hello': command<Empty, Hello>('the contract version, what this build can do, the open image', empty),
    'image.open': command<OpenImageRequest, ImageSummary>('open a kernel image from its bytes', fields({ name: 'string', base64: 'string' })),
    'image.openDefault': command<Empty, ImageSummary>('open the built minisol kernel image', empty),
    'code.functions': command<Empty, readonly FunctionSummary[]>('every function of the image with its module and size', empty),
    'analysis.callGraph': command<Empty, CallGraph>('the whole-kernel call graph', empty),
    'analysis.function': command<{ readonly id: string }, FunctionDetail>('one function by id (FunctionSummary.id): CFG, loops, liveness, disassembly', fields({ id: 'string' })),
    'machine.status': command<Empty, MachineStatus>('the machine now', empty),
    'machine.boot': command<BootRequest, MachineStatus>('boot the image with a workload', bootCheck),
    'machine.run': command<Empty, MachineStatus>('let the machine run', empty),
    'machine.pause': command<Empty, MachineStatus>('pause the machine', empty),
    'machine.console': command<Empty, { readonly text: string }>('the kernel console so far', empty),
    'instrument.state': command<Empty, InstrumentationState>('the enabled metrics and whether metrics can be enabled now', empty),
    'instrument.enable': command<EnableMetricRequest, MetricInfo>('splice a metric for a focus into the running kernel (all its points or none)', enableCheck),
    'instrument.disable': command<{ readonly id: number }, InstrumentationState>('remove a metric\'s splices (patch memory is reclaimed once no CPU or thread is in it)', metricIdCheck),
    'instrument.log': command<{ readonly since: number }, SpliceLog>('the splice log (install, remove, springboard, reclaim…) from an index on', sinceCheck),
    'instrument.stream': command<{ readonly id: number }, MetricStream>('a metric and its recent samples', metricIdCheck),
  },
  events: {
    'machine.status': event<MachineStatus>('the machine status, a few times a second while it runs'),
    'machine.console': event<{ readonly text: string }>('new kernel console output'),
    'image.changed': event<ImageSummary | null>('a new image was opened'),
    progress: event<Progress>('progress of a long task'),
    log: event<LogEntry>('a log line from the engine'),
    'workbench.show': event<ShowView>('the shell asks the UI to show a view (menus)'),
    'instrument.samples': event<readonly MetricSample[]>('new samples of the enabled metrics (every sampling interval of virtual time, batched)'),
    'instrument.trace': event<readonly TraceBatch[]>('new records of trace metrics'),
    'instrument.changed': event<InstrumentationState>('a metric was enabled or disabled, or the machine changed'),
  },
} as const;

type Commands = typeof CONTRACT.commands;
type Events = typeof CONTRACT.events;

export type CommandName = keyof Commands;
export type EventName = keyof Events;
export type RequestOf<N extends CommandName> = Commands[N] extends CommandSpec<infer Req, unknown> ? Req : never;
export type ResponseOf<N extends CommandName> = Commands[N] extends CommandSpec<unknown, infer Res> ? Res : never;
export type EventOf<E extends EventName> = Events[E] extends EventSpec<infer P> ? P : never;

export const COMMAND_NAMES = Object.keys(CONTRACT.commands) as readonly CommandName[];
export const EVENT_NAMES = Object.keys(CONTRACT.events) as readonly EventName[];

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(CONTRACT.commands, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(CONTRACT.events, name);
}

/** What implements the contract (the Session): a handler per command and the event streams. */
export type CommandHandlers = { readonly [N in CommandName]: (request: RequestOf<N>) => Promise<ResponseOf<N>> | ResponseOf<N> };

export type EventListener<E extends EventName> = (payload: EventOf<E>) => void;

export interface ContractService {
  readonly handlers: CommandHandlers;
  on<E extends EventName>(event: E, listener: EventListener<E>): () => void;
}

/** What every client offers the UI, whatever the transport. */
export interface SpringboardClient {
  call<N extends CommandName>(name: N, request: RequestOf<N>): Promise<ResponseOf<N>>;
  on<E extends EventName>(event: E, listener: EventListener<E>): () => void;
}
