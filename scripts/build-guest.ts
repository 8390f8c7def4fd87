// Builds the minisol guest kernel (guest/minisol/minisol.elf) with the Debian SPARC cross compiler, deterministically.
//
// `npm run build:guest` (or `node scripts/build-guest.ts [--out FILE] [--check]`). Sources are
// compiled in sorted order from inside guest/minisol with relative paths and -ffile-prefix-map, no
// build IDs or recorded switches, and linked in sorted order, so the same sources always give the
// same bytes and no build path leaks into the image. --check rebuilds into a temporary file and
// exits 1 if it differs from the committed image.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const GUEST_DIR = resolve(import.meta.dirname, '..', 'guest', 'minisol');
export const IMAGE = join(GUEST_DIR, 'minisol.elf');
export const CROSS = 'sparc64-linux-gnu-';

/** The compiler flags: the (-m32 -mcpu=v8 -O2 -msoft-float -g) and what a freestanding, measurable kernel needs. */
export const CFLAGS: readonly string[] = [
  '-m32', '-mcpu=v8', '-O2', '-msoft-float', '-g',
  '-ffreestanding', '-fno-builtin', '-nostdinc', '-fno-pic', '-fno-pie', '-fno-common',
  '-fno-stack-protector', '-fno-asynchronous-unwind-tables', '-fno-unwind-tables',
  // one symbol per function, in source order, with real calls (so the module spans, call graph
  // and exit points are what the source says; KernInst's measurements count calls)
  '-fno-toplevel-reorder', '-fno-reorder-functions', '-fno-inline-small-functions',
  '-fno-inline-functions-called-once', '-fno-partial-inlining', '-fno-ipa-cp', '-fno-ipa-sra',
  '-fno-ipa-icf', '-fno-optimize-sibling-calls', '-fno-tree-loop-distribute-patterns',
  '-ffixed-g7', // %g7 is the current thread, as in Solaris
  '-gno-record-gcc-switches', `-ffile-prefix-map=${GUEST_DIR}=minisol`,
  '-Wall', '-Wextra', '-Wno-unused-parameter', '-Wno-main', '-Werror',
  '-Iinclude',
];

export class GuestBuildError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'GuestBuildError';
    this.code = code;
  }
}

/** Sources of the kernel: every .c and .S file directly in guest/minisol, sorted. */
export function guestSources(): string[] {
  return readdirSync(GUEST_DIR).filter((f) => f.endsWith('.c') || f.endsWith('.S')).sort();
}

function run(tool: string, args: readonly string[]): void {
  try {
    execFileSync(CROSS + tool, [...args], { cwd: GUEST_DIR, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C', SOURCE_DATE_EPOCH: '0' } });
  } catch (error) {
    const e = error as { stderr?: Buffer; message: string };
    throw new GuestBuildError('compile-failed', `${CROSS}${tool} ${args.join(' ')} failed:\n${e.stderr?.toString() ?? e.message}`);
  }
}

/** Compiles and links the kernel into `out`. Returns the image bytes. */
export function buildGuest(out: string = IMAGE): Uint8Array {
  const work = mkdtempSync(join(tmpdir(), 'minisol-build-'));
  try {
    const objs: string[] = [];
    for (const src of guestSources()) {
      const obj = join(work, src.replace(/\.[cS]$/, '.o'));
      run('gcc', [...CFLAGS, '-c', src, '-o', obj]);
      objs.push(obj);
    }
    const linked = join(work, 'minisol.elf');
    run('ld', ['-m', 'elf32_sparc', '-T', 'minisol.ld', '--build-id=none', '-nostdlib', '-n', '-z', 'noexecstack', '-o', linked, ...objs]);
    mkdirSync(resolve(out, '..'), { recursive: true });
    copyFileSync(linked, out);
    return readFileSync(out);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function main(argv: readonly string[]): number {
  const outIndex = argv.indexOf('--out');
  const check = argv.includes('--check');
  if (check) {
    const dir = mkdtempSync(join(tmpdir(), 'minisol-check-'));
    try {
      const fresh = buildGuest(join(dir, 'minisol.elf'));
      const committed = readFileSync(IMAGE);
      if (Buffer.compare(Buffer.from(fresh), committed) !== 0) {
        process.stderr.write(`build-guest: a rebuild differs from ${IMAGE} (${fresh.length} vs ${committed.length} bytes); run npm run build:guest and commit the image\n`);
        return 1;
      }
      process.stdout.write(`build-guest: ${IMAGE} rebuilds byte for byte (${fresh.length} bytes)\n`);
      return 0;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const out = outIndex >= 0 ? resolve(argv[outIndex + 1] ?? '') : IMAGE;
  const bytes = buildGuest(out);
  process.stdout.write(`build-guest: wrote ${out} (${bytes.length} bytes, ${guestSources().length} sources)\n`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    process.exit(main(process.argv.slice(2)));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}
