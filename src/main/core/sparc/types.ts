// The shared contract of the SPARC module: table rows, decoded instructions and their traits.
//
// One declarative table (table.ts) drives the decoder, the encoder, the objdump-syntax formatter,
// the assembler (asm/) and the emulator. Two kinds of rows:
//   - InstrRow ("base row"): one real instruction encoding class. Within one mode no two base rows
//     overlap, so a word decodes to at most one base row. It carries the semantics key (`exec`) and
//     the static traits (registers, condition codes, memory, control flow) the emulator and the
//     analyses consume.
//   - AliasRow ("form"): a way of writing a base row, either a syntactic variant of the real
//     mnemonic (`ld [%o0], %o1` for rs2 = %g0) or a synthetic instruction (`mov`, `clr`, `cmp`,
//     `ret`, `nop`, ...). Forms refine their base row (more fixed bits) and are kept in GNU objdump's
//     preference order, so the first applicable form is the one objdump prints.

/** Decoding mode. 'v8' is plain EM_SPARC (objdump mask V8 + LEON); 'v9'/'v9a' are EM_SPARC32PLUS
 * objects without / with the UltraSPARC-1 flag (e_flags 0x100 / 0x300: V8+ / V8+A). */
export type Mode = 'v8' | 'v9' | 'v9a';

/** Bit of each mode in the `modes` masks of rows. */
export const MODE_BIT: Readonly<Record<Mode, number>> = { v8: 1, v9: 2, v9a: 4 };

/** All modes. */
export const ALL_MODES = 7;

/** The ISA level that defines a row: SPARC V8, the LEON/SPARClite extras objdump accepts for plain
 * 32-bit ELF (casa, umac, smac, pwr), or the V9 / V9A (VIS 1) instructions found in V8+ code. */
export type Isa = 'v8' | 'leon' | 'v9' | 'v9a';

/** Instruction format (SPARC V8 manual §5.2 / V9 §6.2). */
export type Format =
  | 'call' //  op=1: disp30
  | 'sethi' // op=0 op2=4: rd, imm22
  | 'unimp' // op=0 op2=0: const22 (V9 illtrap)
  | 'bicc' //  op=0 op2=2/6/7: a, cond, disp22 (Bicc, FBfcc, CBccc)
  | 'bpcc' //  op=0 op2=1/5: a, cond, cc, p, disp19 (V9 BPcc, FBPfcc)
  | 'bpr' //   op=0 op2=3: a, rcond, p, rs1, disp16 (V9 BPr)
  | 'reg' //   op=2/3 with i=0: rd, rs1, asi/reserved, rs2
  | 'imm' //   op=2/3 with i=1: rd, rs1, simm13 (or a shorter immediate)
  | 'fpop'; // op=2 op3=0x34..0x37 (FPop1/FPop2/CPop/IMPDEP): rd, rs1, opf, rs2

/** Names of the instruction fields. Positions are fixed by the architecture (see fields.ts). */
export type FieldName =
  | 'rd' //      29:25
  | 'rs1' //     18:14
  | 'rs2' //     4:0
  | 'i' //       13
  | 'asi' //     12:5  (also the reserved bits of register forms)
  | 'simm13' //  12:0  signed
  | 'imm22' //   21:0  (sethi; unimp const22)
  | 'disp22' //  21:0  signed word displacement
  | 'disp19' //  18:0  signed word displacement (V9)
  | 'disp16' //  21:20 + 13:0 signed word displacement (V9 BPr)
  | 'disp30' //  29:0  signed word displacement (call)
  | 'a' //       29    annul
  | 'cond' //    28:25
  | 'rcond' //   27:25 (BPr) — movr/fmovr keep theirs in 12:10, see 'mrcond'
  | 'p' //       19    prediction (V9)
  | 'bcc' //     21:20 cc1 cc0 of BPcc / FBPfcc
  | 'opf' //     13:5
  | 'x' //       12    64-bit shift (V9)
  | 'shcnt' //   5:0   shift count (5 bits on V8, 6 with x=1)
  | 'simm11' //  10:0  signed (V9 movcc)
  | 'simm10' //  9:0   signed (V9 movr)
  | 'mcond' //   17:14 (V9 movcc / fmovcc)
  | 'mcc' //     18 + 12:11 cc2 cc1 cc0 of movcc, packed as cc2<<2 | cc1<<1 | cc0
  | 'mrcond' //  12:10 (V9 movr / fmovr)
  | 'tcc' //     12:11 (V9 Tcc cc1 cc0)
  | 'fccn' //    26:25 (V9 fcmp target %fccN)
  | 'membar' //  6:0   (V9 membar mmask|cmask)
  | 'imm3'; //   2:0   (siam)

/** A location an instruction reads or writes. Register operands name the instruction field that
 * selects the register; the rest are machine state. `rd2` is the odd register of an rd pair
 * (ldd/std, §B.1 of the V8 manual); `drd` etc. are double/quad FP registers (V9 5-bit encoding).
 * 'o7' is the %o7 written by `call`. 'asr' is the ancillary state register selected by the
 * instruction (rs1 for rd, rd for wr); asr 0 is %y — see effects.ts for the resolved set. */
export type Loc =
  | 'rs1' | 'rs2' | 'rd' | 'rd2' | 'o7'
  | 'frs1' | 'frs2' | 'frd'
  | 'drs1' | 'drs2' | 'drd'
  | 'qrs1' | 'qrs2' | 'qrd'
  | 'crd' | 'crd2'
  | 'icc' | 'xcc' | 'fcc' | 'y'
  | 'psr' | 'wim' | 'tbr' | 'asr'
  | 'fsr' | 'fq' | 'csr' | 'cq'
  | 'ccr' | 'asireg' | 'fprs' | 'gsr' | 'pr' | 'hpr'
  | 'cwp' //  the register window (save/restore/rett change it)
  | 'mem';

/** What control transfer an instruction performs. */
export type Control =
  | 'none'
  | 'branch' //  pc-relative conditional or unconditional branch (Bicc, FBfcc, CBccc, BPcc, BPr)
  | 'call' //    call disp30
  | 'jmpl' //    register-indirect jump (jmpl; also ret/retl/jmp/indirect call forms)
  | 'rett' //    return from trap (V8 rett) / V9 return
  | 'trap' //    Ticc (conditional software trap)
  | 'done'; //   V9 done/retry

/** Memory access of a load/store-class instruction. */
export interface MemAccess {
  /** load, store, atomic (ldstub, swap, cas: read and write), prefetch or flush. */
  readonly kind: 'load' | 'store' | 'atomic' | 'prefetch' | 'flush';
  /** Access width in bytes (16 for quad, 0 for prefetch/flush). */
  readonly width: 0 | 1 | 2 | 4 | 8 | 16;
  /** Sign-extends the loaded value (ldsb, ldsh, ldsw). */
  readonly signed: boolean;
  /** Uses an alternate address space (the *a forms): the asi field, or %asi when i=1 (V9). */
  readonly alternate: boolean;
  /** Which register file the data goes to / comes from. */
  readonly file: 'int' | 'fp' | 'cp' | 'fsr' | 'csr' | 'fq' | 'cq';
}

/** A base row: one real instruction encoding class (see the file comment). */
export interface InstrRow {
  /** Unique id, e.g. 'ld.r' (register form) / 'ld.i' (immediate form) / 'bicc'. */
  readonly id: string;
  /** The real (V8 manual, else V9 manual) mnemonic, e.g. 'ld', 'bicc', 'fadds'. */
  readonly mnemonic: string;
  /** Key of the emulator's semantics handler (shared by the .r/.i rows of one instruction). */
  readonly exec: string;
  readonly format: Format;
  /** Fixed bits: a word w is this row iff (w & mask) === match (unsigned 32-bit values). */
  readonly match: number;
  readonly mask: number;
  /** Variable fields, in the order the assembler's canonical syntax mentions them. */
  readonly fields: readonly FieldName[];
  /** Bits neither fixed by `mask` nor covered by `fields` (reserved bits objdump ignores). */
  readonly reservedMask: number;
  /** Canonical operand syntax (the generic form's syntax, see AliasRow.syntax). */
  readonly syntax: string;
  readonly isa: Isa;
  /** Modes in which the row decodes (MODE_BIT mask). */
  readonly modes: number;
  /** Delayed control transfer: the next instruction (delay slot) executes before the target. */
  readonly delayed: boolean;
  /** Has an annul bit (Bicc/FBfcc/CBccc/BPcc/BPr). */
  readonly annullable: boolean;
  readonly control: Control;
  /** Privileged (traps with privileged_instruction in user mode). */
  readonly privileged: boolean;
  /** Locations read / written (static; see effects.ts for per-word resolution). */
  readonly reads: readonly Loc[];
  readonly writes: readonly Loc[];
  readonly mem: MemAccess | null;
  /** Forms of this row in objdump preference order (all modes; filter by AliasRow.modes). */
  readonly forms: readonly AliasRow[];
}

/** A form (syntactic variant or synthetic alias) of a base row. */
export interface AliasRow {
  /** Printed mnemonic including ",a" / ",pt" / ",pn" suffixes, e.g. 'bne,a', 'mov', 'ld'. */
  readonly name: string;
  /** 'variant' keeps the real mnemonic; 'synthetic' is an assembler synthetic (mov, clr, ...). */
  readonly kind: 'variant' | 'synthetic';
  /** Fixed bits of this form (a refinement of the base row's). */
  readonly match: number;
  readonly mask: number;
  /** Operand syntax: space-separated tokens, see format.ts (e.g. '[ rs1 + simm13 ] , rd'). */
  readonly syntax: string;
  /** The form applies only when this register field equals rd (objdump 'r' / 'O' operands). */
  readonly tie: 'rs1' | 'rs2' | null;
  /** Modes in which objdump knows this form (MODE_BIT mask). */
  readonly modes: number;
  /** objdump F_ALIAS: defers to a non-alias form with the same fixed bits. */
  readonly deferred: boolean;
  /** objdump F_PREFERRED: the preferred one among aliases with the same fixed bits. */
  readonly preferred: boolean;
  /** objdump's F_DELAYED for this form (decides whether its "! address" comment looks past a delay
   * slot). Equals base.delayed except for V9 `return` and `iprefetch`, which objdump leaves unset. */
  readonly objdumpDelayed: boolean;
  /** objdump's "! address" comment after a preceding sethi: the immediate is or'ed / added to it. */
  readonly sethiComment: 'or' | 'add' | null;
  /** objdump's match/lose of the row this form comes from; only used for preference order. */
  readonly sortMatch: number;
  readonly sortLose: number;
  /** Declaration index in the table modules, which follow sparc-opc.c's order: GNU as tries the
   * forms of one mnemonic in this order. */
  readonly seq: number;
  /** The base row this form refines. */
  readonly base: InstrRow;
}

/** A decoded instruction. Field getters read the raw word (see fields.ts for the bit layout). */
export interface Instruction {
  /** The instruction word (unsigned 32-bit). */
  readonly word: number;
  /** The base row, or UNKNOWN_ROW (exec 'unknown') when the word is no instruction in `mode`. */
  readonly row: InstrRow;
  readonly mode: Mode;
  readonly op: number;
  readonly op2: number;
  readonly op3: number;
  readonly rd: number;
  readonly rs1: number;
  readonly rs2: number;
  readonly i: number;
  readonly asi: number;
  readonly simm13: number;
  readonly imm22: number;
  /** Sign-extended word displacements (multiply by 4 for bytes). */
  readonly disp22: number;
  readonly disp19: number;
  readonly disp16: number;
  readonly disp30: number;
  /** Annul bit. */
  readonly a: number;
  readonly cond: number;
  readonly rcond: number;
  readonly p: number;
  readonly bcc: number;
  readonly opf: number;
  readonly x: number;
  readonly shcnt: number;
  readonly simm11: number;
  readonly simm10: number;
  readonly mcond: number;
  readonly mcc: number;
  readonly mrcond: number;
  readonly tcc: number;
  readonly fccn: number;
  readonly membar: number;
  readonly imm3: number;
}

/** Values for encode(): any subset of the fields; missing fields are 0. */
export type FieldValues = Partial<Record<FieldName, number>> & { readonly reserved?: number };

/** Turns an absolute target address into objdump's text, e.g. '4010 <foo+0x10>'. The address may
 * lie outside 0..2^32-1 when a displacement wraps (objdump computes it in 64 bits). */
export type AddressPrinter = (address: number) => string;
