// Symbol lookups in the kernel image: address of a name, and the function an address falls in.
import type { ElfFile, ElfSymbol } from '../elf/index.ts';
import { STT_FUNC, STT_OBJECT } from '../elf/index.ts';
import { MinisolError } from './errors.ts';

export class KernelSymbols {
  private readonly byName = new Map<string, ElfSymbol>();
  private readonly functions: ElfSymbol[];

  constructor(elf: ElfFile) {
    for (const s of elf.symbols) {
      if (s.type !== STT_FUNC && s.type !== STT_OBJECT) continue;
      // globals win over locals of the same name (_init exists once per module)
      if (!this.byName.has(s.name) || s.bind !== 0) this.byName.set(s.name, s);
    }
    this.functions = elf.symbols.filter((s) => s.type === STT_FUNC && s.size > 0).sort((a, b) => a.value - b.value);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The symbol, or a MinisolError naming what is missing. */
  get(name: string): ElfSymbol {
    const s = this.byName.get(name);
    if (s === undefined) throw new MinisolError('no-symbol', `the kernel image has no symbol "${name}"; is it a minisol image?`);
    return s;
  }

  address(name: string): number {
    return this.get(name).value;
  }

  /** The function containing `addr`, as "name+0xoff" with its module, or null. */
  describe(addr: number): { name: string; module: string | null; offset: number } | null {
    let lo = 0;
    let hi = this.functions.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const f = this.functions[mid]!;
      if (addr < f.value) hi = mid - 1;
      else if (addr >= f.value + f.size) lo = mid + 1;
      else return { name: f.name, module: f.module, offset: addr - f.value };
    }
    return null;
  }

  /** "name+0xoff" for an address inside a data object (a wait channel), or null. */
  describeData(addr: number): string | null {
    for (const s of this.byName.values()) {
      if (s.type === STT_OBJECT && addr >= s.value && addr < s.value + Math.max(1, s.size)) {
        return addr === s.value ? s.name : `${s.name}+0x${(addr - s.value).toString(16)}`;
      }
    }
    return null;
  }

  format(addr: number): string {
    const d = this.describe(addr);
    const hex = `0x${(addr >>> 0).toString(16).padStart(8, '0')}`;
    if (d === null) return hex;
    return `${d.module ?? '?'}:${d.name}+0x${d.offset.toString(16)} (${hex})`;
  }
}
