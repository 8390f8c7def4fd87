// The committed kernel image: a believable kernel (modules, functions, the ones the talk measures, _init springboard space), and it rebuilds byte for byte.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseElf, STT_FUNC } from '../../src/main/core/elf/index.ts';
import { describeWithTool } from '../support/tools.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const IMAGE = join(ROOT, 'guest', 'minisol', 'minisol.elf');
const bytes = new Uint8Array(readFileSync(IMAGE));
const elf = parseElf(bytes);

describe('the committed minisol image', () => {
  it('is a SPARC V8 executable linked at the Solaris kernel base', () => {
    expect(elf.header.machine).toBe(2);
    expect(elf.header.type).toBe(2);
    expect(elf.sectionByName('.text')!.addr).toBe(0xf0004000);
    expect(elf.symbols.find((s) => s.name === 'trap_table')!.value).toBe(0xf0004000);
  });

  it('has at least 300 functions in at least 10 modules', () => {
    const modules = elf.modules.filter((m) => m.functions.length > 0);
    const functions = modules.reduce((n, m) => n + m.functions.length, 0);
    expect(functions).toBeGreaterThanOrEqual(300);
    expect(modules.length).toBeGreaterThanOrEqual(10);
    for (const m of ['genunix', 'dnlc', 'ufs', 'sd', 'ip', 'tcp', 'hme', 'vm', 'kstat', 'locore', 'sockfs']) {
      expect(modules.map((x) => x.name), m).toContain(m);
    }
  });

  it('has the functions the talk measures, in their modules', () => {
    const where = elf.functionModules();
    const expected: Record<string, string> = {
      copen: 'genunix', falloc: 'genunix', closef: 'genunix', vn_open: 'genunix', vn_create: 'genunix', lookuppn: 'genunix',
      vn_rele: 'genunix', cfork: 'genunix', kmem_alloc: 'genunix', kmem_free: 'genunix', clock: 'genunix', preempt: 'genunix',
      disp: 'genunix', swtch: 'genunix', setrun: 'genunix', mutex_enter: 'genunix', cv_wait: 'genunix', syscall_trap: 'genunix',
      bread: 'genunix', bwrite: 'genunix', getblk: 'genunix', brelse: 'genunix',
      dnlc_lookup: 'dnlc', dnlc_enter: 'dnlc', dnlc_remove: 'dnlc',
      ufs_lookup: 'ufs', ufs_dirlook: 'ufs', ufs_create: 'ufs', ufs_itrunc: 'ufs', ufs_read: 'ufs', ufs_write: 'ufs',
      ufs_getpage: 'ufs', ufs_prefetch_policy: 'ufs', ufs_iget: 'ufs', ufs_lockfs_begin: 'ufs', ufs_lockfs_end: 'ufs',
      sdstrategy: 'sd', sdintr: 'sd', hmeintr: 'hme', hme_start: 'hme', ip_rput: 'ip', ip_csum_hdr: 'ip',
      tcp_lookup: 'tcp', tcp_rput_data: 'tcp', tcp_wput: 'tcp', hat_chgprot: 'vm', hat_swapin: 'vm',
      resume: 'locore', window_overflow: 'locore', window_underflow: 'locore', sys_trap: 'locore',
    };
    for (const [fn, mod] of Object.entries(expected)) expect(where.get(fn), fn).toBe(mod);
  });

  it('has a tcp_rput_data of at least 3 KB', () => {
    expect(elf.symbols.find((s) => s.name === 'tcp_rput_data')!.size).toBeGreaterThanOrEqual(3072);
  });

  it('gives every C module an _init and _fini big enough for springboards', () => {
    const inits = elf.symbols.filter((s) => s.name === '_init' && s.type === STT_FUNC);
    const mods = new Set(inits.map((s) => s.module));
    for (const m of ['genunix', 'dnlc', 'ufs', 'sd', 'ip', 'tcp', 'hme', 'vm', 'kstat', 'sockfs']) expect(mods, m).toContain(m);
    for (const s of inits) expect(s.size, `${s.module}:_init`).toBeGreaterThanOrEqual(56);
  });

  it('carries no build path', () => {
    const text = new TextDecoder('latin1').decode(bytes);
    expect(text).not.toMatch(/\/work\/|\/home\/|\/tmp\/minisol/);
  });
});

describeWithTool(['sparc64-linux-gnu-gcc', 'sparc64-linux-gnu-ld'], 'minisol rebuild', () => {
  it('rebuilds from source byte for byte', async () => {
    const { buildGuest } = await import('../../scripts/build-guest.ts');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'minisol-test-'));
    try {
      const fresh = buildGuest(join(dir, 'minisol.elf'));
      expect(fresh.length).toBe(bytes.length);
      expect(Buffer.compare(Buffer.from(fresh), Buffer.from(bytes))).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
