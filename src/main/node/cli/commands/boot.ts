// `springboard boot`: boots minisol on the emulated SPARC machine, runs workloads for T virtual seconds, reports speed, throughput, kstats, the disk check and any panic.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError, numberOption, stringOption, type CliIo, type Command, type ParsedArgs } from '../command.ts';
import { WORKLOADS, runMinisol, type BootConfigInput, type RunReport, type WorkloadName } from '../../../core/minisol/index.ts';

/** The committed kernel image (guest/minisol/minisol.elf). */
export const DEFAULT_IMAGE = resolve(import.meta.dirname, '..', '..', '..', '..', '..', 'guest', 'minisol', 'minisol.elf');

/** Counters shown in the text report (all of them go into --json). */
const KEY_COUNTERS = [
  'syscalls', 'copen', 'falloc', 'vn_open', 'vn_create', 'ufs_create', 'ufs_itrunc', 'lookuppn', 'dnlc_lookup', 'dnlc_hits',
  'dnlc_misses', 'ufs_lookup', 'ufs_dirlook', 'ufs_read', 'ufs_write', 'ufs_getpage', 'ufs_prefetch_blocks', 'bread', 'bread_miss',
  'sd_reads', 'sd_writes', 'kmem_alloc', 'cfork', 'exit', 'preempt', 'kpreempt', 'disp', 'swtch', 'mutex_spin', 'mutex_block',
  'hmeintr', 'ip_rput', 'ip_csum_hdr', 'tcp_lookup', 'tcp_rput_data', 'tcp_wput', 'tcp_ooo', 'tcp_dupacks', 'tcp_urgent',
  'hat_chgprot', 'hat_swapin', 'hat_swapout', 'read_bytes', 'write_bytes',
] as const;

function workloadsOption(args: ParsedArgs): WorkloadName[] {
  const raw = args.values.workload;
  const list = (Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : []).flatMap((w) => w.split(',')).map((w) => w.trim()).filter((w) => w.length > 0);
  for (const w of list) {
    if (!(WORKLOADS as readonly string[]).includes(w)) {
      throw new CliError('bad-workload', `--workload "${w}" is not a workload; choose from ${WORKLOADS.join(', ')}`);
    }
  }
  return [...new Set(list)] as WorkloadName[];
}

/** `--set proxy.urls=512`: a configuration value by its dotted path (numbers, booleans, strings). */
/** The kernel image of `--image FILE` (default: the committed minisol.elf), or a clear error. */
export function readKernelImage(args: ParsedArgs): { path: string; bytes: Uint8Array } {
  const path = resolve(stringOption(args, 'image') ?? DEFAULT_IMAGE);
  try {
    return { path, bytes: new Uint8Array(readFileSync(path)) };
  } catch (error) {
    throw new CliError('no-image', `cannot read the kernel image ${path}: ${(error as Error).message}`);
  }
}

export function applySet(config: BootConfigInput, assignment: string): void {
  const m = /^([a-zA-Z]+)(?:\.([a-zA-Z]+))?=(.*)$/.exec(assignment);
  if (m === null) throw new CliError('bad-set', `--set expects KEY=VALUE or GROUP.KEY=VALUE (e.g. proxy.urls=512), not "${assignment}"`);
  const [, a, b, raw] = m as unknown as [string, string, string | undefined, string];
  const value: unknown = raw === 'true' ? true : raw === 'false' ? false : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  const target = config as Record<string, unknown>;
  if (b === undefined) {
    target[a] = value;
  } else {
    const group = (target[a] ?? {}) as Record<string, unknown>;
    if (typeof group !== 'object') throw new CliError('bad-set', `--set ${a}.${b}: ${a} is not a group of settings`);
    group[b] = value;
    target[a] = group;
  }
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function textReport(r: RunReport, image: string): string {
  const lines: string[] = [];
  lines.push(`minisol on ${r.cpus} CPU${r.cpus > 1 ? 's' : ''} (${r.engine} engine), seed ${r.seed}, image ${image}`);
  lines.push(`state: ${r.state}${r.stopReason && r.state !== 'halted' ? ` (${r.stopReason.split('\n')[0]})` : ''}`);
  lines.push(`instructions: ${fmt(r.instructions)}   virtual: ${fmt(r.virtualSeconds, 3)} s   host: ${fmt(r.hostSeconds, 2)} s   MIPS: ${fmt(r.mips, 1)}`);
  if (r.throughput.length > 0) {
    lines.push('', `throughput over ${fmt(r.measuredSeconds, 3)} virtual seconds:`);
    for (const t of r.throughput) {
      const extra = Object.entries(t.details).map(([k, v]) => `${k} ${fmt(v)}`).join(', ');
      const bytes = t.bytes > 0 ? `, ${fmt(t.bytesPerSecond / 1024, 1)} KB/s` : '';
      lines.push(`  ${t.workload.padEnd(8)} ${fmt(t.count)} ${t.unit} (${fmt(t.perSecond, 1)}/s${bytes})${extra ? `; ${extra}` : ''}`);
    }
  }
  lines.push('', 'kstat counters (measured interval):');
  const shown = KEY_COUNTERS.filter((k) => (r.kstats[k] ?? 0) !== 0);
  for (let i = 0; i < shown.length; i += 4) {
    lines.push('  ' + shown.slice(i, i + 4).map((k) => `${k} ${fmt(r.kstats[k]!)}`.padEnd(26)).join(''));
  }
  if (r.fsck !== null) {
    lines.push('', r.fsck.clean
      ? `fsck: clean (${fmt(r.fsck.stats.files)} files, ${fmt(r.fsck.stats.directories)} directories, ${fmt(r.fsck.stats.blocksInUse)} blocks in use)`
      : `fsck: ${r.fsck.errors.length} error(s):\n${r.fsck.errors.slice(0, 20).map((e) => `  ${e}`).join('\n')}`);
  }
  if (r.panic !== null) lines.push('', r.panic.text);
  else if (r.state === 'error' && r.stopReason) lines.push('', r.stopReason);
  return lines.join('\n') + '\n';
}

export const bootCommand: Command = {
  name: 'boot',
  summary: 'boot the minisol kernel on the emulated SPARC machine and run workloads',
  description:
    'Boots minisol (the committed guest/minisol/minisol.elf unless --image is given) on N emulated SPARC V8 CPUs, runs ' +
    'the chosen workloads for T seconds of virtual time, then shuts the guest down cleanly and checks its disk. Prints ' +
    'instructions, virtual and host seconds, MIPS, per-workload throughput, kstat counters, the file-system check, and ' +
    'a symbolic panic report if the guest panicked. Exit status 1 when the guest panicked or the disk is not clean.',
  positionals: [],
  options: {
    image: { type: 'string', value: 'FILE', description: 'kernel image (default: the committed minisol.elf)' },
    workload: { type: 'string', multiple: true, value: 'NAME[,NAME]', description: `workloads to run: ${WORKLOADS.join(', ')}` },
    cpus: { type: 'string', value: 'N', description: 'CPUs, 1..16 (default 1)' },
    seed: { type: 'string', value: 'S', description: 'seed of every random choice (default 1)' },
    seconds: { type: 'string', value: 'T', description: 'virtual seconds to run (default 1)' },
    warmup: { type: 'string', value: 'T', description: 'virtual seconds to run before measuring (default 0)' },
    engine: { type: 'string', value: 'fast|reference', description: 'execution engine (default fast)' },
    ncsize: { type: 'string', value: 'N', description: 'DNLC size (default 128)' },
    'proxy-overwrite': { type: 'boolean', description: 'the proxy overwrites cache files instead of O_TRUNC (the talk\'s fix)' },
    set: { type: 'string', multiple: true, value: 'KEY=VALUE', description: 'any setting of docs/minisol.md, e.g. proxy.urls=512, readers.raRand=0, hz=100' },
    console: { type: 'boolean', description: 'print the kernel console as it runs' },
    json: { type: 'boolean', description: 'print the whole report as JSON' },
  },
  examples: [
    'springboard boot --workload proxy --seconds 2',
    'springboard boot --cpus 4 --workload proxy,mirror,readers,mixed --seed 7 --json',
    'springboard boot --workload proxy --warmup 1 --seconds 2 --set proxy.urls=128 --set ncsize=32',
  ],
  run(args: ParsedArgs, io: CliIo): number {
    const { path: imagePath, bytes: image } = readKernelImage(args);
    const seconds = Number(stringOption(args, 'seconds') ?? '1');
    const warmup = Number(stringOption(args, 'warmup') ?? '0');
    if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) throw new CliError('bad-seconds', `--seconds must be a number of virtual seconds in (0, 3600], not "${stringOption(args, 'seconds')}"`);
    if (!Number.isFinite(warmup) || warmup < 0 || warmup > 3600) throw new CliError('bad-warmup', `--warmup must be 0..3600 virtual seconds, not "${stringOption(args, 'warmup')}"`);
    const engine = stringOption(args, 'engine') ?? 'fast';
    if (engine !== 'fast' && engine !== 'reference') throw new CliError('bad-engine', `--engine must be fast or reference, not "${engine}"`);
    const config: BootConfigInput = {
      cpus: numberOption(args, 'cpus') ?? 1,
      seed: numberOption(args, 'seed') ?? 1,
      engine,
      workloads: workloadsOption(args),
    };
    const ncsize = numberOption(args, 'ncsize');
    if (ncsize !== undefined) config.ncsize = ncsize;
    if (args.values['proxy-overwrite'] === true) config.proxy = { truncMode: 'overwrite' };
    const sets = args.values.set;
    for (const a of Array.isArray(sets) ? sets : typeof sets === 'string' ? [sets] : []) applySet(config, a);
    const report = runMinisol(image, config, {
      seconds,
      warmup,
      ...(args.values.console === true ? { onConsole: (line: string) => io.stderr(`[minisol] ${line}\n`) } : {}),
    });
    if (args.values.json === true) io.stdout(JSON.stringify({ image: imagePath, ...report }, null, 2) + '\n');
    else io.stdout(textReport(report, imagePath));
    return report.state === 'halted' && report.fsck?.clean !== false ? 0 : 1;
  },
};
