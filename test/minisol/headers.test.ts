// The guest's C headers and the host's TypeScript mirrors of them agree: device registers, the boot-parameter block, the disk layout.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as regs from '../../src/main/core/machine/devices/registers.ts';
import { BOOTPARAM_ADDR, BOOTPARAM_FIELDS, BOOTPARAM_MAGIC, BOOTPARAM_VERSION } from '../../src/main/core/minisol/bootparams.ts';
import * as fsl from '../../src/main/core/minisol/fs-layout.ts';

const INCLUDE = join(import.meta.dirname, '..', '..', 'guest', 'minisol', 'include');

function defines(file: string): Map<string, number> {
  const out = new Map<string, number>();
  const text = readFileSync(join(INCLUDE, file), 'utf8');
  for (const m of text.matchAll(/^#define\s+(\w+)\s+(0x[0-9a-fA-F]+|\d+)\b/gm)) out.set(m[1]!, Number(m[2]));
  return out;
}

describe('devices.h and registers.ts', () => {
  const d = defines('devices.h');
  const groups: [string, Record<string, number>][] = [['CONS_', regs.CONS], ['SC_', regs.SC], ['CLK_', regs.CLK], ['SD_', regs.SD], ['HME_', regs.HME], ['HMED_', regs.HMED]];
  it('have the same bases', () => {
    for (const b of ['CONS_BASE', 'SYSCTL_BASE', 'CLOCK_BASE', 'DISK_BASE', 'NIC_BASE', 'DEVICE_SPAN']) {
      expect(d.get(b), b).toBe((regs as unknown as Record<string, number>)[b]);
    }
  });
  for (const [prefix, table] of groups) {
    it(`have the same ${prefix}* registers`, () => {
      const fromC = [...d].filter(([k]) => k.startsWith(prefix) && !k.endsWith('_BASE')).map(([k, v]) => [k.slice(prefix.length), v] as const);
      expect(fromC.length).toBeGreaterThan(2);
      for (const [name, value] of fromC) expect(table[name], `${prefix}${name}`).toBe(value);
      for (const [name, value] of Object.entries(table)) expect(d.get(prefix + name), `${prefix}${name} in devices.h`).toBe(value);
    });
  }
});

describe('bootparam.h and bootparams.ts', () => {
  const text = readFileSync(join(INCLUDE, 'bootparam.h'), 'utf8');
  it('list the same fields in the same order', () => {
    const block = /#define BOOTPARAM_FIELDS\(X\)([\s\S]*?)\n\n/.exec(text)![1]!;
    const fields = [...block.matchAll(/X\((\w+)\)/g)].map((m) => m[1]);
    expect(fields).toEqual([...BOOTPARAM_FIELDS]);
  });
  it('agree on the magic, version and address', () => {
    const d = defines('bootparam.h');
    expect(d.get('BOOTPARAM_MAGIC')).toBe(BOOTPARAM_MAGIC);
    expect(d.get('BOOTPARAM_VERSION')).toBe(BOOTPARAM_VERSION);
    expect(defines('machdep.h').get('BOOTPARAM_ADDR')).toBe(BOOTPARAM_ADDR);
    expect(defines('machdep.h').get('RAM_TOP')).toBe(regs.RAM_TOP);
  });
});

describe('fs.h and fs-layout.ts', () => {
  it('agree on the disk layout constants', () => {
    const d = defines('fs.h');
    for (const name of ['FS_MAGIC', 'FS_VERSION', 'SBLOCK', 'ROOTINO', 'FS_ISIZE', 'NDADDR', 'NIADDR', 'DIRBLKSIZ', 'FSCLEAN', 'IFMT', 'IFDIR', 'IFREG']) {
      expect(d.get(name), name).toBe((fsl as unknown as Record<string, number>)[name]);
    }
    expect(defines('sys.h').get('FS_BSIZE')).toBe(fsl.FS_BSIZE);
  });
});
