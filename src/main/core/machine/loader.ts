// Loading ELF executables into the machine: PT_LOAD segments to memory, and the Linux process image.
import { parseElf, PT_LOAD, type ElfFile } from '../elf/index.ts';
import { MachineError } from './bus.ts';
import type { LinuxImage, LoadSegment } from './linux.ts';
import type { Machine } from './machine.ts';

export interface LoadedElf {
  readonly elf: ElfFile;
  readonly entry: number;
  /** Where each PT_LOAD segment went: [address, memsz]. */
  readonly placed: readonly (readonly [number, number])[];
}

/** The PT_LOAD segments of `elf` with their file bytes. */
export function loadSegments(elf: ElfFile, address: 'vaddr' | 'paddr' = 'vaddr'): LoadSegment[] {
  if (elf.header.machine !== 2) {
    const what = elf.header.machine === 18 ? 'SPARC32PLUS (V8+: needs V9 instructions; rebuild with -mcpu=v8 and a V8 libc/libgcc)' : `e_machine ${elf.header.machine}`;
    throw new MachineError('not-sparc-v8', `the ELF file is ${what}, not a SPARC V8 (EM_SPARC) executable`);
  }
  const out: LoadSegment[] = [];
  for (const seg of elf.segments) {
    if (seg.type !== PT_LOAD || seg.memsz === 0) continue;
    if (seg.offset + seg.filesz > elf.bytes.length) {
      throw new MachineError('bad-segment', `PT_LOAD segment ${seg.index} reaches past the end of the file`);
    }
    out.push({ vaddr: address === 'vaddr' ? seg.vaddr : seg.paddr, memsz: seg.memsz, data: elf.bytes.subarray(seg.offset, seg.offset + seg.filesz) });
  }
  return out;
}

/** Copies an ELF file's PT_LOAD segments into physical memory (at p_paddr by default) and zero-fills bss. */
export function loadElf(machine: Machine, bytes: Uint8Array, options: { address?: 'vaddr' | 'paddr' } = {}): LoadedElf {
  const elf = parseElf(bytes);
  const segs = loadSegments(elf, options.address ?? 'paddr');
  const placed: [number, number][] = [];
  for (const s of segs) {
    machine.bus.writeBytes(s.vaddr, s.data);
    if (s.memsz > s.data.length) machine.bus.writeBytes(s.vaddr + s.data.length, new Uint8Array(s.memsz - s.data.length));
    placed.push([s.vaddr, s.memsz]);
  }
  return { elf, entry: elf.header.entry, placed };
}

/** The process image the Linux personality loads from a static executable. */
export function linuxImageFromElf(bytes: Uint8Array): LinuxImage {
  const elf = parseElf(bytes);
  if (elf.header.type !== 2) throw new MachineError('not-executable', 'the Linux personality runs static executables (ET_EXEC); this file is not one');
  const segments = loadSegments(elf, 'vaddr');
  let phdrAddr = 0;
  for (const seg of elf.segments) {
    if (seg.type === PT_LOAD && elf.header.phoff >= seg.offset && elf.header.phoff < seg.offset + seg.filesz) {
      phdrAddr = seg.vaddr + (elf.header.phoff - seg.offset);
    }
  }
  return { entry: elf.header.entry, segments, phdrAddr, phent: elf.header.phentsize, phnum: elf.header.phnum };
}
