// Register policy of an image: which registers are never free, what a software trap reads and
// writes, and what is live when a function returns to a caller the analysis cannot see.
//
// "Free" at a point means dead there AND safe to clobber. Liveness alone is not enough, because
// some registers are read by code the analysis does not see:
//   - %sp (%o6) and %fp (%i6): a window overflow/underflow trap (taken at any `save`/`restore`, in
//     this function or a callee) spills or fills a window at its %sp, and an interrupt handler's
//     window sits below the current %sp; so both must always hold valid stack pointers (V8 §4.2,
//     the ABI's register save area). They are reserved in every policy.
//   - %g0 reads as zero; it is never "free" (writing it does nothing).
//   - globals the system owns: %g7 is the thread pointer in Linux user mode (TLS) and `curthread`
//     in the Solaris kernel; %g5/%g6 are ABI "system" registers; a kernel's trap handlers may use
//     further globals without saving them (see `kernelPolicy`).
// A policy also gives the effect of `t<cond> N` (a software trap: to the analysis a call into the
// kernel with a fixed convention) and the live set at the exit of functions that may be called
// from places the analysis does not see (exported, address taken, the entry point).
import { ALL_REGS, FLAG_ICC, FLAGS, maskOf } from './regs.ts';

/** What a software trap does to the registers of the trapping window. */
export interface TrapSummary {
  /** Registers (A mask) and flags (icc/y) the trap handler reads. */
  readonly uses: number;
  readonly usesFlags: number;
  /** Registers and flags it overwrites. */
  readonly defs: number;
  readonly defsFlags: number;
}

export interface RegisterPolicy {
  readonly name: string;
  /** Registers never reported free (mask over r0..r31; %g0, %sp and %fp are always added). */
  readonly reserved: number;
  /** Flags never reported free (FLAG_ICC | FLAG_Y bits). */
  readonly reservedFlags: number;
  /**
   * The summary of a software trap with trap number `n` (0..127, the value added to 0x80), or of
   * one whose number is not a constant (`n` = null).
   */
  trap(n: number | null): TrapSummary;
  /**
   * Live at the return of a function that unknown code may call (exported, address taken, entry
   * point, no visible caller): A and B (flags) masks in the caller's window.
   */
  readonly unknownCallerExit: { readonly regs: number; readonly flags: number };
  /** Functions (by name) that never return whatever the analysis finds (for external/PLT callees). */
  readonly noReturnNames: ReadonlySet<string>;
}

/** The trap summary that assumes the handler reads every register and writes none. */
export const OPAQUE_TRAP: TrapSummary = { uses: ALL_REGS, usesFlags: FLAGS, defs: 0, defsFlags: 0 };

const ALWAYS_RESERVED = maskOf(['%g0', '%sp', '%fp']).regs | 1;

/**
 * What a caller may rely on after a call by the SPARC ABI: the return value in %o0/%o1, the stack
 * pointer, the system globals %g5-%g7 and its own locals and ins (preserved by the window
 * mechanism or by the callee). %g1-%g4, %o2-%o5, %o7, icc and %y are volatile (GCC treats %g2-%g4
 * as call-clobbered too).
 */
export const ABI_EXIT_LIVE = {
  regs: maskOf(['%g5', '%g6', '%g7', '%o0', '%o1', '%sp', '%l0', '%l1', '%l2', '%l3', '%l4', '%l5', '%l6', '%l7',
    '%i0', '%i1', '%i2', '%i3', '%i4', '%i5', '%fp', '%i7']).regs,
  flags: 0,
} as const;

export const DEFAULT_NORETURN: ReadonlySet<string> = new Set([
  'abort', 'exit', '_exit', '_Exit', '__assert_fail', '__assert_perror_fail', '__stack_chk_fail', '__chk_fail',
  '__fortify_fail', '__libc_fatal', 'longjmp', '_longjmp', 'siglongjmp', '__longjmp_chk', 'pthread_exit',
  'err', 'errx', 'verr', 'verrx', 'panic', '__cxa_throw', '__cxa_rethrow', '_Unwind_Resume',
]);

function build(name: string, reservedNames: readonly string[], trap: (n: number | null) => TrapSummary, reservedFlags = 0): RegisterPolicy {
  return {
    name,
    reserved: maskOf(reservedNames).regs | ALWAYS_RESERVED,
    reservedFlags,
    trap,
    unknownCallerExit: ABI_EXIT_LIVE,
    noReturnNames: DEFAULT_NORETURN,
  };
}

const LINUX_SYSCALL: TrapSummary = {
  uses: maskOf(['%g1', '%o0', '%o1', '%o2', '%o3', '%o4', '%o5']).regs,
  usesFlags: 0,
  defs: maskOf(['%o0', '%o1']).regs,
  defsFlags: FLAG_ICC,
};
const NOTHING: TrapSummary = { uses: 0, usesFlags: 0, defs: 0, defsFlags: 0 };

/**
 * Linux user mode (sparc32), as the machine's Linux personality implements it:
 *   `ta 0x10` — system call: reads the number in %g1 and arguments in %o0-%o5; writes the result
 *   to %o0 (and %o1 for the calls that return two values) and the carry flag (error). The other
 *   condition codes are treated as clobbered, as glibc's asm clobber lists declare ("cc").
 *   `ta 3` — flush windows: reads only the windows' stack pointers (always reserved).
 *   Any other trap (breakpoint, division traps, …) may show the whole register file to a handler
 *   or debugger: it reads everything.
 * Reserved: %g0, %sp, %fp and %g7 (glibc's thread pointer).
 */
export const linuxUserPolicy: RegisterPolicy = build('linux-user', ['%g7'], (n) => {
  if (n === 0x10) return LINUX_SYSCALL;
  if (n === 3) return NOTHING;
  return OPAQUE_TRAP;
});

/**
 * A kernel such as minisol (Solaris-shaped, runs in supervisor mode): %g7 is `curthread`; the
 * trap handlers of a Solaris-style kernel run in their own window but may use %g1-%g6 as scratch
 * before they save them — unless told otherwise (`scratchGlobals`), those globals are reserved
 * too, because an interrupt can arrive between any two instructions. Software traps are opaque.
 */
export function kernelPolicy(options: { scratchGlobals?: readonly string[]; reserved?: readonly string[] } = {}): RegisterPolicy {
  const scratch = options.scratchGlobals ?? ['%g1', '%g2', '%g3', '%g4', '%g5', '%g6'];
  return build('kernel', ['%g7', ...scratch, ...(options.reserved ?? [])], () => OPAQUE_TRAP);
}

/**
 * minisol (guest/minisol): %g7 is `curthread` (a global register variable in every C file). Its
 * trap entry (locore.S sys_trap) saves %g1 in a local before touching it and keeps all globals in
 * the trap frame until the return (sys_rtt), and the window overflow/underflow handlers save and
 * restore %g1 the same way, so an interrupt between two instructions changes no global: only %g7
 * is reserved. Software traps: `ta 3` flushes windows (reads only stack pointers); others opaque.
 */
export const minisolPolicy: RegisterPolicy = build('minisol', ['%g7'], (n) => (n === 3 ? NOTHING : OPAQUE_TRAP));

/** Everything the ABI lets systems reserve (%g5-%g7) is reserved; traps are opaque. */
export const strictPolicy: RegisterPolicy = build('strict', ['%g5', '%g6', '%g7'], () => OPAQUE_TRAP);

/** A policy with extra reserved registers, e.g. withReserved(linuxUserPolicy, ['%g6']). */
export function withReserved(policy: RegisterPolicy, names: readonly string[], flags = 0): RegisterPolicy {
  return { ...policy, name: `${policy.name}+${names.join(',')}`, reserved: policy.reserved | maskOf(names).regs, reservedFlags: policy.reservedFlags | flags };
}

/** Policies by name (for the CLI). */
export const POLICIES: Readonly<Record<string, RegisterPolicy>> = {
  'linux-user': linuxUserPolicy,
  kernel: kernelPolicy(),
  minisol: minisolPolicy,
  strict: strictPolicy,
};
