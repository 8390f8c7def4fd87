// Builds a patch: the snippets of one site around the displaced instruction(s), relocated so that
// every PC-relative field still reaches its target and delay-slot semantics hold (V8 §4.4, §B.21
// "delayed control transfer"), then the way back into the original code.
//
// Layouts (Q = site, S = the delay slot at Q+4, T = transfer target, X = address in the patch):
//   plain I:            [before] I [after] → Q+4
//   ba S / bn S:        [before] [slot] S [taken | not-taken] → T | Q+8
//   ba,a / bn,a:        [before] [taken | not-taken] → T | Q+8          (the slot never runs)
//   b<cond>[,a] S:      compact, without slot/edge snippets: [before] b<cond>[,a] T; S; → Q+8
//                       expanded: [before] b<cond> Lt; nop; [a=0: [slot] S] [not-taken] → Q+8
//                                 Lt: [slot] S [taken] → T
//   call T; S:          [before] %o7 ← Q; [slot] S → T                  (the callee returns to Q+8)
//                       with 'return' snippets: [before] [slot] call T; S; [return] → Q+8
//   jmpl a, rd; S:      [before] [slot] jmpl a, rd; S  (rd = %g0: ret, retl, jmp)
//                       rd ≠ %g0: [before] rd ← Q; [slot] jmpl a, %g0; S (returns to Q+8), or the
//                       jmpl relocated with rd kept and [return] → Q+8 when it has 'return' snippets.
// "→ A" is `ba,a A` when A is within ±8 MB, else `save; sethi %hi(A), %l0; jmpl %l0+%lo(A); restore`.
import type { Snippet } from '../../../shared/snippet/index.ts';
import { decode, encodeChecked, ROW_BY_ID, type Instruction } from '../sparc/index.ts';
import { CodeBuffer, COND, G0, O7 } from './emit.ts';
import { SnippetCompiler, type DataResolver, type GeneratedSnippet, type PointContext, type TargetModel } from './codegen.ts';
import { SpliceError } from './errors.ts';
import type { Placement } from './points.ts';

export interface PlacedSnippet {
  readonly placement: Placement;
  readonly snippet: Snippet;
  readonly context: PointContext;
  readonly data: DataResolver;
  /** Owner id (for messages). */
  readonly id: string;
}

export interface BuiltPatch {
  readonly origin: number;
  readonly words: Uint32Array;
  readonly roles: readonly string[];
  readonly sources: readonly (number | null)[];
  /** Addresses the patch may leave to (the original code's continuation points). */
  readonly exits: readonly number[];
  readonly generated: readonly (GeneratedSnippet & { readonly id: string; readonly start: number; readonly end: number; readonly placement: Placement; readonly context: PointContext })[];
  /** Absolute addresses of assert-stop instructions (to register as breakpoints). */
  readonly stops: readonly number[];
  /** Words of the original code this patch stands for (site, and slot when relocated). */
  readonly displaced: readonly number[];
}

function hex(a: number): string {
  return (a >>> 0).toString(16);
}

/** Jumps to the absolute address `to`: `ba,a` in reach, else through a fresh window. */
function jumpTo(b: CodeBuffer, to: number): void {
  const disp = ((to - b.here) | 0) / 4;
  if (disp >= -(2 ** 21) && disp < 2 ** 21) {
    const l = b.newLabel('ret');
    b.bindAbsolute(l, to);
    b.branch(COND.a, true, l);
    return;
  }
  b.save();
  b.sethi(to, 16);
  b.op('jmpl.i', { rd: 0, rs1: 16, i: 1, simm13: to & 0x3ff });
  b.restore();
}

export function buildPatch(origin: number, site: number, readWord: (a: number) => number, target: TargetModel, placed: readonly PlacedSnippet[]): BuiltPatch {
  const b = new CodeBuffer(origin);
  const insn: Instruction = decode(readWord(site), 'v8');
  const exits: number[] = [];
  const generated: BuiltPatch['generated'][number][] = [];
  const stopLabels: string[] = [];
  const at = (p: Placement): PlacedSnippet[] => placed.filter((s) => s.placement === p);
  const emit = (p: Placement, exclude: readonly number[] = []): void => {
    for (const s of at(p)) {
      const ctx: PointContext = exclude.length === 0 ? s.context : { ...s.context, free: s.context.free.filter((r) => !exclude.includes(r)) };
      const start = b.words.length;
      const g = new SnippetCompiler(b, target, ctx, s.data).compile(s.snippet);
      generated.push({ ...g, id: s.id, start, end: b.words.length, placement: p, context: ctx });
      stopLabels.push(...g.stopLabels);
    }
  };
  const displaced = (addr: number, word?: number): void => {
    b.role = 'displaced';
    b.word(word ?? readWord(addr), addr);
    b.role = 'snippet';
  };
  const leave = (to: number): void => {
    b.role = 'glue';
    jumpTo(b, to);
    b.role = 'snippet';
    exits.push(to >>> 0);
  };
  const glue = (f: () => void): void => {
    b.role = 'glue';
    f();
    b.role = 'snippet';
  };
  const has = (p: Placement): boolean => at(p).length > 0;
  const slotAddr = (site + 4) >>> 0;
  const next = (site + 8) >>> 0;
  const c = insn.row.control;
  const words: number[] = [site];

  if (!insn.row.delayed) {
    if (has('slot') || has('taken') || has('not-taken') || has('return')) throw new SpliceError('unsafe-point', `0x${hex(site)}: only before/after points at a non-transfer instruction`);
    emit('before');
    displaced(site);
    emit('after');
    leave((site + 4) >>> 0);
  } else if (c === 'branch') {
    const t = (site + 4 * insn.disp22) >>> 0;
    const annul = insn.a === 1;
    const always = insn.cond === COND.a;
    const never = insn.cond === COND.n;
    emit('before');
    if (always || never) {
      if (!annul) {
        emit('slot');
        displaced(slotAddr);
        words.push(slotAddr);
      }
      emit(always ? 'taken' : 'not-taken');
      leave(always ? t : next);
    } else if (!has('slot') && !has('taken') && !has('not-taken') && Math.abs(((t - b.here) | 0) / 4) < 2 ** 21 - 16) {
      const tl = b.newLabel('T');
      b.bindAbsolute(tl, t);
      b.role = 'displaced';
      const w = b.words.length;
      b.branch(insn.cond, annul, tl);
      b.sources[w] = site;
      displaced(slotAddr);
      words.push(slotAddr);
      exits.push(t);
      leave(next);
    } else {
      const lt = b.newLabel('taken');
      glue(() => {
        b.branch(insn.cond, false, lt);
        b.nop();
      });
      if (!annul) {
        emit('slot');
        displaced(slotAddr);
      }
      emit('not-taken');
      leave(next);
      b.bind(lt);
      emit('slot');
      displaced(slotAddr);
      words.push(slotAddr);
      emit('taken');
      leave(t);
    }
  } else if (c === 'call') {
    const t = (site + 4 * insn.disp30) >>> 0;
    emit('before');
    if (has('return')) {
      emit('slot');
      const l = b.newLabel('callee');
      b.bindAbsolute(l, t);
      b.role = 'displaced';
      const w = b.words.length;
      b.call(l);
      b.sources[w] = site;
      displaced(slotAddr);
      emit('return');
      leave(next);
      exits.push(t);
    } else {
      glue(() => {
        b.sethi(site, O7);
        b.alu('or', O7, { imm: site & 0x3ff }, O7);
      });
      emit('slot', [O7]);
      displaced(slotAddr);
      leave(t);
    }
    words.push(slotAddr);
  } else if (c === 'jmpl') {
    const reads = [insn.rs1, ...(insn.i === 0 ? [insn.rs2] : [])];
    emit('before');
    if (insn.rd === G0) {
      emit('slot', reads);
      displaced(site);
      displaced(slotAddr);
    } else if (has('return') || reads.includes(insn.rd)) {
      if (has('return') && decode(readWord(slotAddr), 'v8').row.reads.length > 0 && readsReg(decode(readWord(slotAddr), 'v8'), insn.rd)) {
        throw new SpliceError('unsafe-point', `0x${hex(site)}: the delay slot reads ${insn.rd}, which a relocated jmpl would change`);
      }
      emit('slot', [...reads, insn.rd]);
      displaced(site);
      displaced(slotAddr);
      emit('return');
      leave(next);
    } else {
      glue(() => {
        b.sethi(site, insn.rd);
        b.alu('or', insn.rd, { imm: site & 0x3ff }, insn.rd);
      });
      emit('slot', [...reads, insn.rd]);
      displaced(site, encodeChecked(ROW_BY_ID.get(insn.i === 1 ? 'jmpl.i' : 'jmpl.r')!, { rd: 0, rs1: insn.rs1, ...(insn.i === 1 ? { i: 1, simm13: insn.simm13 & 0x1fff } : { i: 0, rs2: insn.rs2 }) }));
      displaced(slotAddr);
    }
    words.push(slotAddr);
  } else {
    throw new SpliceError('unsafe-point', `0x${hex(site)}: cannot relocate ${insn.row.mnemonic}`);
  }
  const out = b.finish();
  return {
    origin, words: out, roles: [...b.roles], sources: [...b.sources], exits, generated,
    stops: stopLabels.map((l) => b.addressOf(l)), displaced: words,
  };
}

function readsReg(i: Instruction, r: number): boolean {
  return (i.row.reads.includes('rs1') && i.rs1 === r) || (i.row.reads.includes('rs2') && i.i === 0 && i.rs2 === r) || (i.row.reads.includes('rd') && i.rd === r);
}
