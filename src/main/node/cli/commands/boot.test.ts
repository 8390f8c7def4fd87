// The `springboard boot` command: boots the committed image, reports speed, throughput, kstats and the disk check; clear errors.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../../../test/support/cli.ts';
import { bootCommand } from './boot.ts';

const run = (...argv: string[]) => runCli(argv, [bootCommand]);

describe('springboard boot', () => {
  it('boots the committed image, runs a workload and reports', async () => {
    const r = await run('boot', '--workload', 'proxy', '--seconds', '0.2', '--seed', '2');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^minisol on 1 CPU \(fast engine\), seed 2, image .*minisol\.elf$/m);
    expect(r.out).toContain('state: halted');
    expect(r.out).toMatch(/instructions: [\d,]+ +virtual: 0\.2\d\d s +host: [\d.]+ s +MIPS: [\d.]+/);
    expect(r.out).toMatch(/proxy +\d+ requests \([\d.]+\/s/);
    expect(r.out).toMatch(/copen \d+/);
    expect(r.out).toMatch(/fsck: clean \([\d,]+ files/);
  });

  it('prints the whole report as JSON', async () => {
    const r = await run('boot', '--cpus', '2', '--seconds', '0.05', '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { state: string; cpus: number; kstats: Record<string, number>; fsck: { clean: boolean }; throughput: unknown[] };
    expect(report.state).toBe('halted');
    expect(report.cpus).toBe(2);
    expect(report.kstats.clock).toBeGreaterThan(0);
    expect(report.fsck.clean).toBe(true);
    expect(report.throughput).toEqual([]);
  });

  it('refuses bad options with a message and status 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--workload', 'squid'], /--workload "squid" is not a workload; choose from proxy, mirror, readers, mixed/],
      [['--seconds', '0'], /--seconds must be a number of virtual seconds/],
      [['--engine', 'turbo'], /--engine must be fast or reference/],
      [['--cpus', 'x'], /--cpus expects a decimal or 0x-hexadecimal number/],
      [['--image', '/nonexistent/minisol.elf'], /cannot read the kernel image \/nonexistent\/minisol\.elf/],
      [['--set', 'proxy urls'], /--set expects KEY=VALUE or GROUP\.KEY=VALUE/],
    ];
    for (const [args, message] of cases) {
      const r = await run('boot', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
    }
  });

  it('takes any setting with --set', async () => {
    const r = await run('boot', '--seconds', '0.05', '--set', 'ncsize=64', '--set', 'readers.raRand=0', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).console.join('\n')).toContain('dnlc: 64 entries');
  });

  it('reports a bad configuration from the engine as an error with its code', async () => {
    const r = await run('boot', '--cpus', '17', '--seconds', '0.01');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cpus must be 1\.\.16, not 17 \[bad-config\]/);
  });
});
