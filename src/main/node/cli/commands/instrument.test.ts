// The `springboard instrument` command: splices a metric into the running minisol, samples it, checks the disk; clear errors.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../../test/support/cli.ts';
import { instrumentCommand } from './instrument.ts';

const run = (...argv: string[]) => runCli(argv, [instrumentCommand]);

describe('springboard instrument', () => {
  it('counts calls for functions and a module, and the kernel stays clean', async () => {
    const r = await run('instrument', '--workload', 'proxy', '--metric', 'calls', '--focus', 'copen,ufs_create', '--focus', 'module:ufs', '--seconds', '0.1');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^calls over 0\.1\d* virtual seconds after 0\.02 s \(\d+ splices installed in [\d.]+ ms\)$/m);
    expect(r.out).toMatch(/calls\/Code\/genunix\/copen +\d+ calls/);
    expect(r.out).toMatch(/calls\/Code\/ufs +[\d,]+ calls/);
    expect(r.out).toMatch(/kernel: halted, fsck clean/);
  }, 120_000);

  it('prints streams as JSON', async () => {
    const r = await run('instrument', '--workload', 'proxy', '--cpus', '2', '--metric', 'wtime', '--focus', 'ufs_create', '--seconds', '0.05', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { metric: string; fsckClean: boolean; streams: { key: string; samples: { t: number; value: number }[] }[]; log: { op: string }[] };
    expect(j.metric).toBe('wtime');
    expect(j.fsckClean).toBe(true);
    expect(j.streams[0]!.key).toBe('wtime/Code/ufs/ufs_create');
    expect(j.streams[0]!.samples.length).toBeGreaterThanOrEqual(19);
    expect(j.log.some((e) => e.op === 'install')).toBe(true);
  }, 120_000);

  it('traces entries with their arguments, and counts the entries that break an assertion', async () => {
    const r = await run('instrument', '--workload', 'readers', '--metric', 'trace', '--focus', 'ufs_read', '--after', '0.3', '--seconds', '0.05', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { metrics: { value: number; kstat: number | null }[]; traces: { key: string; dropped: number; records: { t: number; cpu: number; function: string; args: number[] }[] }[] };
    expect(j.traces[0]!.key).toBe('trace/Code/ufs/ufs_read');
    const recs = j.traces[0]!.records;
    expect(recs.length).toBeGreaterThan(0);
    expect(recs.length + j.traces[0]!.dropped).toBe(j.metrics[0]!.value);
    expect(recs.every((x) => x.function === 'ufs_read' && x.args.length === 4 && x.t >= 0.3)).toBe(true);
    const a = await run('instrument', '--workload', 'proxy,readers', '--metric', 'assertions', '--assert', 'arg0 leu 128', '--focus', 'kmem_alloc', '--seconds', '0.2');
    expect(a.code).toBe(0);
    expect(a.out).toMatch(/assertions\[arg0 leu 128\]\/Code\/genunix\/kmem_alloc +\d+ failures/);
  }, 120_000);

  it('refuses bad options with a message and status 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--metric', 'joules', '--focus', 'copen'], /--metric must be one of calls, vtime, wtime, concurrency/],
      [[], /--focus needs at least one function/],
      [['--focus', 'no_such_function'], /no analysed function "no_such_function"/],
      [['--focus', 'copen', '--seconds', '0'], /--seconds must be a number of virtual seconds/],
      [['--metric', 'assertions', '--focus', 'copen'], /--metric assertions needs --assert/],
      [['--metric', 'calls', '--assert', 'arg0 ne 0', '--focus', 'copen'], /--assert goes with --metric assertions/],
      [['--metric', 'assertions', '--assert', 'arg6 ne 0', '--focus', 'copen'], /--assert must be "argN OP VALUE"/],
    ];
    for (const [args, msg] of cases) {
      const r = await run('instrument', ...args);
      expect([args, r.code]).toEqual([args, 2]);
      expect(r.err).toMatch(msg);
    }
  }, 120_000);
});
