// Per-word register effects: the row's static Loc lists resolved against the instruction's fields,
// for liveness and dataflow analyses (integer registers are window-relative r0..r31).
import type { Instruction, Loc } from './types.ts';

/** A concrete location: 'r1'..'r31' (r0 is omitted: reads are constant, writes discarded),
 * 'f0'..'f63' (single-precision halves), 'icc', 'xcc', 'fcc', 'y', 'psr', 'wim', 'tbr', 'asrN',
 * 'fsr', 'fq', 'csr', 'cq', 'ccr', 'asi', 'fprs', 'pr', 'hpr', 'cN' (coprocessor), 'cwp', 'mem'. */
export type Place = string;

export interface Effects {
  readonly reads: readonly Place[];
  readonly writes: readonly Place[];
}

const fregx = (n: number): number => (n & ~1) | ((n & 1) << 5);

function resolve(loc: Loc, insn: Instruction, out: Set<Place>): void {
  const r = (n: number): void => {
    if (n !== 0) out.add(`r${n}`);
  };
  const f = (n: number, count: number): void => {
    for (let k = 0; k < count; k++) out.add(`f${n + k}`);
  };
  switch (loc) {
    case 'rs1': return r(insn.rs1);
    case 'rs2': return r(insn.rs2);
    case 'rd': return insn.row.mem?.width === 8 && insn.row.mem.file === 'int' ? r(insn.rd & ~1) : r(insn.rd);
    case 'rd2': return r(insn.rd | 1);
    case 'o7': return r(15);
    case 'frs1': return f(insn.rs1, 1);
    case 'frs2': return f(insn.rs2, 1);
    case 'frd': return f(insn.rd, 1);
    case 'drs1': return f(fregx(insn.rs1), 2);
    case 'drs2': return f(fregx(insn.rs2), 2);
    case 'drd': return f(fregx(insn.rd), 2);
    case 'qrs1': return f(fregx(insn.rs1) & ~3, 4);
    case 'qrs2': return f(fregx(insn.rs2) & ~3, 4);
    case 'qrd': return f(fregx(insn.rd) & ~3, 4);
    case 'crd': out.add(`c${insn.rd}`); return;
    case 'crd2': out.add(`c${insn.rd | 1}`); return;
    case 'asr': {
      // rd %asrN reads rs1's register, wr writes rd's; asr 0 is %y (V8 §B.28, B.29).
      const n = insn.op3 === 0x28 ? insn.rs1 : insn.op3 === 0x30 ? insn.rd : 18;
      out.add(n === 0 ? 'y' : `asr${n}`);
      return;
    }
    case 'asireg': out.add('asi'); return;
    default: out.add(loc);
  }
}

/** Concrete locations an instruction reads and writes (empty for unknown words). */
export function effects(insn: Instruction): Effects {
  const reads = new Set<Place>();
  const writes = new Set<Place>();
  for (const l of insn.row.reads) resolve(l, insn, reads);
  for (const l of insn.row.writes) resolve(l, insn, writes);
  if (insn.row.id === 'rdasr' && insn.rs1 === 15 && insn.rd === 0) reads.delete('asr15'); // stbar
  return { reads: [...reads], writes: [...writes] };
}
