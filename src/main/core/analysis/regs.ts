// Register sets as bit masks: the 32 integer registers of a window, icc, Y and the hidden window.
//
// A live set is two 32-bit words (kept as signed Int32 values):
//   A — bit k is register r_k of the current window (%g0-%g7 = 0-7, %o0-%o7 = 8-15, %l0-%l7 = 16-23,
//       %i0-%i7 = 24-31). Bit 0 (%g0) is never set: reads of %g0 are constant, writes discarded.
//   B — bit 0 is the integer condition codes (icc; V9 xcc is folded in), bit 1 is %y, and bits
//       16-31 are the locals and ins of the *function's own entry window* while the function runs one
//       `save` deeper (level 1): they are invisible there but must survive until the `restore`
//       (SPARC V8 §4.2: a save leaves the caller's locals and ins in the window below).

export const FLAG_ICC = 1;
export const FLAG_Y = 2;
export const FLAGS = FLAG_ICC | FLAG_Y;
/** B bits 16-31: the entry window's %l0-%i7 while the function is one window deeper. */
export const HIDDEN = 0xffff0000 | 0;
/** Every register but %g0. */
export const ALL_REGS = ~1;

export const REGISTER_NAMES: readonly string[] = [
  '%g0', '%g1', '%g2', '%g3', '%g4', '%g5', '%g6', '%g7',
  '%o0', '%o1', '%o2', '%o3', '%o4', '%o5', '%sp', '%o7',
  '%l0', '%l1', '%l2', '%l3', '%l4', '%l5', '%l6', '%l7',
  '%i0', '%i1', '%i2', '%i3', '%i4', '%i5', '%fp', '%i7',
];

/** Register number of '%g1', 'o3', '%sp', 'fp', 'r17', …; throws on other names. */
export function registerIndex(name: string): number {
  const n = name.replace(/^%/, '').toLowerCase();
  if (n === 'sp') return 14;
  if (n === 'fp') return 30;
  const m = /^([rgoli])(\d+)$/.exec(n);
  if (m !== null) {
    const k = Number(m[2]);
    if (m[1] === 'r' && k < 32) return k;
    if (m[1] !== 'r' && k < 8) return { g: 0, o: 8, l: 16, i: 24 }[m[1] as 'g' | 'o' | 'l' | 'i'] + k;
  }
  throw new RangeError(`no integer register "${name}": use %g0-%g7, %o0-%o7, %l0-%l7, %i0-%i7, %sp, %fp or r0-r31`);
}

/** A register mask from names ('%g1', '%o0'…; also 'icc' and 'y' land in the second word). */
export function maskOf(names: readonly string[]): { regs: number; flags: number } {
  let regs = 0;
  let flags = 0;
  for (const name of names) {
    const n = name.replace(/^%/, '').toLowerCase();
    if (n === 'icc' || n === 'xcc' || n === 'ccr') flags |= FLAG_ICC;
    else if (n === 'y') flags |= FLAG_Y;
    else regs |= 1 << registerIndex(name);
  }
  return { regs: regs & ALL_REGS, flags };
}

/** Names of the registers in `regs` (r1..r31) and of the flags in `flags` (icc, %y), in order. */
export function namesOf(regs: number, flags = 0): string[] {
  const out: string[] = [];
  for (let k = 1; k < 32; k++) if ((regs >>> k) & 1) out.push(REGISTER_NAMES[k]!);
  if (flags & FLAG_ICC) out.push('icc');
  if (flags & FLAG_Y) out.push('%y');
  return out;
}

/** Names of the hidden entry-window registers in a B word (shown as e.g. 'entry:%l0'). */
export function hiddenNamesOf(flags: number): string[] {
  const out: string[] = [];
  for (let k = 16; k < 32; k++) if ((flags >>> k) & 1) out.push(`entry:${REGISTER_NAMES[k]!}`);
  return out;
}

/** Number of set bits. */
export function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

// ---- window renaming -----------------------------------------------------------------------
// "Exit coordinates" are the registers of the function's entry window (its caller's window): the
// liveness of a point is G ∪ rename(level, EXIT ∩ P), with G in the point's own window and P, the
// set of exit registers whose liveness passes through to the point, in exit coordinates.

/** A registers of exit coordinates seen from level 1: %g stay, the caller's %o are our %i. */
export function exitToLevel1A(ea: number): number {
  return (ea & 0xff) | (((ea >>> 8) & 0xff) << 24);
}

/** B word of exit coordinates seen from level 1: flags stay, the caller's %l/%i become hidden. */
export function exitToLevel1B(ea: number, eb: number): number {
  return (eb & FLAGS) | (ea & HIDDEN);
}

/** Exit-coordinate registers killed by writing `defs` (A) at level 1: globals and our %i. */
export function level1DefsToExit(defs: number): number {
  return (defs & 0xff) | (((defs >>> 24) & 0xff) << 8);
}
