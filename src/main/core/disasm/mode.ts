// Which SPARC instruction set objdump decodes a file with: BFD's machine from e_machine, e_flags
// and the GNU hardware-capability attributes (bfd/elf32-sparc.c elf32_sparc_object_p).
import {
  EF_SPARC_LEDATA, EF_SPARC_SUN_US1, EF_SPARC_SUN_US3, EM_SPARC, EM_SPARC32PLUS,
  Tag_GNU_Sparc_HWCAPS, Tag_GNU_Sparc_HWCAPS2, type ElfFile,
} from '../elf/index.ts';

/** BFD's SPARC machine names (bfd/cpu-sparc.c), the 32-bit ones. */
export type SparcMachine =
  | 'sparc' | 'sparc:sparclite_le' | 'sparc:v8plus' | 'sparc:v8plusa' | 'sparc:v8plusb' | 'sparc:v8plusc'
  | 'sparc:v8plusd' | 'sparc:v8pluse' | 'sparc:v8plusv' | 'sparc:v8plusm' | 'sparc:v8plusm8';

// ELF_SPARC_HWCAP_* / ELF_SPARC_HWCAP2_* (binutils include/elf/sparc.h).
const V9C_HWCAPS = 0x00000080; // ASI_BLK_INIT
const V9D_HWCAPS = 0x00000100 | 0x00000400 | 0x00000800; // FMAF VIS3 HPC
const V9E_HWCAPS = 0x00020000 | 0x00040000 | 0x00080000 | 0x00100000 | 0x00200000 | 0x00400000 | 0x00800000 |
  0x01000000 | 0x02000000 | 0x04000000 | 0x20000000 | 0x10000000 | 0x08000000; // AES … CBCOND PAUSE
const V9V_HWCAPS = 0x00004000 | 0x00008000; // FJFMAU IMA
const V9M_HWCAPS2 = 0x00000008 | 0x00000004 | 0x00000010; // SPARC5 ADP MWAIT
const M8_HWCAPS2 = 0x00020000 | 0x00040000 | 0x00080000 | 0x00100000 | 0x00200000 | 0x00400000 | 0x00800000 | 0x01000000;

export function sparcMachine(elf: ElfFile): SparcMachine {
  const flags = elf.header.flags;
  if (elf.header.machine === EM_SPARC32PLUS) {
    const hwcaps = elf.attribute(Tag_GNU_Sparc_HWCAPS) ?? 0;
    const hwcaps2 = elf.attribute(Tag_GNU_Sparc_HWCAPS2) ?? 0;
    if (hwcaps2 & M8_HWCAPS2) return 'sparc:v8plusm8';
    if (hwcaps2 & V9M_HWCAPS2) return 'sparc:v8plusm';
    if (hwcaps & V9V_HWCAPS) return 'sparc:v8plusv';
    if (hwcaps & V9E_HWCAPS) return 'sparc:v8pluse';
    if (hwcaps & V9D_HWCAPS) return 'sparc:v8plusd';
    if (hwcaps & V9C_HWCAPS) return 'sparc:v8plusc';
    if (flags & EF_SPARC_SUN_US3) return 'sparc:v8plusb';
    if (flags & EF_SPARC_SUN_US1) return 'sparc:v8plusa';
    if (flags & EF_SPARC_LEDATA) return 'sparc:sparclite_le';
    return 'sparc:v8plus';
  }
  if (flags & EF_SPARC_LEDATA) return 'sparc:sparclite_le';
  return 'sparc';
}

/** True when the file is one the SPARC listing can decode (EM_SPARC or EM_SPARC32PLUS). */
export function isSparc(elf: ElfFile): boolean {
  return elf.header.machine === EM_SPARC || elf.header.machine === EM_SPARC32PLUS;
}

/**
 * The decoder mode for a file: 'v8' for plain SPARC, 'v9' for V8+, 'v9a' for V8+A and every later
 * V8+ level (the decoder knows instructions up to VIS 1; newer ones would print as "unknown").
 */
export function decoderMode(elf: ElfFile): 'v8' | 'v9' | 'v9a' {
  const m = sparcMachine(elf);
  if (m === 'sparc' || m === 'sparc:sparclite_le') return 'v8';
  if (m === 'sparc:v8plus') return 'v9';
  return 'v9a';
}
