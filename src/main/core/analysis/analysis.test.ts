// Unit tests of the structural analysis on hand-written SPARC code: CFG rules, tables, calls, liveness.
import { describe, expect, it } from 'vitest';
import { assemble } from '../sparc/index.ts';
import {
  AnalysisError, analyzeProgram, analyzeProgramAsync, contractCallGraph, contractFunctionDetail, functionDot, memoryCodeSource, toModel, wordsCodeSource,
  type AnalysisProgress, type ProgramAnalysis, type RegisterPolicy,
} from './index.ts';

const ORIGIN = 0x10000;

/** Assembles `src` at ORIGIN; every label listed in `fns` (default: .type'd functions) becomes a function symbol. */
function analyzeAsm(src: string, options: { fns?: string[]; entry?: string; policy?: RegisterPolicy; stripped?: boolean } = {}): ProgramAnalysis {
  const out = assemble(src, { origin: ORIGIN });
  const symbols = out.symbols
    .filter((s) => s.defined && s.section === '.text' && (options.fns ? options.fns.includes(s.name) : s.type === 'function'))
    .map((s) => ({ name: s.name, address: s.value, size: s.size ?? 0 }));
  const entry = options.entry === undefined ? null : out.symbols.find((s) => s.name === options.entry)!.value;
  const source = wordsCodeSource({ start: ORIGIN, words: out.words, symbols: options.stripped ? [] : symbols, entry });
  return analyzeProgram(source, options.policy === undefined ? {} : { policy: options.policy });
}

function addrOf(a: ProgramAnalysis, name: string): number {
  const f = a.functionByName(name);
  if (f === undefined) throw new Error(`no function ${name}`);
  return f.address;
}

function edgeKinds(a: ProgramAnalysis, addr: number): string[] {
  return a.edgesOf(a.blockAt(addr)).map((e) => e.kind).sort();
}

const live = (a: ProgramAnalysis, addr: number, when: 'before' | 'after' = 'before'): string[] => [...(a.query(addr, when)?.names ?? [])];

describe('basic blocks and delay slots', () => {
  it('keeps the delay slot with its branch and types the edges', () => {
    const a = analyzeAsm(`
      .global f
      .type f, #function
    f:
      cmp %o0, 0
      bne L1
       add %o1, 1, %o1
      mov 5, %o0
    L1:
      retl
       nop
      .size f, .-f
    `);
    const f = a.functionByName('f')!;
    expect(f.blocks.length).toBe(3);
    // Block 1: cmp, bne, slot.
    const b0 = a.blockRange(f.entryBlock);
    expect(b0.end - b0.start).toBe(12);
    expect(edgeKinds(a, ORIGIN)).toEqual(['not-taken', 'taken']);
    expect(edgeKinds(a, ORIGIN + 16)).toEqual(['return']);
    // %o1 is read by the slot, which runs on both paths.
    expect(live(a, ORIGIN)).toContain('%o1');
  });

  it('runs the slot of an annulled conditional branch only when it is taken', () => {
    const a = analyzeAsm(`
      .global f
      .type f, #function
    f:
      cmp %o0, 0
      bne,a L1
       mov 7, %o2
      mov %o2, %o0
    L1:
      retl
       add %o2, %o0, %o0
      .size f, .-f
    `);
    // Not taken: the slot is skipped and %o2 is read; taken: the slot writes %o2 first.
    expect(live(a, ORIGIN + 4)).toContain('%o2');
    expect(live(a, ORIGIN + 8)).not.toContain('%o2');
    expect(live(a, ORIGIN + 4, 'after')).toContain('%o2');
  });

  it('never runs the slot of ba,a: the next word starts another block', () => {
    const a = analyzeAsm(`
      .global f
      .type f, #function
    f:
      ba,a L1
      mov 1, %o0
    L1:
      retl
       nop
      .size f, .-f
    `);
    const f = a.functionByName('f')!;
    expect(a.blockRange(f.entryBlock)).toEqual({ start: ORIGIN, end: ORIGIN + 4 });
    expect(a.wordClass(ORIGIN + 4)).toBe('unreachable');
    expect(edgeKinds(a, ORIGIN)).toEqual(['taken']);
  });

  it('treats a DCTI couple conservatively', () => {
    const a = analyzeAsm(`
      .global f
      .type f, #function
    f:
      ba 1f
       ba 2f
      nop
    1: add %o0, 1, %o0
      add %o0, 100, %o0
    2: retl
       nop
      .size f, .-f
    `);
    const f = a.functionByName('f')!;
    expect(f.complex).toBe(true);
    expect(a.free(ORIGIN, 'before')!.names).toEqual([]);
  });
});

describe('calls, returns and tail calls', () => {
  const src = `
      .global f
      .type f, #function
    f:
      save %sp, -96, %sp
      call g
       mov %i0, %o0
      call h
       restore
      .size f, .-f
      .global g
      .type g, #function
    g:
      retl
       add %o0, 1, %o0
      .size g, .-g
      .global h
      .type h, #function
    h:
      sethi %hi(g), %g1
      jmp %g1 + %lo(g)
       nop
      .size h, .-h
  `;
  it('gives the contract views and a dot graph', () => {
    const a = analyzeAsm(src);
    const cg = contractCallGraph(a);
    expect(cg.nodes.map((n) => n.id)).toEqual(['f', 'g', 'h']);
    expect(cg.edges).toEqual(expect.arrayContaining([{ from: 'f', to: 'g', sites: 1 }, { from: 'h', to: 'g', sites: 1 }]));
    const d = contractFunctionDetail(a, 'f')!;
    expect(d.callees).toEqual(['g', 'h']);
    expect(d.cfg!.blocks[0]!.isEntry).toBe(true);
    expect(d.cfg!.edges.map((e) => e.kind)).toEqual(['call-return']);
    expect(d.cfg!.blocks[0]!.instructions[0]!.live).toContain('%o0');
    expect(contractFunctionDetail(a, 'nope')).toBeNull();
    expect(functionDot(a, a.functionByName('f')!.index)).toMatch(/^digraph "f" \{[\s\S]*b\d+ -> x_tail_call_h/);
  });

  it('finds calls, call + restore tail calls and sethi/jmp tail jumps', () => {
    const a = analyzeAsm(src);
    const kinds = a.callSites().map((s) => `${a.functions[s.caller]!.name}->${s.callee >= 0 ? a.functions[s.callee]!.name : '?'}:${s.kind}`);
    expect(kinds).toEqual(['f->g:call', 'f->h:tail-call', 'h->g:tail-call']);
    expect(edgeKinds(a, addrOf(a, 'f') + 4)).toEqual(['call', 'fall-through']);
    expect(edgeKinds(a, addrOf(a, 'f') + 12)).toEqual(['tail-call']);
    expect(edgeKinds(a, addrOf(a, 'h'))).toEqual(['tail-call']);
    expect(a.stats().unresolvedIndirectJumps).toBe(0);
  });

  it('computes summaries with window renaming', () => {
    const a = analyzeAsm(src);
    // g reads %o0 and passes everything else but %o0 through.
    const g = a.summary(a.functionByName('g')!.index);
    expect(g.gen.names).toEqual(['%o0', '%o7']);
    expect(g.passThrough.names).not.toContain('%o0');
    expect(g.passThrough.names).toContain('%l3');
    // f reads its %i0 = the caller's %o0; its own %l registers are invisible to the caller.
    const f = a.summary(a.functionByName('f')!.index);
    expect(f.gen.names).toContain('%o0');
    expect(f.gen.names).not.toContain('%l0');
    // Inside f (one window deeper) the caller's locals are hidden but stay live.
    const inF = a.query(addrOf(a, 'f') + 4)!;
    expect(inF.level).toBe(1);
    expect(inF.names).toContain('entry:%l0');
  });

  it('knows functions that never return and the struct-return unimp', () => {
    const a = analyzeAsm(`
      .global main
      .type main, #function
    main:
      save %sp, -96, %sp
      call mk
       add %fp, -8, %o0
      unimp 8
      call die
       nop
      mov 1, %i0
      ret
       restore
      .size main, .-main
      .global mk
      .type mk, #function
    mk:
      jmp %o7 + 12
       nop
      .size mk, .-mk
      .global die
      .type die, #function
    die:
      mov 1, %g1
    1: ta 0x10
      ba 1b
       nop
      .size die, .-die
    `);
    const main = addrOf(a, 'main');
    expect(a.wordClass(main + 12)).toBe('data'); // unimp 8: the struct size
    expect(a.analysed(main + 16)).toBe(true); // the return point is call + 12
    expect(a.functionByName('die')!.returns).toBe(false);
    expect(a.functionByName('main')!.returns).toBe(false);
    expect(a.wordClass(main + 24)).toBe('unreachable');
    expect(edgeKinds(a, main + 16)).toEqual(['call']);
    // The Linux system call reads %g1 and %o0-%o5.
    expect(live(a, addrOf(a, 'die') + 4)).toEqual(expect.arrayContaining(['%g1', '%o0', '%o5']));
  });

  it('finds functions from call targets in stripped code', () => {
    const a = analyzeAsm(`
    start:
      call sub
       nop
      mov 1, %g1
      ta 0x10
    sub:
      retl
       nop
    `, { entry: 'start', stripped: true });
    expect(a.functions.map((f) => f.source).sort()).toEqual(['call-target', 'entry']);
    // start calls sub, then (after the system call) falls into it.
    expect(a.callSites().map((s) => s.kind)).toEqual(['call', 'tail-call']);
  });
});

describe('switch tables', () => {
  it('resolves a GCC-style absolute table and marks its words as data', () => {
    const a = analyzeAsm(`
      .global f
      .type f, #function
    f:
      cmp %o0, 3
      bgu Ldef
       sethi %hi(Ltab), %g1
      sll %o0, 2, %o0
      or %g1, %lo(Ltab), %g1
      ld [%g1 + %o0], %g1
      jmp %g1
       nop
    L0: retl
       mov 10, %o0
    L1: retl
       mov 11, %o0
    L2: retl
       mov 12, %o0
    L3: retl
       mov 13, %o0
    Ldef: retl
       mov -1, %o0
      .size f, .-f
    Ltab:
      .word L0, L1, L2, L3
    `);
    expect(a.stats().jumpTables).toBe(1);
    expect(a.stats().jumpTableTargets).toBe(4);
    const jmp = addrOf(a, 'f') + 24;
    expect(a.edgesOf(a.blockAt(jmp)).filter((e) => e.kind === 'indirect')).toHaveLength(4);
    const tab = addrOf(a, 'f') + 72;
    for (let k = 0; k < 4; k++) expect(a.wordClass(tab + 4 * k)).toBe('data');
    // Liveness flows from every case back to the jump.
    expect(live(a, jmp)).toContain('%g1');
  });

  it('resolves the PIC form through a pc thunk and a frame slot', () => {
    const a = analyzeAsm(`
      .global f
      .type f, #function
    f:
      save %sp, -104, %sp
      sethi %hi(Ltab - 1f), %l7
    1: call thunk
       add %l7, %lo(Ltab - 1b), %l7
      st %l7, [%fp - 4]
      cmp %i0, 2
      bgu Ldef
       nop
      ld [%fp - 4], %g2
      sll %i0, 2, %g1
      ld [%g2 + %g1], %g1
      jmp %g2 + %g1
       nop
    La: ret
       restore %g0, 1, %o0
    Lb: ret
       restore %g0, 2, %o0
    Lc: ret
       restore %g0, 3, %o0
    Ldef: ret
       restore %g0, -1, %o0
      .size f, .-f
    thunk:
      retl
       add %o7, %l7, %l7
    Ltab:
      .word La - Ltab, Lb - Ltab, Lc - Ltab
    `, { fns: ['f', 'thunk'] });
    expect(a.stats().jumpTables).toBe(1);
    expect(a.stats().jumpTableTargets).toBe(3);
    expect(a.stats().unresolvedIndirectJumps).toBe(0);
  });
});

describe('loops and dominators', () => {
  it('finds nested natural loops', () => {
    const a = analyzeAsm(`
      .global f
      .type f, #function
    f:
      mov 0, %o2
    Louter:
      mov 0, %o3
    Linner:
      add %o3, 1, %o3
      cmp %o3, 10
      bl Linner
       add %o2, %o3, %o2
      subcc %o0, 1, %o0
      bne Louter
       nop
      retl
       mov %o2, %o0
      .size f, .-f
    `);
    const f = a.functionByName('f')!;
    const loops = a.loops(f.index).loops;
    expect(loops.map((l) => l.depth).sort()).toEqual([1, 2]);
    const inner = loops.find((l) => l.depth === 2)!;
    expect(loops[inner.parent]!.depth).toBe(1);
    const d = a.dominators(f.index);
    expect(d.idom[0]).toBe(f.entryBlock);
  });
});

describe('sources, progress and cancellation', () => {
  const src = `
      .global f
      .type f, #function
    f:
      retl
       nop
      nop
      .size f, .-f
      .global g
      .type g, #function
    g:
      retl
       nop
      .size g, .-g
  `;
  it('sees spliced code through a memory-backed source', () => {
    const out = assemble(src, { origin: ORIGIN });
    const mem = new Map<number, number>();
    out.words.forEach((w, i) => mem.set(ORIGIN + 4 * i, w));
    const layout = wordsCodeSource({ start: ORIGIN, words: out.words, symbols: [{ name: 'f', address: ORIGIN, size: 12 }, { name: 'g', address: ORIGIN + 12, size: 8 }] });
    const memory = { readWord: (addr: number) => mem.get(addr) ?? 0 };
    expect(analyzeProgram(memoryCodeSource(memory, layout)).callSites()).toHaveLength(0);
    // Splice: f's first instruction becomes `call g` (the retl moves into its slot's place).
    mem.set(ORIGIN, (0x40000000 | 3) >>> 0);
    mem.set(ORIGIN + 4, 0x01000000);
    mem.set(ORIGIN + 8, 0x81c3e008);
    const after = analyzeProgram(memoryCodeSource(memory, layout));
    expect(after.callSites().map((s) => s.kind)).toEqual(['call']);
  });

  it('reports progress up to 1 and stops when cancelled', async () => {
    const out = assemble(src, { origin: ORIGIN });
    const source = wordsCodeSource({ start: ORIGIN, words: out.words, symbols: [{ name: 'f', address: ORIGIN }] });
    const seen: AnalysisProgress[] = [];
    analyzeProgram(source, { onProgress: (p) => seen.push(p) });
    expect(seen.at(-1)).toEqual({ phase: 'done', fraction: 1 });
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.fraction).toBeGreaterThanOrEqual(seen[i - 1]!.fraction);
    const token = { aborted: false };
    const p = analyzeProgramAsync(source, { signal: token, onProgress: (q) => { if (q.phase === 'cfg') token.aborted = true; } });
    await expect(p).rejects.toThrow(AnalysisError);
    await expect(analyzeProgramAsync(source, { signal: { aborted: true } })).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('serialises to JSON', () => {
    const a = analyzeAsm(src);
    const m = toModel(a);
    const back = JSON.parse(JSON.stringify(m)) as typeof m;
    expect(back).toEqual(m);
    expect(back.functions.map((f) => f.name)).toEqual(['f', 'g']);
    expect(back.blocks[0]!.instructions[0]!.text).toBe('retl');
  });
});
