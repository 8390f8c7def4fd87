// Builds small ELF32 big-endian files in memory, for tests that need shapes no compiler emits.

export interface BuiltSection {
  name: string;
  type: number;
  flags?: number;
  addr?: number;
  data?: Uint8Array;
  /** For SHT_NOBITS: the size (no file bytes). */
  size?: number;
  link?: number;
  info?: number;
  align?: number;
  entsize?: number;
}

export interface BuiltSegment {
  type: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  flags?: number;
  align?: number;
}

export interface BuildOptions {
  type?: number;
  machine?: number;
  flags?: number;
  entry?: number;
  /** Section 0 is added automatically. */
  sections: BuiltSection[];
  /** Program headers; offsets may use `sectionOffset(name)` via the callback. */
  segments?: (offsets: Map<string, number>) => BuiltSegment[];
  /** Write e_shnum = 0 and e_shstrndx = SHN_XINDEX, with the real values in section 0. */
  extendedNumbering?: boolean;
}

export class ByteWriter {
  private bytes: number[] = [];
  get length(): number {
    return this.bytes.length;
  }
  u8(v: number): this {
    this.bytes.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v >>> 8).u8(v);
  }
  u32(v: number): this {
    return this.u16(v >>> 16).u16(v);
  }
  raw(data: Uint8Array | readonly number[]): this {
    for (const b of data) this.bytes.push(b);
    return this;
  }
  align(n: number): this {
    while (this.bytes.length % n !== 0) this.bytes.push(0);
    return this;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** A string table: `add(name)` returns its index. */
export class StringTableBuilder {
  private readonly parts: number[] = [0];
  private readonly seen = new Map<string, number>();
  add(name: string): number {
    if (name === '') return 0;
    const known = this.seen.get(name);
    if (known !== undefined) return known;
    const at = this.parts.length;
    for (const b of new TextEncoder().encode(name)) this.parts.push(b);
    this.parts.push(0);
    this.seen.set(name, at);
    return at;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export interface BuiltSymbol {
  name: string;
  value: number;
  size?: number;
  bind: number;
  type: number;
  other?: number;
  shndx: number;
}

/** The bytes of a symbol table (entry 0 included) and its string table. */
export function symbolTable(symbols: readonly BuiltSymbol[]): { symtab: Uint8Array; strtab: Uint8Array } {
  const strings = new StringTableBuilder();
  const w = new ByteWriter();
  w.u32(0).u32(0).u32(0).u8(0).u8(0).u16(0);
  for (const s of symbols) {
    w.u32(strings.add(s.name)).u32(s.value).u32(s.size ?? 0).u8((s.bind << 4) | s.type).u8(s.other ?? 0).u16(s.shndx);
  }
  return { symtab: w.done(), strtab: strings.bytes() };
}

export function buildElf(options: BuildOptions): Uint8Array {
  const names = new StringTableBuilder();
  const sections = [...options.sections, { name: '.shstrtab', type: 3 } as BuiltSection];
  const nameIndex = sections.map((s) => names.add(s.name));
  const shstrtabData = names.bytes();
  sections[sections.length - 1]!.data = shstrtabData;
  const segmentsOf = options.segments;
  const phnum = segmentsOf ? segmentsOf(new Map()).length : 0;
  const w = new ByteWriter();
  // Header placeholder; filled at the end.
  for (let i = 0; i < 52; i++) w.u8(0);
  const phoff = phnum > 0 ? w.length : 0;
  for (let i = 0; i < phnum * 32; i++) w.u8(0);
  const offsets = new Map<string, number>();
  const fileOffsets: number[] = [];
  for (const s of sections) {
    w.align(Math.max(1, s.align ?? 4));
    fileOffsets.push(w.length);
    offsets.set(s.name, w.length);
    if (s.type !== 8 && s.data) w.raw(s.data);
  }
  w.align(4);
  const shoff = w.length;
  const shnum = sections.length + 1;
  const shstrndx = sections.length;
  // Section 0.
  w.u32(0).u32(0).u32(0).u32(0).u32(0);
  w.u32(options.extendedNumbering ? shnum : 0).u32(options.extendedNumbering ? shstrndx : 0).u32(0).u32(0).u32(0);
  sections.forEach((s, i) => {
    const size = s.type === 8 ? (s.size ?? 0) : (s.data?.length ?? 0);
    w.u32(nameIndex[i]!).u32(s.type).u32(s.flags ?? 0).u32(s.addr ?? 0).u32(fileOffsets[i]!).u32(size)
      .u32(s.link ?? 0).u32(s.info ?? 0).u32(s.align ?? 4).u32(s.entsize ?? 0);
  });
  const out = w.done();
  const view = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 1, 2, 1, 0]);
  view.setUint16(16, options.type ?? 2);
  view.setUint16(18, options.machine ?? 2);
  view.setUint32(20, 1);
  view.setUint32(24, options.entry ?? 0);
  view.setUint32(28, phoff);
  view.setUint32(32, shoff);
  view.setUint32(36, options.flags ?? 0);
  view.setUint16(40, 52);
  view.setUint16(42, phnum > 0 ? 32 : 0);
  view.setUint16(44, phnum);
  view.setUint16(46, 40);
  view.setUint16(48, options.extendedNumbering ? 0 : shnum);
  view.setUint16(50, options.extendedNumbering ? 0xffff : shstrndx);
  if (segmentsOf) {
    const segs = segmentsOf(offsets);
    segs.forEach((p, i) => {
      const o = phoff + i * 32;
      view.setUint32(o, p.type);
      view.setUint32(o + 4, p.offset);
      view.setUint32(o + 8, p.vaddr);
      view.setUint32(o + 12, p.vaddr);
      view.setUint32(o + 16, p.filesz);
      view.setUint32(o + 20, p.memsz);
      view.setUint32(o + 24, p.flags ?? 5);
      view.setUint32(o + 28, p.align ?? 4);
    });
  }
  return out;
}

/** SPARC words as big-endian bytes. */
export function words(...ws: number[]): Uint8Array {
  const w = new ByteWriter();
  for (const x of ws) w.u32(x);
  return w.done();
}
