// `springboard instrument`: boots minisol, splices a metric into the running kernel for each focus, samples it in virtual time, and prints the streams.
import { CliError, numberOption, stringOption, type CliIo, type Command, type ParsedArgs } from '../command.ts';
import type { BootConfigInput } from '../../../core/minisol/index.ts';
import type { MetricInstance, TraceRecord } from '../../../core/instrument/index.ts';
import { applySet, readKernelImage } from './boot.ts';

const METRIC_NAMES = ['calls', 'vtime', 'wtime', 'concurrency', 'coverage', 'assertions', 'trace'] as const;
type CliMetric = (typeof METRIC_NAMES)[number];
const COMPARISONS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'ltu', 'leu', 'gtu', 'geu'] as const;

/** `argN OP VALUE` (e.g. `arg0 ne 0`: never NULL) → an assertion's predicate. */
function parsePredicate(text: string): { arg: number; kind: (typeof COMPARISONS)[number]; value: number } {
  const m = /^\s*arg([0-5])\s+([a-z]+)\s+(-?\d+|0x[0-9a-f]+)\s*$/i.exec(text);
  const kind = m?.[2]?.toLowerCase() as (typeof COMPARISONS)[number] | undefined;
  const value = m === null ? NaN : Number(m[3]);
  if (m === null || kind === undefined || !COMPARISONS.includes(kind) || !Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 32) {
    throw new CliError('bad-assert', `--assert must be "argN OP VALUE" with N 0..5, OP one of ${COMPARISONS.join(', ')} and a 32-bit VALUE, not "${text}"`);
  }
  return { arg: Number(m[1]), kind, value };
}

const hex = (n: number): string => '0x' + (n >>> 0).toString(16).padStart(8, '0');

function listOption(args: ParsedArgs, name: string): string[] {
  const raw = args.values[name];
  return (Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : []).flatMap((w) => w.split(',')).map((w) => w.trim()).filter((w) => w.length > 0);
}

function secondsOption(args: ParsedArgs, name: string, fallback: number, min: number): number {
  const raw = stringOption(args, name);
  const v = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(v) || v < min || v > 3600) throw new CliError(`bad-${name}`, `--${name} must be a number of virtual seconds in [${min}, 3600], not "${raw}"`);
  return v;
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export const instrumentCommand: Command = {
  name: 'instrument',
  summary: 'splice a metric into the running minisol kernel and sample it in virtual time',
  description:
    'Boots minisol (as `springboard boot`), runs to --after T0 virtual seconds, then splices the metric into every\n' +
    'function of each focus without pausing the kernel: `calls` counts entries, `wtime` accumulates wall time between\n' +
    'entry and exit, `vtime` the same minus time switched out (the context switch in swtch is hooked), `concurrency`\n' +
    'averages the threads inside, `coverage` counts basic blocks reached (each splice removes itself once hit),\n' +
    '`assertions` counts entries breaking --assert "argN OP VALUE", `trace` records every entry (CPU, pid, four\n' +
    'arguments). A focus is a function name or module:NAME. The metric is sampled 20 times over\n' +
    '--seconds T of virtual time; the splices are then removed, patch memory is reclaimed at quiescence, the kernel\n' +
    'shuts down and its disk is checked.',
  positionals: [],
  options: {
    metric: { type: 'string', value: METRIC_NAMES.join('|'), description: 'what to measure (default calls)' },
    focus: { type: 'string', multiple: true, value: 'F[,F]', description: 'functions or module:NAME to measure' },
    pid: { type: 'string', value: 'P', description: 'count only while process P runs' },
    assert: { type: 'string', value: '"argN OP VALUE"', description: 'the predicate an assertions metric requires at entry (e.g. "arg0 ne 0")' },
    after: { type: 'string', value: 'T0', description: 'virtual seconds to run before splicing (default 0.02)' },
    seconds: { type: 'string', value: 'T', description: 'virtual seconds to measure (default 0.1)' },
    image: { type: 'string', value: 'FILE', description: 'kernel image (default: the committed minisol.elf)' },
    workload: { type: 'string', multiple: true, value: 'NAME[,NAME]', description: 'workloads to run (see springboard boot)' },
    cpus: { type: 'string', value: 'N', description: 'CPUs, 1..16 (default 1)' },
    seed: { type: 'string', value: 'S', description: 'seed (default 1)' },
    engine: { type: 'string', value: 'fast|reference', description: 'execution engine (default fast)' },
    set: { type: 'string', multiple: true, value: 'KEY=VALUE', description: 'any minisol setting, as for springboard boot (e.g. ncsize=32, proxy.truncMode=overwrite)' },
    json: { type: 'boolean', description: 'print the metric streams as JSON' },
  },
  examples: [
    'springboard instrument --workload proxy --metric calls --focus copen,ufs_create,dnlc_lookup --seconds 0.2',
    'springboard instrument --workload proxy --cpus 2 --metric vtime --focus module:ufs --json',
    'springboard instrument --workload proxy --set proxy.urls=128 --set ncsize=32 --after 1 --seconds 1 --metric calls --focus dnlc_lookup,ufs_dirlook',
    'springboard instrument --workload proxy,readers --metric assertions --assert "arg0 leu 128" --focus kmem_alloc',
    'springboard instrument --workload readers --metric trace --focus ufs_read --seconds 0.05',
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    const metric = (stringOption(args, 'metric') ?? 'calls') as CliMetric;
    if (!METRIC_NAMES.includes(metric)) throw new CliError('bad-metric', `--metric must be one of ${METRIC_NAMES.join(', ')}, not "${metric}"`);
    const focus = listOption(args, 'focus');
    if (focus.length === 0) throw new CliError('no-focus', '--focus needs at least one function or module:NAME');
    const pid = numberOption(args, 'pid');
    const assertText = stringOption(args, 'assert');
    if ((metric === 'assertions') !== (assertText !== undefined)) {
      throw new CliError('bad-assert', metric === 'assertions' ? '--metric assertions needs --assert "argN OP VALUE" (e.g. "arg0 ne 0")' : '--assert goes with --metric assertions');
    }
    const predicate = assertText === undefined ? undefined : parsePredicate(assertText);
    const after = secondsOption(args, 'after', 0.02, 0);
    const seconds = secondsOption(args, 'seconds', 0.1, 0.001);
    const engine = stringOption(args, 'engine') ?? 'fast';
    if (engine !== 'fast' && engine !== 'reference') throw new CliError('bad-engine', `--engine must be fast or reference, not "${engine}"`);
    const { path: imagePath, bytes: image } = readKernelImage(args);
    const { MinisolSystem, WORKLOADS } = await import('../../../core/minisol/index.ts');
    const { Instrumenter, InstrumentError, Sampler, minisolSplicer } = await import('../../../core/instrument/index.ts');
    const { SpliceError } = await import('../../../core/splice/index.ts');
    const workloads = listOption(args, 'workload');
    for (const w of workloads) if (!(WORKLOADS as readonly string[]).includes(w)) throw new CliError('bad-workload', `--workload "${w}" is not a workload; choose from ${WORKLOADS.join(', ')}`);
    const config: BootConfigInput = {
      cpus: numberOption(args, 'cpus') ?? 1, seed: numberOption(args, 'seed') ?? 1, engine, workloads: workloads as (typeof WORKLOADS)[number][],
    };
    const sets = args.values.set;
    for (const a of Array.isArray(sets) ? sets : typeof sets === 'string' ? [sets] : []) applySet(config, a);
    const sys = MinisolSystem.boot(image, config);
    sys.runFor(after);
    if (sys.state !== 'running') throw new CliError('not-running', `minisol stopped before ${after} s: ${sys.state} ${sys.stopReason ?? ''}`);
    const { splicer, contextSwitch } = minisolSplicer(sys);
    const ins = new Instrumenter(splicer, contextSwitch !== null ? { contextSwitch } : {});
    const started = performance.now();
    const metrics: MetricInstance[] = [];
    try {
      for (const f of focus) metrics.push(ins.enable(metric, { code: f, ...(pid !== undefined ? { pid } : {}) }, predicate !== undefined ? { predicate } : {}));
    } catch (error) {
      if (error instanceof InstrumentError || error instanceof SpliceError) throw new CliError(error.code, error.message);
      throw error;
    }
    const installMs = performance.now() - started;
    const cps = sys.config.cyclesPerSecond;
    // The kernel's own statistics over the same interval, printed beside the measurements as ground truth.
    const k0 = sys.kstats();
    const t0 = sys.now;
    const interval = Math.max(1, Math.round((seconds * cps) / 20));
    const sampler = new Sampler(ins, interval, t0 + interval);
    // Trace rings are drained at every sample (256 records per CPU between two samples).
    const traced = new Map(metrics.map((m) => [m.id, { records: [] as TraceRecord[], dropped: 0 }]));
    const drain = (): void => {
      for (const m of metrics) {
        if (m.metric !== 'trace') continue;
        const r = ins.readTrace(m);
        const t = traced.get(m.id)!;
        t.records.push(...r.records);
        t.dropped += r.dropped;
      }
    };
    while (sys.state === 'running' && sys.now < t0 + seconds * cps) {
      sys.runUntil(sampler.due);
      sampler.sample(sys.now);
      drain();
    }
    const measured = (sys.now - t0) / cps;
    const k1 = sys.kstats();
    const kstats: Record<string, number> = {};
    for (const [k, v] of Object.entries(k1.totals)) if (v !== (k0.totals[k] ?? 0)) kstats[k] = v - (k0.totals[k] ?? 0);
    const procs = k1.procs.map((p): { name: string } & Record<string, number> => {
      const before = k0.procs.find((q) => q.slot === p.slot && q.counters.pid === p.counters.pid)?.counters ?? {};
      const delta: Record<string, number> = {};
      for (const [k, v] of Object.entries(p.counters)) delta[k] = k === 'pid' ? v : v - (before[k] ?? 0);
      return Object.assign(delta, { name: p.name }) as { name: string } & Record<string, number>;
    });
    /** The kstat that counts what a metric measures, when the kernel keeps one. */
    const truth = (fn: string): number | null => {
      const name = metric === 'calls' ? fn : metric === 'concurrency' ? '' : `${fn}_cycles`;
      if (!(name in k1.totals)) return null;
      if (metric === 'calls' && pid !== undefined) return procs.find((p) => p.pid === pid)?.[fn] ?? null;
      return pid === undefined ? (kstats[name] ?? 0) : null;
    };
    const final = metrics.map((m) => ({ focus: m.focus.code, key: m.key, value: ins.value(m), kstat: truth(m.focus.code), functions: m.functions.length, points: m.handles.length, skipped: m.skipped }));
    const traces = metrics.filter((m) => m.metric === 'trace').map((m) => {
      const t = traced.get(m.id)!;
      return { key: m.key, dropped: t.dropped, records: t.records.map((r) => ({ t: r.time / cps, cpu: r.cpu, pid: r.pid, function: r.function, args: r.args })) };
    });
    for (const m of metrics) ins.disable(m);
    for (let k = 0; k < 20 && splicer.retiredCount > 0 && sys.state === 'running'; k++) {
      sys.runFor(0.002);
      splicer.reclaim();
    }
    const retired = splicer.retiredCount;
    const shutdown = sys.state === 'running' ? sys.shutdown().state : sys.state;
    const fsck = shutdown === 'halted' ? sys.fsck() : null;
    if (args.values.json === true) {
      io.stdout(JSON.stringify({
        image: imagePath, metric, pid: pid ?? null, after, seconds, installMs, state: shutdown, fsckClean: fsck?.clean ?? null,
        retiredPatches: retired, measured, metrics: final, kstats, procs, traces,
        streams: [...sampler.streams.values()].map((s) => ({ key: s.key, samples: s.samples.map((x) => ({ t: x.time / cps, value: x.value, rate: x.rate })) })),
        log: splicer.log.map((e) => ({ t: e.time / cps, op: e.op, site: e.site, detail: e.detail })),
      }, null, 2) + '\n');
    } else {
      const unit = { calls: 'calls', concurrency: 'in flight (mean)', vtime: 'cycles', wtime: 'cycles', coverage: 'blocks', assertions: 'failures', trace: 'records' }[metric];
      io.stdout(`${metric} over ${fmt(measured, 3)} virtual seconds after ${after} s (${metrics.reduce((n, m) => n + m.handles.length, 0)} splices installed in ${fmt(installMs, 1)} ms)\n`);
      for (const m of metrics) {
        const st = sampler.streams.get(m.id);
        const v = final.find((x) => x.key === m.key)!.value;
        const shown = metric === 'concurrency' ? (st?.samples.at(-1)?.rate ?? 0) : v;
        const per = metric === 'vtime' || metric === 'wtime' ? `  ${fmt((100 * v) / (measured * cps * sys.machine.cpus.length), 2)}% of elapsed × CPUs`
          : metric === 'concurrency' ? '' : metric === 'coverage' ? ` of ${m.handles.length}` : `  ${fmt(v / measured, 1)}/s`;
        const k = final.find((x) => x.key === m.key)!.kstat;
        io.stdout(`  ${m.key.padEnd(40)} ${fmt(shown, metric === 'concurrency' ? 2 : 0).padStart(12)} ${unit}${per}${k !== null ? `  (kstat ${fmt(k)})` : ''}\n`);
      }
      for (const t of traces) {
        // The last records, as a trace tool would stream them.
        io.stdout(`${t.key}: ${t.records.length} records${t.dropped > 0 ? ` (${t.dropped} dropped: a ring overwritten between samples)` : ''}; the last ${Math.min(20, t.records.length)}:\n`);
        io.stdout(`  ${'time (s)'.padStart(10)} cpu ${'pid'.padStart(5)}  ${'function'.padEnd(20)} args\n`);
        for (const r of t.records.slice(-20)) io.stdout(`  ${r.t.toFixed(6).padStart(10)} ${String(r.cpu).padStart(3)} ${String(r.pid).padStart(5)}  ${r.function.padEnd(20)} ${r.args.map(hex).join(' ')}\n`);
      }
      io.stdout(`kernel: ${shutdown}${fsck !== null ? `, fsck ${fsck.clean ? 'clean' : 'NOT clean'}` : ''}${retired > 0 ? `, ${retired} patch(es) still in use at exit` : ''}\n`);
    }
    return shutdown === 'halted' && fsck?.clean !== false ? 0 : 1;
  },
};
