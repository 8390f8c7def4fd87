// `springboard run`: the program's stdout and exit status become ours; --stats-json; --max-instructions.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCommand } from './run.ts';
import { runCli } from '../../../../../test/support/cli.ts';
import { describeWithTool } from '../../../../../test/support/tools.ts';
import { GCC, buildProgram, writeSource } from '../../../../../test/support/sparc-build.ts';

async function cli(argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const r = await runCli(argv, [runCommand]);
  return { status: r.code, stdout: r.out, stderr: r.err };
}

describeWithTool(GCC, 'springboard run', () => {
  const source = writeSource('cli-hello.c', '#include "rt.h"\nint main(int argc, char **argv) { printf("hello %d %s\\n", argc, argc > 1 ? argv[1] : "-"); return 3; }\n');

  it('prints the program output and returns its exit status, on both engines', async () => {
    const exe = buildProgram([source], { opt: '-O1' });
    for (const engine of ['fast', 'reference']) {
      const r = await cli(['run', exe, '--engine', engine, 'world']);
      expect(r).toEqual({ status: 3, stdout: 'hello 2 world\n', stderr: '' });
      const many = await cli(['run', exe, '--engine', engine, 'a', 'b', 'c']);
      expect(many).toEqual({ status: 3, stdout: 'hello 4 a\n', stderr: '' });
    }
  });

  it('writes statistics and stops at --max-instructions', async () => {
    const exe = buildProgram([source], { opt: '-O1' });
    const out = join(mkdtempSync(join(tmpdir(), 'sb-run-')), 'stats.json');
    expect((await cli(['run', exe, '--stats-json', out])).status).toBe(3);
    const stats = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(stats).sort()).toEqual(['engine', 'instructions', 'mips', 'seconds']);
    expect(stats.engine).toBe('fast');
    expect(stats.instructions).toBeGreaterThan(100);
    const limited = await cli(['run', exe, '--max-instructions', '50']);
    expect(limited.status).toBe(124);
    expect(limited.stderr).toMatch(/stopped after 50 instructions/);
  });

  it('explains bad options and files', async () => {
    expect((await cli(['run', '/nonexistent.elf'])).stderr).toMatch(/no such file/);
    const exe = buildProgram([source], { opt: '-O1' });
    const bad = await cli(['run', exe, '--engine', 'turbo']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--engine must be fast or reference/);
  });
});
