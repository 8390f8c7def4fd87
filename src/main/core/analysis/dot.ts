// One function's CFG as Graphviz (dot): blocks with their instructions, typed edges, loop headers.
import { decode, formatInstruction } from '../sparc/index.ts';
import { T } from './cfg.ts';
import type { ProgramAnalysis } from './program.ts';

const EDGE_STYLE: Readonly<Record<string, string>> = {
  taken: 'color="#2a7b2a"',
  'not-taken': 'color="#b03030"',
  'fall-through': 'color="#404040"',
  call: 'color="#2050c0", style=dashed',
  'tail-call': 'color="#8040c0", style=dashed',
  return: 'color="#808080", style=dotted',
  indirect: 'color="#c07000"',
};

function esc(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/[{}<>|]/g, (c) => `\\${c}`);
}

export interface DotOptions {
  /** Show the free registers before each instruction (default true). */
  readonly free?: boolean;
}

/** The CFG of function `fn` in dot syntax. */
export function functionDot(a: ProgramAnalysis, fn: number, options: DotOptions = {}): string {
  const f = a.functions[fn]!;
  const t = a.instrs;
  const g = a.cfg;
  const showFree = options.free ?? true;
  const loopHeads = new Set(a.loops(fn).loops.map((l) => l.header));
  const lines: string[] = [];
  lines.push(`digraph "${esc(f.name)}" {`);
  lines.push('  node [shape=record, fontname="monospace", fontsize=10];');
  lines.push('  edge [fontname="sans-serif", fontsize=9];');
  lines.push(`  label="${esc(f.name)} @ 0x${f.address.toString(16)}${f.complex ? ' (complex windows: liveness is conservative)' : ''}"; labelloc=t;`);
  const external = new Map<string, string>();
  for (const b of f.blocks) {
    const rows: string[] = [];
    for (let n = g.bStart[b]!; n <= g.bEnd[b]!; n++) {
      const addr = t.addrOf(n);
      let text = formatInstruction(decode(t.words[n]!, t.mode), { address: addr });
      if (showFree) {
        const fr = a.free(addr, 'before');
        if (fr !== null && fr.names.length > 0) text += `   ; free ${fr.names.join(' ')}`;
      }
      rows.push(esc(`${addr.toString(16)}: ${text}`));
    }
    const attrs = [`label="{${rows.join('\\l')}\\l}"`];
    if (b === f.entryBlock) attrs.push('penwidth=2');
    if (loopHeads.has(b)) attrs.push('style=filled, fillcolor="#fff3c0"');
    if (g.bTerm[b] === T.UNKNOWN) attrs.push('color="#c07000"');
    lines.push(`  b${b} [${attrs.join(', ')}];`);
    for (const e of a.edgesOf(b)) {
      const style = EDGE_STYLE[e.kind] ?? '';
      if (e.to >= 0) {
        lines.push(`  b${b} -> b${e.to} [label="${e.kind}", ${style}];`);
        continue;
      }
      let name: string;
      if (e.kind === 'return') name = 'return';
      else if (e.callee >= 0) name = a.functions[e.callee]!.name;
      else name = e.address !== 0 ? `0x${e.address.toString(16)}` : 'unknown';
      const id = `x_${e.kind}_${name}`.replace(/[^A-Za-z0-9_]/g, '_');
      if (!external.has(id)) external.set(id, `  ${id} [shape=ellipse, label="${esc(name)}"];`);
      lines.push(`  b${b} -> ${id} [label="${e.kind}", ${style}];`);
    }
  }
  lines.push(...external.values());
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
