// Metrics in the minisol worker: splices metrics into the running kernel between run slices, samples
// them in virtual time, and speaks the contract's types (MetricInfo, MetricSample) to the Session.
import type { MinisolSystem } from '../../core/minisol/index.ts';
import {
  Instrumenter, InstrumentError, minisolSplicer, Sampler, type MetricInstance,
} from '../../core/instrument/index.ts';
import { SpliceError } from '../../core/splice/index.ts';
import type { EnableMetricRequest, InstrumentationState, MetricInfo, MetricKind, MetricSample, SpliceLog, TraceBatch, WireError } from '../../../shared/index.ts';

/** Samples per second of virtual time (Paradyn sampled at a fixed rate and folded old samples). */
export const SAMPLES_PER_SECOND = 100;

const UNITS: Record<MetricKind, Pick<MetricInfo, 'unit' | 'rateUnit'>> = {
  calls: { unit: 'calls', rateUnit: 'per-second' },
  vtime: { unit: 'ns', rateUnit: 'cpu-fraction' },
  wtime: { unit: 'ns', rateUnit: 'cpu-fraction' },
  concurrency: { unit: 'threads', rateUnit: 'mean-threads' },
  coverage: { unit: 'blocks', rateUnit: 'per-second' },
  assertions: { unit: 'failures', rateUnit: 'per-second' },
  trace: { unit: 'records', rateUnit: 'per-second' },
};

/** An instrumentation failure as the contract reports it: a bad focus is the request's fault, a refused splice is not. */
export function instrumentWireError(error: unknown): WireError {
  if (error instanceof InstrumentError) return { code: error.code === 'unsupported' ? 'splice-refused' : 'bad-request', message: error.message };
  if (error instanceof SpliceError) return { code: 'splice-refused', message: `the splice was refused (${error.code}): ${error.message}` };
  return { code: 'internal', message: `instrumentation failed: ${error instanceof Error ? error.message : String(error)}` };
}

export class MinisolInstrumentation {
  private readonly system: MinisolSystem;
  private readonly instrumenter: Instrumenter;
  private readonly sampler: Sampler;
  private readonly cps: number;
  private readonly infos = new Map<number, { info: MetricInfo; instance: MetricInstance; kstatBase: number }>();

  /** Analyses the running kernel (once, on the first metric) and sets up the splicer and sampler. */
  constructor(system: MinisolSystem) {
    this.system = system;
    this.cps = system.config.cyclesPerSecond;
    const { splicer, contextSwitch } = minisolSplicer(system);
    this.instrumenter = new Instrumenter(splicer, contextSwitch !== null ? { contextSwitch } : {});
    const interval = Math.max(1, Math.round(this.cps / SAMPLES_PER_SECOND));
    // The worker forwards samples as they are taken; it needs no history of its own.
    this.sampler = new Sampler(this.instrumenter, interval, system.now + interval, 1);
  }

  /** When the next sample is due (cycles). */
  get due(): number {
    return this.sampler.due;
  }

  private ns(cycles: number): number {
    return Math.round((cycles * 1e9) / this.cps);
  }

  state(available: InstrumentationState['available']): InstrumentationState {
    const s = this.instrumenter.splicer;
    return {
      available,
      intervalNs: this.ns(this.sampler.interval),
      metrics: [...this.infos.values()].map((x) => x.info),
      splices: s.handles.length,
      retiredPatches: s.retiredCount,
    };
  }

  /** Installs a metric (all its splices in one transaction); enabling one that is already on returns it. */
  enable(request: EnableMetricRequest, startedMs: number): MetricInfo {
    // `f` and `f@module` name one function: compare what the focus resolves to.
    const canonical = (code: string): string => (code.startsWith('module:') ? code : this.instrumenter.functionsOf(code).join());
    const code = canonical(request.focus.code);
    const same = [...this.infos.values()].find((x) => x.info.metric === request.metric && canonical(x.info.focus.code) === code && x.info.focus.cpu === request.focus.cpu
      && x.info.focus.pid === request.focus.pid && JSON.stringify(x.info.predicate) === JSON.stringify(request.predicate));
    if (same !== undefined) return same.info;
    const cpus = this.system.machine.cpus.length;
    if (request.focus.cpu !== undefined && request.focus.cpu >= cpus) throw new InstrumentError('no-focus', `cpu ${request.focus.cpu} does not exist: the machine has ${cpus} CPU(s)`);
    const focus = {
      code: request.focus.code,
      ...(request.focus.cpu !== undefined ? { cpu: request.focus.cpu } : {}),
      ...(request.focus.pid !== undefined ? { pid: request.focus.pid } : {}),
    };
    const instance = this.instrumenter.enable(request.metric, focus, request.predicate !== undefined ? { predicate: request.predicate } : {});
    // The kernel's own count of the same thing, for one function over all CPUs and processes.
    const fn = instance.functions.length === 1 && !focus.code.startsWith('module:') && focus.cpu === undefined && focus.pid === undefined ? instance.functions[0]! : null;
    const kstatName = fn === null ? null : request.metric === 'calls' ? fn : request.metric === 'wtime' ? `${fn}_cycles` : null;
    const kstat = kstatName !== null && this.system.kstatFields.has(kstatName) ? kstatName : null;
    this.sampler.begin(instance, this.system.now);
    const info: MetricInfo = {
      id: instance.id,
      metric: request.metric,
      focus,
      key: instance.key,
      ...UNITS[request.metric],
      functions: instance.functions.length,
      points: instance.handles.length,
      skipped: instance.skipped.slice(0, 200),
      enabledAtNs: this.ns(this.system.now),
      installMs: Math.round((performance.now() - startedMs) * 10) / 10,
      ...(request.predicate !== undefined ? { predicate: request.predicate } : {}),
      kstat,
    };
    this.infos.set(info.id, { info, instance, kstatBase: kstat === null ? 0 : this.system.kstatTotal(kstat) });
    return info;
  }

  /** Removes a metric's splices in one transaction; the patches are reclaimed at quiescence (see `reclaim`). */
  disable(id: number): void {
    const x = this.infos.get(id);
    if (x === undefined) throw new InstrumentError('no-focus', `no enabled metric ${id}`);
    this.instrumenter.disable(x.instance);
    this.sampler.end(x.instance);
    this.infos.delete(id);
  }

  /** The splicer's log from entry `since` on (at most `max` entries). */
  log(since: number, max = 500): SpliceLog {
    const all = this.instrumenter.splicer.log;
    const from = Math.min(since, all.length);
    const entries = all.slice(from, from + max).map((e) => ({ timeNs: this.ns(e.time), op: e.op, site: e.site >>> 0, detail: e.detail }));
    return { total: all.length, from, entries };
  }

  /** Removed patches not yet reclaimed. */
  get retiredPatches(): number {
    return this.instrumenter.splicer.retiredCount;
  }

  /** Frees retired patches that no CPU or thread can still be in. */
  reclaim(): void {
    const s = this.instrumenter.splicer;
    if (s.retiredCount > 0) s.reclaim();
    // With every metric gone and its patches reclaimed, their data is freed for the next ones.
    if (this.infos.size === 0 && s.retiredCount === 0) s.resetDataIfIdle();
  }

  /** New records of every trace metric since the last call. */
  traces(): TraceBatch[] {
    const out: TraceBatch[] = [];
    for (const { info, instance } of this.infos.values()) {
      if (info.metric !== 'trace') continue;
      const { records, dropped } = this.instrumenter.readTrace(instance);
      if (records.length === 0 && dropped === 0) continue;
      // Records carry the CPU's %asr18 (low word); CPU clocks run within a quantum of the machine's.
      const now = this.system.now;
      const high = now - (now >>> 0);
      const full = records.map((r) => {
        let t = high + r.time;
        if (t > now + 2 ** 31) t -= 2 ** 32;
        return { ...r, time: t };
      });
      // In time order across CPUs (after the clock's high word is restored: a batch may span a wrap).
      full.sort((a, b) => a.time - b.time || a.cpu - b.cpu);
      out.push({ id: info.id, dropped, records: full.map((r) => ({ cpu: r.cpu, timeNs: this.ns(r.time), function: r.function, pid: r.pid, args: r.args })) });
    }
    return out;
  }

  /** Takes a sample of every enabled metric now (call when `due` has passed). */
  sample(): MetricSample[] {
    const now = this.system.now;

    const out: MetricSample[] = [];
    for (const s of this.sampler.sample(now)) {
      const x = this.infos.get(s.id);
      if (x === undefined) continue;
      const m = x.info.metric;
      const value = m === 'vtime' || m === 'wtime' ? this.ns(s.value) : s.value;
      // The core sampler gives events per 1,000 cycles, timers as a fraction of the interval.
      const rate = x.info.rateUnit === 'per-second' ? (s.rate * this.cps) / 1000 : s.rate;
      const k = x.info.kstat;
      const kstat = k === null ? undefined : this.system.kstatTotal(k) - x.kstatBase;
      out.push({ id: x.info.id, timeNs: this.ns(now), value, rate, ...(kstat === undefined ? {} : { kstat: x.info.unit === 'ns' ? this.ns(kstat) : kstat }) });
    }
    return out;
  }
}
