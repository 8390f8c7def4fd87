// `springboard analyze`: the summary, the JSON model, one function, its dot graph, and clear errors.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { main } from '../../src/main/node/cli/main.ts';
import { GCC, buildProgram } from '../support/sparc-build.ts';
import { describeWithTool } from '../support/tools.ts';

async function cli(args: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const status = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { status, out, err };
}

describeWithTool([GCC], 'springboard analyze', () => {
  const exe = buildProgram([join(import.meta.dirname, '..', 'fixtures', 'analysis', 'switches.c')], { opt: '-O2' });

  it('prints a summary', async () => {
    const r = await cli(['analyze', exe]);
    expect(r.status).toBe(0);
    for (const w of ['functions', 'blocks', 'edges', 'instructions', 'call graph edges', 'unresolved indirect', 'seconds']) expect(r.out).toContain(w);
    expect(r.out).toMatch(/switch tables\s+\d+ \(\d+ targets\)/);
  });

  it('writes the model as JSON', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sb-analyze-')), 'model.json');
    const r = await cli(['analyze', exe, '--json', out]);
    expect(r.status).toBe(0);
    const m = JSON.parse(readFileSync(out, 'utf8')) as { format: string; functions: { name: string; module: string | null }[]; blocks: unknown[]; edges: unknown[]; callGraph: unknown[] };
    expect(m.format).toBe('springboard-analysis');
    expect(m.functions.find((f) => f.name === 'op')!.module).toBe('switches');
    expect(m.blocks.length).toBeGreaterThan(100);
    expect(m.callGraph.length).toBeGreaterThan(10);
  });

  it('shows one function and its CFG as dot', async () => {
    const r = await cli(['analyze', exe, '--function', 'op']);
    expect(r.out).toMatch(/^op at 0x[0-9a-f]+/);
    expect(r.out).toContain('free:');
    const d = await cli(['analyze', exe, '--function', 'op', '--dot']);
    expect(d.out).toMatch(/^digraph "op" \{/);
    expect(d.out).toContain('label="indirect"');
  });

  it('explains mistakes', async () => {
    expect((await cli(['analyze', exe, '--dot'])).err).toContain('--dot needs --function');
    expect((await cli(['analyze', exe, '--function', 'nosuch'])).err).toContain('has no function "nosuch"');
    expect((await cli(['analyze', exe, '--policy', 'odd'])).err).toContain('--policy must be one of');
    const missing = await cli(['analyze', '/nonexistent.elf']);
    expect(missing.status).toBe(2);
    expect(missing.err).toContain('no such file');
  });
});
