// Builds freestanding SPARC V8 Linux test programs (C or assembly) with the cross compiler into a temp dir.
//
// Debian's 32-bit SPARC libc and libgcc are compiled for V8+ (they use V9 instructions and their
// executables are EM_SPARC32PLUS, which qemu-sparc refuses), so test programs link against the
// tiny V8 runtime in sparc-rt/ instead: crt0 (argc/argv from the Linux initial stack), syscalls
// via `ta 0x10`, printf, malloc, and the 64-bit integer helpers GCC calls (libgcc-v8.c).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLinuxProgram } from '../../src/main/core/machine/index.ts';

export const GCC = 'sparc64-linux-gnu-gcc';
export const AS = 'sparc64-linux-gnu-as';
export const QEMU = 'qemu-sparc';

export const RT_DIR = join(import.meta.dirname, 'sparc-rt');
const OUT_DIR = join(tmpdir(), `springboard-sparc-build-${process.getuid?.() ?? 0}`);

/** Flags for V8 code that runs under qemu-sparc and our machine. */
export const V8_CFLAGS = ['-m32', '-mcpu=v8', '-msoft-float', '-fno-pic', '-fno-pie', '-no-pie', '-ffreestanding', '-fno-builtin',
  '-fno-stack-protector', '-nostdlib', '-static', '-Wl,-e,_start', '-Wl,--no-warn-execstack', '-Wl,--build-id=none'];

export interface BuildOptions {
  /** Optimisation level flag, e.g. '-O2'. */
  opt?: string;
  /** Extra compiler flags. */
  flags?: readonly string[];
  /** Link the C runtime (crt0, rt.c, libgcc-v8.c); default true for C, false for assembly. */
  runtime?: boolean;
}

/**
 * Compiles and links `sources` (paths; .c, .S or .s) into an executable; cached by content and
 * flags, so repeated test runs reuse the binary. Returns the executable's path.
 */
export function buildProgram(sources: readonly string[], options: BuildOptions = {}): string {
  const isC = sources.some((s) => s.endsWith('.c'));
  const runtime = options.runtime ?? isC;
  const all = runtime ? [join(RT_DIR, 'crt0.S'), join(RT_DIR, 'rt.c'), join(RT_DIR, 'libgcc-v8.c'), ...sources] : [...sources];
  const flags = [...V8_CFLAGS, options.opt ?? '-O2', `-I${RT_DIR}`, ...(options.flags ?? [])];
  if (!runtime) flags.push('-nostartfiles');
  const hash = createHash('sha256');
  for (const f of all) hash.update(f).update(readFileSync(f));
  hash.update(flags.join(' '));
  const out = join(OUT_DIR, `${hash.digest('hex').slice(0, 16)}.elf`);
  if (!existsSync(out)) {
    mkdirSync(OUT_DIR, { recursive: true });
    const tmp = `${out}.${process.pid}.tmp`;
    execFileSync(GCC, [...flags, '-o', tmp, ...all], { stdio: ['ignore', 'ignore', 'pipe'] });
    // Rename is atomic: parallel test files building the same program do not see half a file.
    execFileSync('mv', ['-f', tmp, out]);
  }
  return out;
}

/** Writes `text` to a file in the build directory (for generated sources) and returns its path. */
export function writeSource(name: string, text: string): string {
  mkdirSync(OUT_DIR, { recursive: true });
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
  const path = join(OUT_DIR, `${hash}-${name}`);
  if (!existsSync(path)) writeFileSync(path, text);
  return path;
}

export interface RunOutcome {
  stdout: string;
  /** Exit status when the program exited, else null. */
  status: number | null;
  /** Name of the signal that killed it (SIGILL, SIGSEGV, ...), else null. */
  signal: string | null;
}

/** Runs an executable under qemu-sparc. */
export function runQemu(path: string, args: readonly string[] = [], input?: Uint8Array): RunOutcome {
  const r = spawnSync(QEMU, [path, ...args], { input, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { stdout: r.stdout.toString('latin1'), status: r.status, signal: r.signal };
}

const SPARC_SIGNALS: Record<number, string> = { 4: 'SIGILL', 5: 'SIGTRAP', 6: 'SIGABRT', 7: 'SIGEMT', 8: 'SIGFPE', 10: 'SIGBUS', 11: 'SIGSEGV' };

/** Runs an executable on our machine with the Linux personality. */
export function runOurs(path: string, engine: 'fast' | 'reference', args: readonly string[] = [], maxInstructions = 2e9): RunOutcome & { instructions: number } {
  const chunks: Uint8Array[] = [];
  const r = runLinuxProgram(readFileSync(path), { engine, argv: [path, ...args], stdout: (b) => chunks.push(b.slice()), maxInstructions });
  const stdout = Buffer.concat(chunks).toString('latin1');
  if (r.signal !== null) return { stdout, status: null, signal: SPARC_SIGNALS[r.signal] ?? `signal ${r.signal}`, instructions: r.instructions };
  return { stdout, status: r.exitStatus, signal: null, instructions: r.instructions };
}
