// The verifier of generated patches: runs before any byte reaches guest memory. A rejection names
// the rule and the instruction.
//
// Rules:
//   decode      every word is a V8 instruction;
//   registers   snippet code writes only the point's free registers, or registers of its own fresh
//               window, or globals / %y it saved and restores; icc only when free;
//   window      save/restore balanced: one fresh window at most, closed on every path;
//   store       stores only to the instrumentation's own data (per-CPU blocks, flags, and the hot
//               window: [%asr17 + o − (NWINDOWS−1)] or, CPU 0's copy, a constant address in it);
//   branch      branches only forward, inside their snippet, or to the patch's exits;
//   jmpl        indirect jumps only through the snippet's own jump tables (forward `ba,a`s);
//   call        calls only to allow-listed functions, from a fresh window;
//   privileged  no traps, rett, or writes of PSR/WIM/TBR;
//   displaced   displaced words are the original instructions (PC-relative fields relocated to the
//               same targets);
//   return      the patch ends in an unconditional transfer: every path returns to the original code.
import { decode, type Instruction } from '../sparc/index.ts';
import type { TargetModel } from './codegen.ts';
import type { BuiltPatch } from './relocate.ts';

export interface VerifyRejection {
  readonly rule: 'decode' | 'registers' | 'window' | 'store' | 'branch' | 'jmpl' | 'call' | 'privileged' | 'displaced' | 'return';
  readonly address: number;
  readonly instruction: string;
  readonly message: string;
}

/** Abstract value of a register: an interval, possibly plus this CPU's data offset. */
interface AVal {
  readonly lo: number;
  readonly hi: number;
  readonly percpu: boolean;
  /** A value read from %asr17 (the CPU index in bits 31..28). */
  readonly config?: boolean;
}

const TOP: AVal | null = null;

function hex(a: number): string {
  return (a >>> 0).toString(16);
}

function writesRd(i: Instruction): boolean {
  return i.row.writes.includes('rd');
}

export function verifyPatch(patch: BuiltPatch, target: TargetModel, original: (addr: number) => number): VerifyRejection[] {
  const out: VerifyRejection[] = [];
  const words = patch.words;
  const end = (patch.origin + 4 * words.length) >>> 0;
  const dataLo = target.data.base >>> 0;
  const blockSize = target.data.strideLog2 === 28 ? 2 ** 20 : 2 ** target.data.strideLog2;
  const bias = target.data.strideLog2 === 28 ? (target.data.nwindows ?? 8) - 1 : 0;
  // Hot data: CPU k's window is k·2^28 + [start, end); %asr17 is k << 28 plus NWINDOWS−1.
  const hot = target.data.hot ?? null;
  const asrLow = (target.data.nwindows ?? 8) - 1;
  const allowedCalls = new Set([...target.allowedCalls.values()].map((a) => a >>> 0));
  const exits = new Set(patch.exits.map((a) => a >>> 0));
  const addrOf = (k: number): number => (patch.origin + 4 * k) >>> 0;
  const fail = (rule: VerifyRejection['rule'], k: number, message: string): void => {
    const i = decode(words[k]!, 'v8');
    out.push({ rule, address: addrOf(k), instruction: `${i.row.mnemonic} (0x${words[k]!.toString(16).padStart(8, '0')})`, message });
  };
  const branchTarget = (k: number, i: Instruction): number => (addrOf(k) + 4 * (i.row.control === 'call' ? i.disp30 : i.disp22)) >>> 0;

  // ---- displaced and glue words ---------------------------------------------------------------
  for (let k = 0; k < words.length; k++) {
    const i = decode(words[k]!, 'v8');
    if (i.row.id === 'unknown') {
      fail('decode', k, 'not a SPARC V8 instruction');
      continue;
    }
    const role = patch.roles[k];
    if (role === 'displaced') {
      const src = patch.sources[k]!;
      const o = decode(original(src), 'v8');
      if (o.row.control === 'branch' || o.row.control === 'call') {
        const want = (src + 4 * (o.row.control === 'call' ? o.disp30 : o.disp22)) >>> 0;
        const same = i.row.id === o.row.id && (o.row.control === 'call' || (i.cond === o.cond && i.a === o.a));
        if (!same || branchTarget(k, i) !== want) fail('displaced', k, `relocated transfer from 0x${hex(src)} must reach 0x${hex(want)}`);
      } else if (i.word !== o.word) {
        const jmplRedirect = o.row.control === 'jmpl' && i.row.control === 'jmpl' && i.rd === 0 && i.rs1 === o.rs1 && i.i === o.i && (i.i === 1 ? i.simm13 === o.simm13 : i.rs2 === o.rs2);
        if (!jmplRedirect) fail('displaced', k, `displaced word differs from the original at 0x${hex(src)}`);
      }
    }
    if (role === 'glue' || role === 'displaced') {
      if ((i.row.control === 'branch' || i.row.control === 'call') && role === 'glue') {
        const t = branchTarget(k, i);
        const inside = t > addrOf(k) && t < end;
        if (!inside && !exits.has(t)) fail('branch', k, `glue transfer to 0x${hex(t)} is neither inside the patch nor a return point`);
      }
    }
  }

  // ---- snippet code ------------------------------------------------------------------------------
  for (const g of patch.generated) {
    const free = new Set(g.context.free);
    const tables = new Map(g.jumpTables.map((t) => [t.jmpl, t]));
    const tableWords = new Set(g.jumpTables.flatMap((t) => Array.from({ length: t.entries }, (_, e) => t.table + e)));
    const stop = addrOf(g.end);
    let level = 0;
    const savedG = new Map<number, number>(); // local → global it holds
    let ySaved = -1;
    const val = new Map<number, AVal | null>();
    const get = (r: number): AVal | null => (r === 0 ? { lo: 0, hi: 0, percpu: false } : val.get(r) ?? TOP);
    for (let k = g.start; k < g.end; k++) {
      const i = decode(words[k]!, 'v8');
      const row = i.row;
      const a = addrOf(k);
      if (row.id === 'unknown') continue;
      if (row.control === 'trap' || row.control === 'rett' || row.id.startsWith('wrpsr') || row.id.startsWith('wrwim') || row.id.startsWith('wrtbr')) {
        fail('privileged', k, 'snippets may not trap or change trap state');
        continue;
      }
      // window discipline
      if (row.exec === 'save') {
        if (level !== 0) fail('window', k, 'nested save');
        else if (!(i.rs1 === 14 && i.rd === 14 && i.i === 1 && i.simm13 <= -96)) fail('window', k, 'a fresh window must be `save %sp, -N, %sp` with N ≥ 96');
        level = 1;
        val.clear();
        continue;
      }
      if (row.exec === 'restore') {
        if (level !== 1) fail('window', k, 'restore without a matching save');
        if (i.rd !== 0) fail('window', k, 'restore must not write a register');
        level = 0;
        continue;
      }
      // control
      if (row.control === 'branch') {
        const t = branchTarget(k, i);
        if (tableWords.has(k)) {
          if (!(i.cond === 8 && i.a === 1 && t > a && t <= stop)) fail('jmpl', k, 'jump-table entries must be forward ba,a inside the snippet');
        } else if (!(t > a && t <= stop)) fail('branch', k, `branch to 0x${hex(t)}: snippets only branch forward inside themselves`);
        continue;
      }
      if (row.control === 'call') {
        const t = branchTarget(k, i);
        if (!allowedCalls.has(t)) fail('call', k, `call to 0x${hex(t)}, which is not an allow-listed function`);
        if (level !== 1) fail('call', k, 'calls must be made from a fresh window');
        continue;
      }
      if (row.control === 'jmpl') {
        if (!tables.has(k) || i.rd !== 0) fail('jmpl', k, 'indirect jumps are only allowed through the snippet\'s jump tables');
        continue;
      }
      // condition codes and %y
      if (row.writes.includes('icc') && !g.context.iccFree) fail('registers', k, 'writes the condition codes, which are live here');
      if (row.id === 'rdasr' && i.rs1 === 0) ySaved = i.rd;
      if (row.writes.includes('y') || (row.exec === 'wrasr' && i.rd === 0)) {
        if (!g.context.yFree && ySaved < 0) fail('registers', k, 'writes %y, which is live here and was not saved');
      }
      // stores
      if (row.mem !== null && (row.mem.kind === 'store' || row.mem.kind === 'atomic')) {
        const base = get(i.rs1);
        const off = i.i === 1 ? i.simm13 : null;
        const idx = i.i === 0 ? get(i.rs2) : { lo: off!, hi: off!, percpu: false };
        const width = row.mem.width;
        // [%asr17 + simm13]: this CPU's hot window (the value is k << 28 | NWINDOWS−1, nothing else).
        const hotOk = hot !== null && base?.config === true && off !== null && off + asrLow >= hot.start && off + asrLow + width <= hot.end;
        const ok = hotOk || (base !== null && idx !== null && base.config !== true && idx.config !== true && !(base.percpu && idx.percpu) && (() => {
          const lo = base.lo + idx.lo;
          const hi = base.hi + idx.hi + width;
          // A constant address in CPU 0's hot window is its own data too (one CPU: [%g0 + o]).
          const inHot = hot !== null && !base.percpu && !idx.percpu && lo >= hot.start && hi <= hot.end;
          return inHot || (lo >= dataLo && hi <= dataLo + blockSize);
        })());
        if (!ok) fail('store', k, 'stores only to the instrumentation\'s own data');
        continue;
      }
      // register writes
      if (writesRd(i) && i.rd !== 0) {
        const rd = i.rd;
        let allowed: boolean;
        if (level === 0) allowed = free.has(rd);
        else if (rd >= 8 && rd < 24) allowed = rd !== 14;
        else if (rd >= 24) allowed = free.has(rd - 16);
        else allowed = free.has(rd) || (row.exec === 'or' && i.rs1 === 0 && i.i === 0 && savedG.get(i.rs2) === rd);
        if (!allowed) fail('registers', k, `writes ${regName(rd)}${level === 1 ? ' (fresh window)' : ''}, which is not free here`);
        if (level === 1 && row.exec === 'or' && i.rs1 === 0 && i.i === 0 && i.rs2 < 8) savedG.set(rd, i.rs2);
        val.set(rd, evaluate(i, get, bias, target.data.strideLog2 === 28 ? null : 28 - target.data.strideLog2));
      }
    }
    if (level !== 0) fail('window', g.end - 1, 'the snippet ends inside its fresh window');
  }

  // ---- every path returns ------------------------------------------------------------------------
  const last = words.length - 1;
  const li = decode(words[last]!, 'v8');
  const prev = last > 0 ? decode(words[last - 1]!, 'v8') : null;
  const endsInBaA = li.row.control === 'branch' && li.cond === 8 && li.a === 1;
  const endsInJump = prev !== null && (prev.row.control === 'jmpl' || (prev.row.control === 'branch' && prev.cond === 8) || prev.row.control === 'call');
  if (!endsInBaA && !endsInJump) fail('return', last, 'the patch must end in an unconditional transfer back to the original code');
  return out;
}

/** `shift`: the strided layout's `srl` that turns %asr17 into this CPU's block offset (null: wide layout). */
function evaluate(i: Instruction, get: (r: number) => AVal | null, bias: number, shift: number | null): AVal | null {
  const rhs = (): AVal | null => (i.i === 1 ? { lo: i.simm13, hi: i.simm13, percpu: false } : get(i.rs2));
  switch (i.row.exec) {
    case 'sethi': {
      const v = (i.imm22 << 10) >>> 0;
      return { lo: v, hi: v, percpu: false };
    }
    case 'or': {
      const a = get(i.rs1);
      const b = rhs();
      if (a === null || b === null || a.percpu || b.percpu) return null;
      // %asr17 is not the number 0 its interval says: keep it through a move (or with 0), else unknown.
      if (a.config === true || b.config === true) {
        const other = a.config === true ? b : a;
        return other.config !== true && other.lo === 0 && other.hi === 0 ? (a.config === true ? a : b) : null;
      }
      if (a.lo === a.hi && b.lo === b.hi) {
        const v = (a.lo | b.lo) >>> 0;
        return { lo: v, hi: v, percpu: false };
      }
      return null;
    }
    case 'add': {
      // %asr17 of the wide layout: this CPU's offset (index << 28) plus NWINDOWS−1. Otherwise the
      // value is not a known address (not 0: the CPU index is in its top bits).
      const cfg = (v: AVal | null): AVal | null => (v?.config === true ? (bias > 0 ? { lo: bias, hi: bias, percpu: true } : null) : v);
      const a = cfg(get(i.rs1));
      const b = cfg(rhs());
      if (a === null || b === null || (a.percpu && b.percpu)) return null;
      return { lo: a.lo + b.lo, hi: a.hi + b.hi, percpu: a.percpu || b.percpu };
    }
    case 'and': {
      // `x & c` lies in [0, c] for a known constant c ≥ 0 — but %asr17's stand-in (0) is not its value.
      const a = get(i.rs1);
      const b = rhs();
      if (a?.config === true || b?.config === true) return null;
      if (b !== null && !b.percpu && b.lo === b.hi && b.lo >= 0) return { lo: 0, hi: b.lo, percpu: false };
      return null;
    }
    case 'sll': {
      const a = get(i.rs1);
      if (a === null || a.percpu || a.config === true || i.i !== 1) return null;
      const k = i.simm13 & 31;
      const hi = a.hi * 2 ** k;
      return a.lo >= 0 && hi < 2 ** 31 ? { lo: a.lo * 2 ** k, hi, percpu: false } : null;
    }
    case 'srl': {
      const a = get(i.rs1);
      // Only the layout's own shift gives index·stride (another would step outside the blocks).
      if (a?.config === true && i.i === 1 && (i.simm13 & 31) === shift) return { lo: 0, hi: 0, percpu: true };
      return null;
    }
    case 'rdasr':
      return i.rs1 === 17 ? { lo: 0, hi: 0, percpu: false, config: true } : null;
    default:
      return null;
  }
}

function regName(r: number): string {
  return `%${'goli'[r >> 3]}${r & 7}`;
}
