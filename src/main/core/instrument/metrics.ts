// Metrics built on splices (after KernInst/Paradyn): calls, virtual and wall time, concurrency,
// coverage and assertions, for a focus (functions or a module, optionally one CPU or one pid).
import type { CompareOp, Expr, Snippet, Stmt } from '../../../shared/snippet/index.ts';
import { SKEW_CYCLES, SpliceError, type Point, type SpliceHandle, type Splicer } from '../splice/index.ts';

export type MetricName = 'calls' | 'vtime' | 'wtime' | 'concurrency' | 'coverage' | 'assertions' | 'trace';
export const METRICS: readonly MetricName[] = ['calls', 'vtime', 'wtime', 'concurrency', 'coverage', 'assertions', 'trace'];

/** What an `assertions` metric checks at every entry of its functions: `arg[arg] kind value` must hold. */
export interface Predicate {
  readonly arg: number;
  readonly kind: CompareOp;
  readonly value: number;
}

/** One record of a `trace` metric: a function entry with its pid and first four arguments. */
export interface TraceRecord {
  readonly cpu: number;
  /** The CPU's cycle counter (%asr18, low word) at the entry. */
  readonly time: number;
  readonly function: string;
  readonly pid: number;
  readonly args: readonly number[];
}

/** Arguments a trace record keeps (with the function and the pid: 6 values, the most a trace takes). */
const TRACE_ARGS = 4;

/** What a metric is measured for. `code` is a function name or `module:NAME` (all its functions). */
export interface Focus {
  readonly code: string;
  /** Only this CPU's share (read from its per-CPU copy). */
  readonly cpu?: number;
  /** Only while this process runs (a pid predicate in every snippet). */
  readonly pid?: number;
}

/**
 * Paradyn's resource name of a focus: `/Code/<module>/<function>` (or `/Code/<module>` for a whole
 * module), then `/cpuN` and `/pidP` when the focus narrows to one CPU or process.
 */
export function focusKey(f: Focus, module: string | null = null): string {
  const code = f.code.startsWith('module:') ? f.code.slice('module:'.length) : `${module ?? '(unknown)'}/${f.code.replace(/@.*$/, '')}`;
  return `/Code/${code}${f.cpu !== undefined ? `/cpu${f.cpu}` : ''}${f.pid !== undefined ? `/pid${f.pid}` : ''}`;
}

/** Where a kernel switches threads: KernInst hooks it so virtual timers exclude switched-out time. */
export interface ContextSwitchHook {
  /** Run on the CPU just before its current thread is switched out. */
  readonly out: readonly Point[];
  /** Run on the CPU just after a thread is switched in (e.g. every exit of the switch function). */
  readonly in: readonly Point[];
}

export interface MetricInstance {
  readonly id: number;
  readonly metric: MetricName;
  readonly focus: Focus;
  readonly key: string;
  /** Name of the per-CPU data item the value comes from. */
  readonly data: string;
  readonly functions: readonly string[];
  readonly handles: SpliceHandle[];
  /** Points the metric could not use, with the reason. */
  readonly skipped: readonly { point: string; reason: string }[];
  /** The checked predicate (`assertions`). */
  readonly predicate?: Predicate;
}

export type InstrumentErrorCode = 'no-focus' | 'unsupported' | 'unknown-metric' | 'bad-predicate';

export class InstrumentError extends Error {
  readonly code: InstrumentErrorCode;
  constructor(code: InstrumentErrorCode, message: string) {
    super(message);
    this.name = 'InstrumentError';
    this.code = code;
  }
}

const snip = (name: string, body: Stmt[]): Snippet => ({ version: 1, name, body });

/** Enables and disables metrics over a Splicer, and reads their values. */
export class Instrumenter {
  readonly splicer: Splicer;
  private readonly instances = new Map<number, MetricInstance>();
  private nextId = 1;
  private switchHook: ContextSwitchHook | null;
  private switchHandles: SpliceHandle[] = [];
  private readonly vtimers = new Set<string>();
  private readonly wtimers = new Set<string>();
  /** Per trace metric: the ring head of each CPU up to which records were read. */
  private readonly traceRead = new Map<number, number[]>();

  constructor(splicer: Splicer, options: { contextSwitch?: ContextSwitchHook } = {}) {
    this.splicer = splicer;
    this.switchHook = options.contextSwitch ?? null;
  }

  get active(): MetricInstance[] {
    return [...this.instances.values()];
  }

  /** The functions a focus names (`module:NAME` = every analysed function of that module). */
  functionsOf(code: string): string[] {
    const a = this.splicer.points.analysis;
    if (code.startsWith('module:')) {
      const m = code.slice('module:'.length);
      const fs = a.functions.filter((f) => !f.external && f.module === m).map((f) => f.name);
      if (fs.length === 0) throw new InstrumentError('no-focus', `no analysed functions in module "${m}"`);
      return fs;
    }
    // `name@module` (a function id where several static functions share a name): points are found by
    // name, so only the function the name resolves to can be measured.
    const at = code.indexOf('@');
    const name = at > 0 ? code.slice(0, at) : code;
    const f = a.functionByName(name);
    if (f === undefined || f.external) throw new InstrumentError('no-focus', `no analysed function "${code}"`);
    if (at > 0 && f.module !== code.slice(at + 1)) {
      if (code.slice(at + 1).startsWith('0x')) throw new InstrumentError('no-focus', `"${code}" names a function by address; points are found by name, so only ${name}@${f.module ?? '(unknown)'} can be measured`);
      throw new InstrumentError('unsupported', `"${code}" shares its name with ${name} in module ${f.module ?? '(unknown)'}; only that one can be measured by name`);
    }
    return [f.name];
  }


  /** Installs a metric for a focus in one batch (all points or none); `assertions` need a predicate. */
  enable(metric: MetricName, focus: Focus, options: { readonly predicate?: Predicate } = {}): MetricInstance {
    if (!METRICS.includes(metric)) throw new InstrumentError('unknown-metric', `unknown metric "${metric}"; use ${METRICS.join(', ')}`);
    const predicate = options.predicate;
    if (metric === 'assertions') {
      if (predicate === undefined) throw new InstrumentError('bad-predicate', 'an assertion needs a predicate: argument, comparison, value (e.g. arg 0 ne 0: never NULL)');
      if (!Number.isInteger(predicate.arg) || predicate.arg < 0 || predicate.arg > 5) throw new InstrumentError('bad-predicate', `an assertion checks argument 0..5, not ${predicate.arg}`);
    }
    const functions = this.functionsOf(focus.code);
    const id = this.nextId++;
    const p = metric === 'assertions' ? predicate! : null;
    const module = focus.code.startsWith('module:') ? null : this.splicer.points.analysis.functionByName(functions[0]!)?.module ?? null;
    const key = `${metric}${p === null ? '' : `[arg${p.arg} ${p.kind} ${p.value}]`}${focusKey(focus, module)}`;
    const data = `m${id}`;
    const guard = (body: Stmt[]): Stmt[] => (focus.pid === undefined ? body : [{ op: 'if', cond: { op: 'compare', kind: 'eq', left: { op: 'pid' } as Expr, right: { op: 'const', value: focus.pid } }, then: body }]);
    const plan: { point: Point; snippet: Snippet }[] = [];
    const skipped: { point: string; reason: string }[] = [];
    const add = (p: Point, body: Stmt[]): void => {
      if (p.refused !== null) skipped.push({ point: p.id, reason: p.refused });
      else plan.push({ point: p, snippet: snip(key, guard(body)) });
    };
    const P = this.splicer.points;
    for (const fn of functions) {
      switch (metric) {
        case 'calls':
          add(P.entry(fn), [{ op: 'counterAdd', counter: data }]);
          break;
        case 'wtime':
        case 'vtime': {
          const clock = metric === 'vtime' ? 'virtual' : 'wall';
          const exits = P.exits(fn);
          if (exits.length === 0) {
            skipped.push({ point: `${fn}:exit`, reason: 'the function never returns' });
            break;
          }
          add(P.entry(fn), [{ op: 'timerStart', timer: data, clock }]);
          for (const x of exits) add(x, [{ op: 'timerStop', timer: data, clock }]);
          break;
        }
        case 'concurrency':
          add(P.entry(fn), [{ op: 'counterAdd', counter: data }]);
          for (const x of P.exits(fn)) add(x, [{ op: 'counterAdd', counter: data, value: { op: 'const', value: -1 } }]);
          break;
        case 'coverage':
          for (const b of P.blocks(fn)) add(b, [{ op: 'counterAdd', counter: `${data}:${b.id}` }, { op: 'removeSelf' }]);
          break;
        case 'assertions': {
          add(P.entry(fn), [{ op: 'assert', id: data, action: 'record', cond: { op: 'compare', kind: p!.kind, left: { op: 'arg', index: p!.arg }, right: { op: 'const', value: p!.value | 0 } } }]);
          break;
        }
        case 'trace': {
          // One ring per CPU for the focus; the function's index in `functions` tells the entries apart.
          const args: Expr[] = Array.from({ length: TRACE_ARGS }, (_, k) => ({ op: 'arg', index: k }));
          add(P.entry(fn), [{ op: 'trace', buffer: data, values: [{ op: 'const', value: functions.indexOf(fn) }, { op: 'pid' }, ...args] }]);
          break;
        }
      }
    }
    if (metric === 'vtime' && this.switchHook === null) {
      // Without a context-switch hook (a single user process) virtual and wall time coincide.
    }
    if (plan.length === 0) {
      const why = skipped[0]?.reason ?? 'it has no such points';
      throw new InstrumentError('unsupported', `${key}: no point of ${focus.code} can be spliced (${why}${skipped.length > 1 ? `, and ${skipped.length - 1} more` : ''})`);
    }
    const batch = this.splicer.batch();
    const handles = plan.map((x) => batch.insert(x.point, x.snippet, metric === 'wtime' || metric === 'vtime' ? 100 : 0));
    batch.commit();
    const inst: MetricInstance = { id, metric, focus, key, data, functions, handles, skipped, ...(predicate !== undefined && metric === 'assertions' ? { predicate } : {}) };
    this.instances.set(id, inst);
    if (metric === 'vtime' || metric === 'wtime') {
      (metric === 'vtime' ? this.vtimers : this.wtimers).add(data);
      this.refreshSwitchHook();
    }
    return inst;
  }

  disable(inst: MetricInstance): void {
    if (!this.instances.delete(inst.id)) throw new SpliceError('state', `metric ${inst.key} is not enabled`);
    this.traceRead.delete(inst.id);
    const b = this.splicer.batch();
    for (const h of inst.handles) if (this.splicer.handles.some((x) => x.id === h.id)) b.remove(h);
    b.commit();
    if (this.vtimers.delete(inst.data) || this.wtimers.delete(inst.data)) this.refreshSwitchHook();
  }

  /**
   * Re-installs the context-switch snippets. Virtual timers pause on switch-out and restart on
   * switch-in; when the target can name the current thread, every timer's nesting (and a wall
   * timer's start) is saved with the switched-out thread and restored with the switched-in one, so
   * timers follow threads across CPUs as KernInst's do.
   */
  private refreshSwitchHook(): void {
    const hook = this.switchHook;
    if (hook === null) return;
    const perThread = this.splicer.knowsThreads;
    const b = this.splicer.batch();
    for (const h of this.switchHandles) b.remove(h);
    const timers: { name: string; clock: 'virtual' | 'wall' }[] = [
      ...[...this.vtimers].map((name) => ({ name, clock: 'virtual' as const })),
      ...(perThread ? [...this.wtimers].map((name) => ({ name, clock: 'wall' as const })) : []),
    ];
    this.switchHandles = timers.length === 0 ? [] : [
      ...hook.out.map((p) => b.insert(p, snip('timers-switch-out', timers.map((t) => ({ op: 'timerPause', timer: t.name, clock: t.clock, perThread }))), -100)),
      ...hook.in.map((p) => b.insert(p, snip('timers-switch-in', timers.map((t) => ({ op: 'timerResume', timer: t.name, clock: t.clock, perThread }))), 100)),
    ];
    b.commit();
  }

  /** The metric's current value: calls / in-flight count / cycles / blocks covered. */
  value(inst: MetricInstance): number {
    const s = this.splicer;
    const pick = (vals: number[]): number => (inst.focus.cpu !== undefined ? vals[inst.focus.cpu] ?? 0 : vals.reduce((x, y) => x + y, 0));
    switch (inst.metric) {
      case 'calls':
        return pick(s.readPerCpu('counter', inst.data));
      case 'concurrency':
        return pick(s.readPerCpu('counter', inst.data)) | 0;
      case 'wtime':
      case 'vtime': {
        // Paradyn's timer read-out: the accumulated total plus the running interval of every CPU
        // whose current thread is inside (depth > 0), so a sample does not wait for the exit.
        const totals = s.readPerCpu('timer', inst.data, 1);
        const starts = s.readPerCpu('timer', inst.data, 0);
        const depths = s.readPerCpu('timer', inst.data, 2);
        const now = s.now() >>> 0;
        return pick(totals.map((t, c) => {
          if (depths[c] === 0) return t;
          const running = (now - starts[c]!) >>> 0;
          // CPUs' clocks differ by up to a scheduling quantum: a start just "after" now is no time yet.
          return t + (running >= 2 ** 32 - SKEW_CYCLES ? 0 : running);
        }));
      }
      case 'coverage': {
        let n = 0;
        for (const it of s.data.list()) if (it.kind === 'counter' && it.name.startsWith(`${inst.data}:`) && s.readSum('counter', it.name) > 0) n++;
        return n;
      }
      case 'assertions':
        return pick(s.readPerCpu('assertion', inst.data));
      case 'trace':
        return pick(s.readPerCpu('trace', inst.data));
    }
  }

  /**
   * A trace metric's records written since the last call, and how many were overwritten in a ring
   * before they could be read. A snippet reserves its slot (the head) first and writes the record's
   * index last: a record whose index word is not yet its own is being written by a CPU stopped
   * mid-snippet, and is read next time. (Call with the machine stopped.)
   */
  readTrace(inst: MetricInstance): { records: TraceRecord[]; dropped: number } {
    const s = this.splicer;
    const it = s.data.find('trace', inst.data);
    if (inst.metric !== 'trace' || it === undefined) return { records: [], dropped: 0 };
    const cap = it.capacity!;
    const words = it.recordWords!;
    const read = this.traceRead.get(inst.id) ?? new Array<number>(s.data.cpus).fill(0);
    this.traceRead.set(inst.id, read);
    const records: TraceRecord[] = [];
    let dropped = 0;
    for (let cpu = 0; cpu < s.data.cpus; cpu++) {
      if (inst.focus.cpu !== undefined && cpu !== inst.focus.cpu) continue;
      const head = s.data.addressOf(cpu, it);
      const h = s.readWord(head) >>> 0;
      let from = read[cpu]!;
      if (h - from > cap) {
        dropped += h - from - cap;
        from = h - cap;
      }
      let k = from;
      for (; k < h; k++) {
        const r = head + 4 + 4 * words * (k % cap);
        const w = (j: number): number => s.readWord(r + 4 * j) >>> 0;
        if (w(words - 1) !== k >>> 0) break;
        records.push({ cpu, time: w(0), function: inst.functions[w(1)] ?? '?', pid: w(2), args: Array.from({ length: TRACE_ARGS }, (_, j) => w(3 + j)) });
      }
      read[cpu] = k;
    }
    return { records, dropped };
  }
}
