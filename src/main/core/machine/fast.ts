// The fast engine: traces of SPARC code translated to JavaScript functions, cached per physical page, invalidated on writes to their code.
//
// A trace starts at a pc entered with npc = pc + 4 and follows the code: straight-line
// instructions, through calls and unconditional branches (the target's code follows inline), and
// along the fall-through path of conditional branches (a taken branch leaves the trace), until a
// jmpl, an instruction it does not translate, a breakpoint, an address already in the trace or
// MAX_BLOCK instructions (see translate()). Anything unusual — a pending interrupt, npc ≠ pc + 4,
// an untranslated instruction (privileged, alternate space, rett, counters, DCTI couples…), a
// slice too short for the whole trace, a timing model — is executed one step at a time by the
// reference interpreter, which is also the oracle the lockstep tests compare this engine with.
//
// Memory accesses go straight to the bus's page tables (`readPages`/`writePages`) when a page is
// there; otherwise a slow path does the access through the bus and, if it touched a device, hit a
// watchpoint or changed translated code, the trace ends right after that instruction. Stores to
// pages holding translated code always take the slow path, so a store (or a host/DMA write) takes
// effect for the very next fetch on every CPU.
import { PAGE_SHIFT, PAGE_WORDS } from './bus.ts';
import { CC, type Cpu } from './cpu.ts';
import type { Engine, ExecContext } from './engine.ts';
import { decodeV8, stepReference } from './reference.ts';
import { pendingInterrupt, TT } from './traps.ts';
import type { Instruction } from '../sparc/index.ts';

/** A translated block (a trace): `fn` runs it and returns the steps taken (null: step it by the reference). */
interface Block {
  readonly start: number;
  /** Addresses of every instruction word the block was built from (for invalidation). */
  readonly addrs: readonly number[];
  /** Pages those words are on. */
  readonly pages: readonly number[];
  /** Most steps one pass through the block can take (the budget needed to enter it). */
  readonly len: number;
  readonly fn: BlockFn | null;
  /** False once a write to its code (or a flush) dropped it. */
  valid: boolean;
  /** Successor blocks of the static exits, filled in on first use (see Helpers.link). */
  readonly links: (Block | null)[];
}

/**
 * Runs a block: updates cpu.steps, pc, npc and everything else, and returns the block to run next
 * when it left by a static exit (null otherwise: the dispatcher looks pc up).
 */
type BlockFn = (cpu: Cpu, R: Int32Array, budget: number, L: (Block | null)[]) => Block | null;

/** The slow paths generated code calls. */
interface Helpers {
  fault: boolean;
  read(a: number, w: 1 | 2 | 4): number;
  write(a: number, w: 1 | 2 | 4, v: number): void;
  /** After a slow-path access: whether the block must end after this instruction. */
  mustExit(cpu: Cpu, pc: number): boolean;
  trap(cpu: Cpu, tt: number): void;
  /** The block at pc (translated if needed), to link a static exit to. */
  link(pc: number): Block;
  umul(cpu: Cpu, a: number, b: number): number;
  smul(cpu: Cpu, a: number, b: number): number;
  div(cpu: Cpu, a: number, b: number, signed: boolean, cc: boolean): number;
  tagged(cpu: Cpu, a: number, b: number, sub: boolean, tv: boolean): number;
  mulscc(cpu: Cpu, a: number, b: number): number;
}

const MAX_BLOCK = 200;

export class FastEngine implements Engine {
  readonly name = 'fast' as const;
  private readonly m: ExecContext;
  /** Blocks by page number, then by word index within the page. */
  private readonly cache: ((Block | undefined)[] | undefined)[];
  /** Blocks built from each page (a block never spans two pages). */
  private readonly pageBlocks = new Map<number, Block[]>();
  private readonly helpers: Helpers;
  /** Set by invalidate() so that the running block ends after the store that changed code. */
  private codeChanged = false;
  private readonly factoryArgs: unknown[];
  /** Compiled functions by source text: identical code at another address or after a flush is reused. */
  private readonly compiled = new Map<string, BlockFn>();
  translations = 0;

  constructor(m: ExecContext) {
    this.m = m;
    const bus = m.bus;
    // Preallocated over RAM so that look-ups stay on a dense array (code runs only from RAM).
    this.cache = new Array<(Block | undefined)[] | undefined>(bus.ramPages).fill(undefined);
    const h: Helpers = {
      fault: false,
      read(a, w) {
        const v = bus.read(a, w);
        if (bus.fault) {
          bus.fault = false;
          h.fault = true;
        }
        return v;
      },
      write(a, w, v) {
        bus.write(a, w, v);
        if (bus.fault) {
          bus.fault = false;
          h.fault = true;
        }
      },
      mustExit: (cpu, pc) => {
        let exit = false;
        if (bus.watchHit !== null) {
          m.noteWatchHit(cpu, pc);
          exit = true;
        }
        if (bus.touchedDevice) {
          bus.touchedDevice = false;
          exit = true;
        }
        if (this.codeChanged) {
          this.codeChanged = false;
          exit = true;
        }
        return exit || m.stopRequested;
      },
      trap(cpu, tt) {
        m.trap(cpu, tt);
      },
      link: (pc) => this.lookup(pc),
      umul(cpu, a, b) {
        const x = a >>> 0;
        const y = b >>> 0;
        const lo = Math.imul(x, y);
        const hi = mulHigh(x, y);
        cpu.y = hi >>> 0;
        return lo;
      },
      smul(cpu, a, b) {
        const lo = Math.imul(a, b);
        let hi = mulHigh(a >>> 0, b >>> 0);
        // signed high word = unsigned high word − (a<0 ? b : 0) − (b<0 ? a : 0)
        if (a < 0) hi = (hi - b) | 0;
        if (b < 0) hi = (hi - a) | 0;
        cpu.y = hi >>> 0;
        return lo;
      },
      div(cpu, a, b, signed, cc) {
        let q: number;
        let overflow = false;
        const y = cpu.y | 0;
        if (signed) {
          if ((y === 0 && a >= 0) || (y === -1 && a < 0)) {
            // The dividend fits in 32 bits: plain division (only −2^31 / −1 overflows).
            const d = a | 0;
            if (d === -0x80000000 && (b | 0) === -1) {
              q = 0x7fffffff;
              overflow = true;
            } else q = Math.trunc(d / (b | 0)) | 0;
          } else {
            let big = BigInt.asIntN(64, (BigInt(y >>> 0) << 32n) | BigInt(a >>> 0)) / BigInt(b | 0);
            if (big > 0x7fffffffn) {
              big = 0x7fffffffn;
              overflow = true;
            } else if (big < -0x80000000n) {
              big = -0x80000000n;
              overflow = true;
            }
            q = Number(big) | 0;
          }
        } else if (y === 0) {
          q = Math.floor((a >>> 0) / (b >>> 0)) | 0;
        } else {
          const big = ((BigInt(y >>> 0) << 32n) | BigInt(a >>> 0)) / BigInt(b >>> 0);
          if (big > 0xffffffffn) {
            q = -1;
            overflow = true;
          } else q = Number(big) | 0;
        }
        if (cc) cpu.icc = (q < 0 ? 8 : 0) | (q === 0 ? 4 : 0) | (overflow ? 2 : 0);
        return q;
      },
      tagged(cpu, a, b, sub, tv) {
        const r = sub ? (a - b) | 0 : (a + b) | 0;
        const v = sub ? ((a ^ b) & (a ^ r)) < 0 : ((a ^ r) & (b ^ r)) < 0;
        const c = sub ? (a >>> 0) < (b >>> 0) : (a >>> 0) + (b >>> 0) > 0xffffffff;
        const vt = v || ((a | b) & 3) !== 0;
        if (tv && vt) {
          h.fault = true;
          return 0;
        }
        cpu.icc = (r < 0 ? 8 : 0) | (r === 0 ? 4 : 0) | (vt ? 2 : 0) | (c ? 1 : 0);
        return r;
      },
      mulscc(cpu, a, b) {
        const icc = cpu.icc;
        const x = ((((icc >> 3) ^ (icc >> 1)) & 1) << 31) | (a >>> 1);
        const y2 = (cpu.y & 1) === 0 ? 0 : b;
        const r = (x + y2) | 0;
        const v = ((x ^ r) & (y2 ^ r)) < 0;
        const c = (x >>> 0) + (y2 >>> 0) > 0xffffffff;
        cpu.y = (((a & 1) << 31) | (cpu.y >>> 1)) >>> 0;
        cpu.icc = (r < 0 ? 8 : 0) | (r === 0 ? 4 : 0) | (v ? 2 : 0) | (c ? 1 : 0);
        return r;
      },
    };
    this.helpers = h;
    this.factoryArgs = [bus.readPages, bus.writePages, h, m];
    const withListener = m as ExecContext & { onBreakpointChange?: (l: (pc: number) => void) => void };
    withListener.onBreakpointChange?.((pc) => this.invalidatePage(pc >>> PAGE_SHIFT));
  }

  run(cpu: Cpu, steps: number): number {
    const m = this.m;
    const R = cpu.r;
    // Breakpoints and timing models cannot change during a run: check them once.
    const plain = m.breakpoints.size === 0 && m.timing === null;
    let left = steps;
    let next: Block | null = null;
    while (left > 0) {
      const pc = cpu.pc;
      // The hot path: a block entered the normal way with nothing pending, often linked directly.
      if (plain && cpu.npc === pc + 4 && cpu.irq === 0 && cpu.state === 'running') {
        const b: Block = next !== null && next.valid ? next : this.lookup(pc);
        if (b.fn !== null && b.len <= left) {
          const before = cpu.steps;
          next = b.fn(cpu, R, left, b.links);
          left -= cpu.steps - before;
          if (m.stopRequested) break;
          continue;
        }
      }
      next = null;
      // Everything else, one step at a time (or one block after the checks).
      // Stopped by a device (or error mode): the machine idles the rest of the slice.
      if (cpu.state !== 'running') break;
      if (!plain && m.breakpoints.size > 0 && m.breakpointHit(cpu)) break;
      if (m.timing === null && cpu.npc === pc + 4 && (cpu.irq === 0 || pendingInterrupt(cpu) === 0)) {
        const b = this.lookup(pc);
        if (b.fn !== null && b.len <= left) {
          const before = cpu.steps;
          b.fn(cpu, R, left, b.links);
          left -= cpu.steps - before;
          if (m.stopRequested) break;
          continue;
        }
      }
      stepReference(m, cpu);
      left--;
      if (m.stopRequested) break;
    }
    return steps - left;
  }

  /** The block starting at pc, translating it when there is none. */
  private lookup(pc: number): Block {
    const page = this.cache[pc >>> PAGE_SHIFT];
    return (page === undefined ? undefined : page[(pc >>> 2) & (PAGE_WORDS - 1)]) ?? this.translate(pc);
  }

  invalidate(address: number, len: number): void {
    const addr = address >>> 0; // callers may pass a signed 32-bit address
    const first = addr >>> PAGE_SHIFT;
    const last = (addr + Math.max(len, 1) - 1) >>> PAGE_SHIFT;
    const hi = addr + len;
    for (let p = first; p <= last; p++) {
      const list = this.pageBlocks.get(p);
      if (list === undefined) continue;
      const keep: Block[] = [];
      for (const b of list) {
        if (!b.valid) continue;
        if (b.addrs.some((a) => a + 4 > addr && a < hi)) this.kill(b);
        else keep.push(b);
      }
      if (keep.length === 0) {
        this.pageBlocks.delete(p);
        this.m.bus.unmarkCodePage(p);
      } else this.pageBlocks.set(p, keep);
    }
  }

  /** Drops a block: it is no longer found, and a running copy ends after the store that killed it. */
  private kill(b: Block): void {
    b.valid = false;
    const slots = this.cache[b.start >>> PAGE_SHIFT];
    const i = (b.start >>> 2) & (PAGE_WORDS - 1);
    if (slots !== undefined && slots[i] === b) slots[i] = undefined;
    this.codeChanged = true;
  }

  private invalidatePage(p: number): void {
    if (this.pageBlocks.has(p)) this.dropPage(p);
  }

  private dropPage(p: number): void {
    for (const b of this.pageBlocks.get(p) ?? []) if (b.valid) this.kill(b);
    this.pageBlocks.delete(p);
    this.m.bus.unmarkCodePage(p);
    this.codeChanged = true;
  }

  flush(): void {
    for (const p of [...this.pageBlocks.keys()]) this.dropPage(p);
    this.codeChanged = false;
  }

  // ---- translation ---------------------------------------------------------------------------

  /**
   * Builds the trace starting at `start`: straight-line code, through unconditional branches and
   * calls (the target's code follows inline), along the fall-through path of conditional branches
   * (a taken branch is a side exit), until a jmpl, an instruction left to the reference
   * interpreter, a breakpoint, an address already in the trace, or MAX_BLOCK instructions.
   */
  private translate(start: number): Block {
    const bus = this.m.bus;
    if ((start >>> PAGE_SHIFT) >= bus.ramPages) {
      // Code outside RAM (a device) is never translated or cached: it runs step by step.
      return { start, addrs: [start], pages: [], len: 1, fn: null, valid: true, links: [] };
    }
    const bps = this.m.breakpoints;
    const items: Item[] = [];
    const addrs: number[] = [];
    const seen = new Set<number>();
    const fetch = (a: number): { insn: Instruction; exec: string } | null => {
      if ((a >>> PAGE_SHIFT) >= bus.ramPages) return null;
      const w = bus.fetch(a);
      if (w === null) return null;
      const insn = decodeV8(w).insn;
      const exec = translatable(insn);
      return exec === null ? null : { insn, exec };
    };
    let pc = start;
    let count = 0;
    for (;;) {
      if (count >= MAX_BLOCK || (count > 0 && (bps.has(pc) || seen.has(pc)))) {
        items.push({ kind: 'end', pc });
        break;
      }
      const got = fetch(pc);
      if (got === null) {
        items.push({ kind: 'end', pc });
        break;
      }
      const { insn, exec } = got;
      if (!isCti(exec)) {
        items.push({ kind: 'op', addr: pc, insn, exec, slot: false });
        seen.add(pc);
        addrs.push(pc);
        pc = (pc + 4) >>> 0;
        count++;
        continue;
      }
      const annulledAlways = exec === 'bicc' && insn.a === 1 && (insn.cond === 8 || insn.cond === 0);
      const slotAddr = (pc + 4) >>> 0;
      const slot = annulledAlways ? null : fetch(slotAddr);
      if (!annulledAlways && (slot === null || isCti(slot.exec) || bps.has(slotAddr) || seen.has(slotAddr))) {
        // A DCTI couple or an odd delay slot: leave the transfer to the reference interpreter.
        items.push({ kind: 'end', pc });
        break;
      }
      seen.add(pc);
      addrs.push(pc);
      const slotOp: Item | null = slot === null ? null : { kind: 'op', addr: slotAddr, insn: slot.insn, exec: slot.exec, slot: true };
      if (slot !== null) {
        seen.add(slotAddr);
        addrs.push(slotAddr);
      }
      if (exec === 'jmpl') {
        items.push({ kind: 'jmpl', addr: pc, insn }, slotOp!, { kind: 'end', pc: null });
        break;
      }
      const target = exec === 'call' ? (pc + insn.disp30 * 4) >>> 0 : (pc + insn.disp22 * 4) >>> 0;
      const next = (pc + 8) >>> 0;
      if (exec === 'call' || (exec === 'bicc' && (insn.cond === 8 || insn.cond === 0))) {
        const to = exec === 'call' || insn.cond === 8 ? target : next;
        if (slotOp === null) items.push({ kind: 'skip' });
        else items.push({ kind: 'goto', addr: pc, insn, target: to, call: exec === 'call' }, slotOp);
        count += slotOp === null ? 1 : 2;
        pc = to;
        continue;
      }
      if (insn.a === 1) {
        items.push({ kind: 'annul', addr: pc, insn, target, slot: slotOp! });
        count += 1;
      } else {
        items.push({ kind: 'branch', addr: pc, insn, target }, slotOp!, { kind: 'side', target });
        count += 2;
      }
      pc = next;
    }
    let block: Block;
    const startPage = start >>> PAGE_SHIFT;
    if (addrs.length === 0) {
      block = { start, addrs: [start], pages: [startPage], len: 1, fn: null, valid: true, links: [] };
    } else {
      const src = generate(start, items, bps.has(start));
      let fn = this.compiled.get(src.code);
      if (fn === undefined) {
        const factory = new Function('RP', 'WP', 'H', 'M', `"use strict";\nreturn function block(cpu, R, budget, L) {\n${src.code}\n};`) as (...args: unknown[]) => BlockFn;
        fn = factory(...this.factoryArgs);
        if (this.compiled.size >= 20000) this.compiled.clear();
        this.compiled.set(src.code, fn);
        this.translations++;
      }
      const pages = [...new Set([startPage, ...addrs.map((a) => a >>> PAGE_SHIFT)])];
      block = { start, addrs, pages, len: src.len, fn, valid: true, links: new Array<Block | null>(src.exits).fill(null) };
    }
    let slots = this.cache[startPage];
    if (slots === undefined) {
      slots = new Array<Block | undefined>(PAGE_WORDS);
      this.cache[startPage] = slots;
    }
    slots[(start >>> 2) & (PAGE_WORDS - 1)] = block;
    for (const p of block.pages) {
      let list = this.pageBlocks.get(p);
      if (list === undefined) {
        list = [];
        this.pageBlocks.set(p, list);
      }
      list.push(block);
      bus.markCodePage(p);
    }
    return block;
  }
}

/** One element of a trace, in execution order (see translate). */
type Item =
  /** An instruction on the trace; `slot`: it runs in a delay slot (the branch target is in t). */
  | { kind: 'op'; addr: number; insn: Instruction; exec: string; slot: boolean }
  /** A conditional branch without annul: t = taken ? target : addr + 8; its slot and a 'side' follow. */
  | { kind: 'branch'; addr: number; insn: Instruction; target: number }
  /** Leave the trace for `target` if the branch before was taken (t === target). */
  | { kind: 'side'; target: number }
  /** A conditional annulling branch: when taken, run the slot and leave for target; else skip the slot. */
  | { kind: 'annul'; addr: number; insn: Instruction; target: number; slot: Item }
  /** call, ba, bn (no annul): the slot follows, then the trace goes on at target. */
  | { kind: 'goto'; addr: number; insn: Instruction; target: number; call: boolean }
  /** ba,a / bn,a: one step, nothing else. */
  | { kind: 'skip' }
  /** jmpl: t = the computed target (misaligned traps); the slot follows, then the end. */
  | { kind: 'jmpl'; addr: number; insn: Instruction }
  /** The end of the trace: go to pc (null: to t). */
  | { kind: 'end'; pc: number | null };

/** High 32 bits of the unsigned 64-bit product of two unsigned 32-bit numbers. */
function mulHigh(x: number, y: number): number {
  const xl = x & 0xffff;
  const xh = x >>> 16;
  const yl = y & 0xffff;
  const yh = y >>> 16;
  const ll = xl * yl;
  const lh = xl * yh;
  const hl = xh * yl;
  const hh = xh * yh;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (hh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) | 0;
}

// ---- code generation ---------------------------------------------------------------------------

const ALU = new Set([
  'add', 'addcc', 'addx', 'addxcc', 'sub', 'subcc', 'subx', 'subxcc', 'and', 'andcc', 'andn', 'andncc',
  'or', 'orcc', 'orn', 'orncc', 'xor', 'xorcc', 'xnor', 'xnorcc', 'sll', 'srl', 'sra',
  'taddcc', 'taddcctv', 'tsubcc', 'tsubcctv', 'mulscc', 'umul', 'smul', 'umulcc', 'smulcc',
  'udiv', 'sdiv', 'udivcc', 'sdivcc', 'save', 'restore', 'sethi',
]);
const LOADS: Record<string, [1 | 2 | 4 | 8, boolean]> = {
  ld: [4, false], ldub: [1, false], lduh: [2, false], ldsb: [1, true], ldsh: [2, true], ldd: [8, false],
};
const STORES: Record<string, 1 | 2 | 4 | 8> = { st: 4, stb: 1, sth: 2, std: 8 };

/** The exec name to translate `insn` with, or null to leave it to the reference interpreter. */
function translatable(insn: Instruction): string | null {
  const row = insn.row;
  if (row.privileged || row.isa !== 'v8') return null;
  const e = row.exec;
  if (ALU.has(e) || e === 'bicc' || e === 'call' || e === 'jmpl' || e === 'ticc' || e === 'flush') return e;
  if (e in LOADS) return (e === 'ldd' && (insn.rd & 1) === 1) ? null : e;
  if (e in STORES) return (e === 'std' && (insn.rd & 1) === 1) ? null : e;
  if (e === 'ldstub' || e === 'swap') return e;
  if (e === 'rdasr' && insn.rs1 === 0) return 'rdy';
  if (e === 'wrasr' && insn.rd === 0) return 'wry';
  return null;
}

function isCti(exec: string): boolean {
  return exec === 'bicc' || exec === 'call' || exec === 'jmpl';
}

/** The condition `cond` straight from the operands of the last flag-setting op (ca, cb, cr), or null. */
type CcKind = 'add' | 'addx' | 'sub' | 'subx' | 'logic';

function directCond(cond: number, kind: CcKind): string | null {
  const base = cond & 7;
  const neg = cond >= 8;
  if (base === 1) return neg ? 'cr !== 0' : 'cr === 0';
  if (base === 6) return neg ? 'cr >= 0' : 'cr < 0';
  if (kind === 'sub') {
    switch (cond) {
      case 2: return 'ca <= cb';
      case 10: return 'ca > cb';
      case 3: return 'ca < cb';
      case 11: return 'ca >= cb';
      case 4: return '(ca >>> 0) <= (cb >>> 0)';
      case 12: return '(ca >>> 0) > (cb >>> 0)';
      case 5: return '(ca >>> 0) < (cb >>> 0)';
      case 13: return '(ca >>> 0) >= (cb >>> 0)';
      case 7: return '((ca ^ cb) & (ca ^ cr)) < 0';
      case 15: return '((ca ^ cb) & (ca ^ cr)) >= 0';
    }
  }
  if (kind === 'logic') {
    switch (cond) {
      case 2: return 'cr <= 0';
      case 10: return 'cr > 0';
      case 3: return 'cr < 0';
      case 11: return 'cr >= 0';
      case 4: return 'cr === 0';
      case 12: return 'cr !== 0';
      case 5: case 7: return 'false';
      case 13: case 15: return 'true';
    }
  }
  return null;
}

/** Expression of the branch condition `cond` over the local `c` (= icc). */
function condExpr(cond: number): string {
  const nv = '(((c >> 3) ^ (c >> 1)) & 1)';
  switch (cond) {
    case 0: return 'false';
    case 8: return 'true';
    case 1: return '(c & 4) !== 0';
    case 9: return '(c & 4) === 0';
    case 2: return `((c & 4) !== 0 || ${nv} !== 0)`;
    case 10: return `((c & 4) === 0 && ${nv} === 0)`;
    case 3: return `${nv} !== 0`;
    case 11: return `${nv} === 0`;
    case 4: return '(c & 5) !== 0';
    case 12: return '(c & 5) === 0';
    case 5: return '(c & 1) !== 0';
    case 13: return '(c & 1) === 0';
    case 6: return '(c & 8) !== 0';
    case 14: return '(c & 8) === 0';
    case 7: return '(c & 2) !== 0';
    default: return '(c & 2) === 0';
  }
}

const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;

/**
 * Generates the body of a block function from a trace. Locals: o/n = window offsets, s0 = steps of
 * earlier passes (loops), t = pc after the delay slot, a/v/x/y/p scratch, c = icc for conditions,
 * ca/cb/cr = operands and result of the last flag-setting instruction.
 *
 * Registers live in JS locals while the block runs (`r<k>_<epoch>`: an epoch ends at a window
 * change): each is loaded from the register file on first use and written back at every exit —
 * the end, a side exit, a trap, or a slow-path exit — so the architectural state is exact whenever
 * anything outside the block can see it. An exit to the trace's own start loops inside the
 * function while the slice budget allows (not when a breakpoint sits at the start).
 */
function generate(start: number, items: Item[], breakpointAtStart: boolean): { code: string; len: number; exits: number } {
  // ---- registers in locals ----
  let epoch = 0;
  const declared = new Set<string>();
  let loaded = new Set<number>();
  let dirty = new Set<number>();
  let pre: string[] = [];
  const slot = (k: number): string => (k < 8 ? String(k) : k < 24 ? `o + ${k - 8}` : `n + ${k - 24}`);
  const local = (k: number): string => {
    const name = `r${k}_${k < 8 ? 0 : epoch}`;
    declared.add(name);
    return name;
  };
  /** Expression reading register k (loads it into its local on first use). */
  const reg = (k: number): string => {
    if (k === 0) return '0';
    const name = local(k);
    if (!loaded.has(k)) {
      pre.push(`${name} = R[${slot(k)}];`);
      loaded.add(k);
    }
    return name;
  };
  /** Statement writing `expr` (an int32 expression) to register k. */
  const setReg = (k: number, expr: string): string => {
    if (k === 0) return '';
    const name = local(k);
    loaded.add(k);
    dirty.add(k);
    return `${name} = ${expr};`;
  };
  const writeBack = (set: ReadonlySet<number>): string => [...set].map((k) => `R[${slot(k)}] = ${local(k)};`).join(' ');

  /** What set the condition codes last on this path (their operands are in ca, cb, cr), if known. */
  let lastCc: CcKind | null = null;
  /** The carry flag as a 0/1 expression. */
  const carry = (): string => {
    switch (lastCc) {
      case 'add': return '((ca >>> 0) + (cb >>> 0) > 0xffffffff ? 1 : 0)';
      case 'addx': return '((ca >>> 0) + (cb >>> 0) + ci > 0xffffffff ? 1 : 0)';
      case 'sub': return '((ca >>> 0) < (cb >>> 0) ? 1 : 0)';
      case 'subx': return '((ca >>> 0) < (cb >>> 0) + ci ? 1 : 0)';
      case 'logic': return '0';
      default: return '(cpu.icc & 1)';
    }
  };
  /** Code that leaves the branch condition `cond` in a JS expression. */
  const branchCond = (cond: number): { pre: string; expr: string } => {
    if (cond === 0) return { pre: '', expr: 'false' };
    if (cond === 8) return { pre: '', expr: 'true' };
    const direct = lastCc === null ? null : directCond(cond, lastCc);
    return direct !== null ? { pre: '', expr: direct } : { pre: 'c = cpu.icc;', expr: condExpr(cond) };
  };

  // ---- exits ----
  const canLoop = !breakpointAtStart;
  let looped = false;
  /** Static exits (each has a link slot L[i]). */
  let exits = 0;
  let len = 1;
  /** Leave the block for `pc` (a constant) after k steps of this pass; loops when pc is the start. */
  const exitTo = (pc: number, k: number, wb: string): string => {
    len = Math.max(len, k);
    if (canLoop && pc === start) {
      looped = true;
      return `${wb} s0 += ${k}; if (s0 + LEN <= budget && !M.stopRequested) continue; cpu.pc = ${hex(start)}; cpu.npc = ${hex(start + 4)}; cpu.steps += s0; return null;`;
    }
    const i = exits++;
    return `${wb} cpu.pc = ${hex(pc)}; cpu.npc = ${hex(pc + 4)}; cpu.steps += s0 + ${k}; return (q = L[${i}]) !== null && q.valid ? q : (L[${i}] = H.link(${hex(pc)}));`;
  };
  /** Trap at the instruction at `addr` after k steps of this pass (the trap is step k + 1). */
  const trapExit = (addr: number, inSlot: boolean, k: number, tt: string, wb: string): string => {
    len = Math.max(len, k + 1);
    return `{ ${wb} cpu.pc = ${hex(addr)}; cpu.npc = ${inSlot ? 't' : hex(addr + 4)}; cpu.steps += s0 + ${k}; H.trap(cpu, ${tt}); cpu.steps++; return null; }`;
  };
  const AFTER = '/*WB_AFTER*/';
  /** After a slow-path access of the instruction at addr (step k + 1): end here if it touched a device, a watchpoint or code. */
  const afterExit = (addr: number, inSlot: boolean, k: number): string => {
    len = Math.max(len, k + 1);
    const setPc = inSlot ? 'cpu.pc = t; cpu.npc = (t + 4) >>> 0;' : `cpu.pc = ${hex(addr + 4)}; cpu.npc = ${hex(addr + 8)};`;
    return `if (H.mustExit(cpu, ${hex(addr)})) { ${AFTER} ${setPc} cpu.steps += s0 + ${k + 1}; return null; }`;
  };

  /**
   * A slow-path bus access by the instruction that is step k + 1 of this pass. cpu.steps is brought
   * up to date around it (s0 + k steps of this block are done), so that a device sees the exact
   * virtual time (cpu.cycles) the reference interpreter would show it: a clock read, an event
   * scheduled relative to now, a halt time. It is put back after, since the exits add s0 + k.
   */
  const syncedAccess = (k: number, call: string): string => `cpu.steps += s0 + ${k}; ${call} cpu.steps -= s0 + ${k};`;

  const op2 = (insn: Instruction): string => (insn.i ? String(insn.simm13 | 0) : reg(insn.rs2));
  const addrOf = (insn: Instruction): string => {
    if (insn.rs1 === 0) return insn.i ? String(insn.simm13 >>> 0) : `(${reg(insn.rs2)} >>> 0)`;
    if (insn.i && insn.simm13 === 0) return `(${reg(insn.rs1)} >>> 0)`;
    return `((${reg(insn.rs1)} + ${op2(insn)}) >>> 0)`;
  };

  /** Code of an instruction item that is step k + 1 of this pass. */
  function genOp(item: Extract<Item, { kind: 'op' }>, k: number): string {
    pre = [];
    // The write-back before this instruction, built only if the instruction can trap.
    const dirtyBefore = dirty;
    let wbBefore: string | null = null;
    const wb = (): string => (wbBefore ??= writeBack(dirtyBefore));
    dirty = new Set(dirty);
    const body = genBody(item, k, wb);
    const code = pre.join(' ') + ' ' + body;
    return code.includes(AFTER) ? code.split(AFTER).join(writeBack(dirty)) : code;
  }

  function genBody(item: Extract<Item, { kind: 'op' }>, k: number, wb: () => string): string {
    const { insn, exec: e, addr: at, slot: inSlot } = item;
    const rd = insn.rd;
    const trap = (tt: string | number): string => trapExit(at, inSlot, k, String(tt), wb());
    const after = (): string => afterExit(at, inSlot, k);
    const synced = (call: string): string => syncedAccess(k, call);
    const cc = (expr: string): string => {
      const s = `cr = ${expr}; cpu.ccOp = ${CC.logic}; cpu.ccR = cr; ${setReg(rd, 'cr')}`;
      lastCc = 'logic';
      return s;
    };
    const plain = (expr: string): string => setReg(rd, `(${expr}) | 0`);
    if (insn.row.writes.includes('icc')) lastCc = null; // set again below where the kind is known
    // Operands are read (and loaded) before anything is written.
    const A = e === 'sethi' || e === 'rdy' ? '' : reg(insn.rs1);
    const B = e === 'sethi' || e === 'rdy' ? '' : op2(insn);
    switch (e) {
      case 'sethi': return setReg(rd, hex(insn.imm22 << 10) + ' | 0');
      case 'add': return plain(`${A} + ${B}`);
      case 'sub': return plain(`${A} - ${B}`);
      case 'and': return setReg(rd, `${A} & ${B}`);
      case 'andn': return setReg(rd, `${A} & ~${B}`);
      case 'or': return setReg(rd, `${A} | ${B}`);
      case 'orn': return setReg(rd, `${A} | ~${B}`);
      case 'xor': return setReg(rd, `${A} ^ ${B}`);
      case 'xnor': return setReg(rd, `~(${A} ^ ${B})`);
      case 'andcc': return cc(`${A} & ${B}`);
      case 'andncc': return cc(`${A} & ~${B}`);
      case 'orcc': return cc(`${A} | ${B}`);
      case 'orncc': return cc(`${A} | ~${B}`);
      case 'xorcc': return cc(`${A} ^ ${B}`);
      case 'xnorcc': return cc(`~(${A} ^ ${B})`);
      case 'sll': return setReg(rd, insn.i ? `${A} << ${insn.simm13 & 31}` : `${A} << (${B} & 31)`);
      case 'srl': return setReg(rd, insn.i ? `(${A} >>> ${insn.simm13 & 31}) | 0` : `(${A} >>> (${B} & 31)) | 0`);
      case 'sra': return setReg(rd, insn.i ? `${A} >> ${insn.simm13 & 31}` : `${A} >> (${B} & 31)`);
      case 'addx': return plain(`${A} + ${B} + ${carry()}`);
      case 'subx': return plain(`${A} - ${B} - ${carry()}`);
      case 'addcc': {
        const s = `ca = ${A}; cb = ${B}; cr = (ca + cb) | 0; cpu.ccOp = ${CC.add}; cpu.ccA = ca; cpu.ccB = cb; cpu.ccR = cr; ${setReg(rd, 'cr')}`;
        lastCc = 'add';
        return s;
      }
      case 'addxcc': {
        const s = `ci = ${carry()}; ca = ${A}; cb = ${B}; cr = (ca + cb + ci) | 0; cpu.ccOp = ci ? ${CC.addCarry} : ${CC.add}; cpu.ccA = ca; cpu.ccB = cb; cpu.ccR = cr; ${setReg(rd, 'cr')}`;
        lastCc = 'addx';
        return s;
      }
      case 'subcc': {
        const s = `ca = ${A}; cb = ${B}; cr = (ca - cb) | 0; cpu.ccOp = ${CC.sub}; cpu.ccA = ca; cpu.ccB = cb; cpu.ccR = cr; ${setReg(rd, 'cr')}`;
        lastCc = 'sub';
        return s;
      }
      case 'subxcc': {
        const s = `ci = ${carry()}; ca = ${A}; cb = ${B}; cr = (ca - cb - ci) | 0; cpu.ccOp = ci ? ${CC.subBorrow} : ${CC.sub}; cpu.ccA = ca; cpu.ccB = cb; cpu.ccR = cr; ${setReg(rd, 'cr')}`;
        lastCc = 'subx';
        return s;
      }
      case 'taddcc': case 'tsubcc':
        return `v = H.tagged(cpu, ${A}, ${B}, ${e === 'tsubcc'}, false); ${setReg(rd, 'v')}`;
      case 'taddcctv': case 'tsubcctv':
        return `v = H.tagged(cpu, ${A}, ${B}, ${e === 'tsubcctv'}, true); if (H.fault) { H.fault = false; ${trap(TT.tag_overflow)} } ${setReg(rd, 'v')}`;
      case 'mulscc': return `v = H.mulscc(cpu, ${A}, ${B}); ${setReg(rd, 'v')}`;
      case 'umul': return `v = H.umul(cpu, ${A}, ${B}); ${setReg(rd, 'v')}`;
      case 'smul': return `v = H.smul(cpu, ${A}, ${B}); ${setReg(rd, 'v')}`;
      case 'umulcc': return cc(`H.umul(cpu, ${A}, ${B})`);
      case 'smulcc': return cc(`H.smul(cpu, ${A}, ${B})`);
      case 'udiv': case 'sdiv': case 'udivcc': case 'sdivcc':
        return `y = ${B}; if (y === 0) ${trap(TT.division_by_zero)} v = H.div(cpu, ${A}, y, ${e.startsWith('s')}, ${e.endsWith('cc')}); ${setReg(rd, 'v')}`;
      case 'save': case 'restore': {
        const next = e === 'save' ? '(cpu.cwp + cpu.nwindows - 1) % cpu.nwindows' : '(cpu.cwp + 1) % cpu.nwindows';
        const tt = e === 'save' ? TT.window_overflow : TT.window_underflow;
        const head = `a = ${next}; if (((cpu.wim >>> a) & 1) !== 0) ${trap(tt)} v = (${A} + ${B}) | 0;`;
        // The window moves: write back the windowed registers and start a new epoch of locals.
        const flush = writeBack(new Set([...dirty].filter((r) => r >= 8)));
        epoch++;
        loaded = new Set([...loaded].filter((r) => r < 8));
        dirty = new Set([...dirty].filter((r) => r < 8));
        return `${head} ${flush} cpu.setCwp(a); o = cpu.wo; n = cpu.wi; ${setReg(rd, 'v')}`;
      }
      case 'rdy': return setReg(rd, 'cpu.y | 0');
      case 'wry': return `cpu.y = (${A} ^ ${B}) >>> 0;`;
      case 'flush': return '';
      case 'ticc': {
        if (insn.cond === 0) return '';
        const { pre: p, expr } = branchCond(insn.cond);
        return `${p} if (${expr}) ${trap(`${TT.trap_instruction} + ((${A} + ${B}) & 0x7f)`)}`;
      }
      case 'ldstub': case 'swap': {
        const w = e === 'ldstub' ? 1 : 4;
        const a = addrOf(insn);
        const align = w === 4 ? `if ((a & 3) !== 0) ${trap(TT.mem_address_not_aligned)}` : '';
        const newVal = e === 'ldstub' ? '0xff' : reg(rd);
        const fast = w === 4
          ? `x = a >>> 2 & ${PAGE_WORDS - 1}; v = p[x]; p[x] = ${newVal};`
          : `x = a >>> 2 & ${PAGE_WORDS - 1}; y = (3 - (a & 3)) << 3; v = (p[x] >>> y) & 255; p[x] = p[x] | (255 << y);`;
        const fault = `if (H.fault) { H.fault = false; ${trap(TT.data_access_error)} }`;
        const write = setReg(rd, 'v | 0');
        return `a = ${a}; ${align} p = WP[a >>> ${PAGE_SHIFT}]; if (p && RP[a >>> ${PAGE_SHIFT}]) { ${fast} ${write} } else { ` +
          `${synced(`v = H.read(a, ${w});`)} ${fault} ${synced(`H.write(a, ${w}, ${newVal});`)} ${fault} ${write} ${after()} }`;
      }
      default:
        if (e in LOADS) return genLoad(insn, LOADS[e]![0], LOADS[e]![1], trap, after, synced);
        if (e in STORES) return genStore(insn, STORES[e]!, trap, after, synced);
        throw new Error(`fast engine: no code generator for ${e}`);
    }
  }

  function genLoad(insn: Instruction, w: 1 | 2 | 4 | 8, signed: boolean, trap: (tt: number) => string, after: () => string, synced: (call: string) => string): string {
    const rd = insn.rd;
    const a = addrOf(insn);
    const mask = w === 8 ? 7 : w - 1;
    const align = mask ? `if ((a & ${mask}) !== 0) ${trap(TT.mem_address_not_aligned)}` : '';
    const idx = `a >>> 2 & ${PAGE_WORDS - 1}`;
    const slowFault = `if (H.fault) { H.fault = false; ${trap(TT.data_access_error)} }`;
    if (w === 8) {
      const writes = `${setReg(rd, 'v')} ${setReg(rd + 1, 'y')}`;
      return `a = ${a}; ${align} p = RP[a >>> ${PAGE_SHIFT}]; if (p) { x = ${idx}; v = p[x]; y = p[x + 1]; } else { ` +
        `${synced('v = H.read(a, 4) | 0;')} ${slowFault} ${synced('y = H.read(a + 4, 4) | 0;')} ${slowFault} } ${writes} if (!p) { ${after()} }`;
    }
    let fromWord: string;
    let fromSlow: string;
    if (w === 4) {
      fromWord = 'p[' + idx + ']';
      fromSlow = 'v | 0';
    } else if (w === 2) {
      fromWord = signed ? `(p[${idx}] << ((a & 2) << 3)) >> 16` : `(p[${idx}] >>> ((2 - (a & 2)) << 3)) & 0xffff`;
      fromSlow = signed ? '(v << 16) >> 16' : 'v';
    } else {
      fromWord = signed ? `(p[${idx}] << ((a & 3) << 3)) >> 24` : `(p[${idx}] >>> ((3 - (a & 3)) << 3)) & 255`;
      fromSlow = signed ? '(v << 24) >> 24' : 'v';
    }
    const write = setReg(rd, 'v');
    return `a = ${a}; ${align} p = RP[a >>> ${PAGE_SHIFT}]; if (p) { v = ${fromWord}; } else { ` +
      `${synced(`v = H.read(a, ${w});`)} ${slowFault} v = ${fromSlow}; } ${write} if (!p) { ${after()} }`;
  }

  function genStore(insn: Instruction, w: 1 | 2 | 4 | 8, trap: (tt: number) => string, after: () => string, synced: (call: string) => string): string {
    const rd = insn.rd;
    const a = addrOf(insn);
    const val = reg(rd);
    const val2 = w === 8 ? reg(rd + 1) : '';
    const mask = w === 8 ? 7 : w - 1;
    const align = mask ? `if ((a & ${mask}) !== 0) ${trap(TT.mem_address_not_aligned)}` : '';
    const idx = `a >>> 2 & ${PAGE_WORDS - 1}`;
    const slowFault = `if (H.fault) { H.fault = false; ${trap(TT.data_access_error)} }`;
    let fast: string;
    let slow: string;
    if (w === 8) {
      fast = `x = ${idx}; p[x] = ${val}; p[x + 1] = ${val2};`;
      slow = `${synced(`H.write(a, 4, ${val});`)} ${slowFault} ${synced(`H.write(a + 4, 4, ${val2});`)} ${slowFault}`;
    } else if (w === 4) {
      fast = `p[${idx}] = ${val};`;
      slow = `${synced(`H.write(a, 4, ${val});`)} ${slowFault}`;
    } else {
      const shift = w === 2 ? '((2 - (a & 2)) << 3)' : '((3 - (a & 3)) << 3)';
      const m = w === 2 ? '0xffff' : '255';
      fast = `x = ${idx}; y = ${shift}; p[x] = (p[x] & ~(${m} << y)) | ((${val} & ${m}) << y);`;
      slow = `${synced(`H.write(a, ${w}, ${val});`)} ${slowFault}`;
    }
    return `a = ${a}; ${align} p = WP[a >>> ${PAGE_SHIFT}]; if (p) { ${fast} } else { ${slow} ${after()} }`;
  }

  // ---- the trace ----
  const body: string[] = [];
  let k = 0; // steps of this pass before the current item
  for (const item of items) {
    switch (item.kind) {
      case 'op':
        body.push(genOp(item, k));
        k++;
        break;
      case 'skip':
        k++;
        break;
      case 'goto':
        body.push(`${item.call ? setReg(15, hex(item.addr) + ' | 0') : ''} t = ${hex(item.target)};`);
        k++;
        break;
      case 'branch': {
        const { pre: p, expr } = branchCond(item.insn.cond);
        body.push(`${p} t = ${expr} ? ${hex(item.target)} : ${hex(item.addr + 8)};`);
        k++;
        break;
      }
      case 'side':
        body.push(`if (t === ${hex(item.target)}) { ${exitTo(item.target, k, writeBack(dirty))} }`);
        break;
      case 'annul': {
        const { pre: p, expr } = branchCond(item.insn.cond);
        // The taken path runs the slot and leaves; the fall-through path skips the slot.
        const saved: { epoch: number; loaded: Set<number>; dirty: Set<number>; lastCc: CcKind | null } = { epoch, loaded: new Set(loaded), dirty: new Set(dirty), lastCc };
        const slotItem = item.slot as Extract<Item, { kind: 'op' }>;
        const slotCode = genOp(slotItem, k + 1);
        const leave = exitTo(item.target, k + 2, writeBack(dirty));
        ({ epoch, loaded, dirty, lastCc } = saved);
        body.push(`${p} if (${expr}) { t = ${hex(item.target)}; ${slotCode} ${leave} }`);
        k++;
        break;
      }
      case 'jmpl': {
        pre = [];
        const target = addrOf(item.insn);
        const loads = pre.join(' ');
        const wb = writeBack(dirty);
        body.push(`${loads} t = ${target}; if ((t & 3) !== 0) ${trapExit(item.addr, false, k, String(TT.mem_address_not_aligned), wb)} ${setReg(item.insn.rd, hex(item.addr) + ' | 0')}`);
        k++;
        break;
      }
      case 'end':
        if (item.pc === null) {
          len = Math.max(len, k);
          body.push(`${writeBack(dirty)} cpu.pc = t; cpu.npc = (t + 4) >>> 0; cpu.steps += s0 + ${k}; return null;`);
        } else body.push(exitTo(item.pc, k, writeBack(dirty)));
        break;
    }
  }
  const locals = [...declared].map((d) => `${d} = 0`).join(', ');
  const out: string[] = [];
  out.push(`let o = cpu.wo, n = cpu.wi, s0 = 0, t = 0, a = 0, v = 0, x = 0, y = 0, c = 0, ca = 0, cb = 0, cr = 0, ci = 0, p = null, q = null${locals ? ', ' + locals : ''};`);
  const code = body.join('\n').split('LEN').join(String(len));
  if (looped) out.push('for (;;) {', code, '}');
  else out.push(code);
  return { code: out.join('\n'), len, exits };
}
