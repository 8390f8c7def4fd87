// Compile units from DWARF: .debug_aranges address ranges → the unit's DW_AT_name (its source file).
// Only what module assignment needs: 32-bit DWARF 2–5, the first DIE of each unit.
import { ElfError, ElfErrorCode } from './errors.ts';
import type { ElfSection } from './types.ts';
import { decodeUtf8 } from './utf8.ts';

export interface CompileUnitRange {
  readonly start: number;
  readonly end: number;
  /** DW_AT_name of the unit (the primary source file as given to the compiler). */
  readonly name: string;
}

const DW_AT_name = 0x03;

class Cursor {
  readonly bytes: Uint8Array;
  pos: number;
  readonly end: number;
  readonly section: ElfSection;

  constructor(bytes: Uint8Array, section: ElfSection, start: number, end: number) {
    this.bytes = bytes;
    this.section = section;
    this.pos = start;
    this.end = end;
  }

  fail(what: string): never {
    throw new ElfError(ElfErrorCode.BadDebugInfo, `${this.section.name}: ${what}`, { section: this.section.index, offset: this.pos }, 'Rebuild the file, or strip its debug information (strip -g)');
  }

  need(n: number): void {
    if (this.pos + n > this.end) this.fail(`a field of ${n} bytes runs past the end of its unit`);
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }

  u16(): number {
    this.need(2);
    const b = this.bytes;
    const v = (b[this.pos]! << 8) | b[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const b = this.bytes;
    const v = ((b[this.pos]! << 24) | (b[this.pos + 1]! << 16) | (b[this.pos + 2]! << 8) | b[this.pos + 3]!) >>> 0;
    this.pos += 4;
    return v;
  }

  sized(n: number): number {
    if (n === 1) return this.u8();
    if (n === 2) return this.u16();
    if (n === 4) return this.u32();
    if (n === 8) {
      const hi = this.u32();
      const lo = this.u32();
      return hi === 0 ? lo : this.fail('an 8-byte address above 4 GiB in a 32-bit file');
    }
    return this.fail(`address size ${n} is not 1, 2, 4 or 8`);
  }

  uleb(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.u8();
      if (scale < 2 ** 53) value += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) return value;
    }
    return this.fail('a LEB128 number longer than 10 bytes');
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  cstring(): string {
    const from = this.pos;
    while (this.pos < this.end && this.bytes[this.pos] !== 0) this.pos++;
    if (this.pos >= this.end) this.fail('a string runs past the end of its unit');
    return decodeUtf8(this.bytes, from, this.pos++);
  }
}

function stringAt(bytes: Uint8Array, section: ElfSection | undefined, offset: number): string | null {
  if (section === undefined || !section.hasContents || offset >= section.size) return null;
  const c = new Cursor(bytes, section, section.offset + offset, section.offset + section.size);
  return c.cstring();
}

/** Address ranges of the compile units, with their names; empty without .debug_aranges. */
export function compileUnitRanges(bytes: Uint8Array, sections: readonly ElfSection[]): CompileUnitRange[] {
  const byName = (n: string) => sections.find((s) => s.name === n && s.hasContents);
  const aranges = byName('.debug_aranges');
  const info = byName('.debug_info');
  const abbrev = byName('.debug_abbrev');
  if (aranges === undefined || info === undefined || abbrev === undefined) return [];
  const str = byName('.debug_str');
  const lineStr = byName('.debug_line_str');
  const names = new Map<number, string | null>();
  const out: CompileUnitRange[] = [];
  const end = aranges.offset + aranges.size;
  let at = aranges.offset;
  while (at + 4 <= end) {
    const c = new Cursor(bytes, aranges, at, end);
    const length = c.u32();
    if (length === 0xffffffff) c.fail('64-bit DWARF is not supported');
    if (length < 8 || at + 4 + length > end) c.fail(`unit length 0x${length.toString(16)} does not fit the section`);
    const unitEnd = at + 4 + length;
    const u = new Cursor(bytes, aranges, c.pos, unitEnd);
    u.u16();
    const cuOffset = u.u32();
    const addressSize = u.u8();
    const segmentSize = u.u8();
    if (addressSize !== 4 && addressSize !== 8) u.fail(`address size ${addressSize} in an address-range table`);
    const tuple = 2 * addressSize + segmentSize;
    const fromUnit = u.pos - at;
    const pad = (tuple - (fromUnit % tuple)) % tuple;
    u.skip(Math.min(pad, unitEnd - u.pos));
    let name = names.get(cuOffset);
    if (name === undefined) {
      name = unitName(bytes, info, abbrev, str, lineStr, cuOffset);
      names.set(cuOffset, name);
    }
    while (u.pos + tuple <= unitEnd) {
      if (segmentSize > 0) u.skip(segmentSize);
      const start = u.sized(addressSize);
      const len = u.sized(addressSize);
      if (start === 0 && len === 0) break;
      if (name !== null && len > 0) out.push({ start, end: Math.min(start + len, 0x1_0000_0000), name });
    }
    at = unitEnd;
  }
  return out.sort((a, b) => a.start - b.start);
}

/** DW_AT_name of the first DIE of the unit at `cuOffset` in .debug_info, or null. */
function unitName(
  bytes: Uint8Array,
  info: ElfSection,
  abbrev: ElfSection,
  str: ElfSection | undefined,
  lineStr: ElfSection | undefined,
  cuOffset: number,
): string | null {
  if (cuOffset + 11 > info.size) {
    throw new ElfError(ElfErrorCode.BadDebugInfo, `.debug_aranges names compile unit 0x${cuOffset.toString(16)} past the end of .debug_info`, { section: info.index });
  }
  const head = new Cursor(bytes, info, info.offset + cuOffset, info.offset + info.size);
  const length = head.u32();
  if (length === 0xffffffff) return null;
  const unitEnd = head.pos + length;
  if (unitEnd > info.offset + info.size) head.fail(`compile unit length 0x${length.toString(16)} does not fit the section`);
  const c = new Cursor(bytes, info, head.pos, unitEnd);
  const version = c.u16();
  let abbrevOffset: number;
  let addressSize: number;
  if (version >= 5) {
    c.u8();
    addressSize = c.u8();
    abbrevOffset = c.u32();
  } else if (version >= 2) {
    abbrevOffset = c.u32();
    addressSize = c.u8();
  } else return null;
  const code = c.uleb();
  if (code === 0) return null;
  // Find the abbreviation `code` in the unit's table.
  const a = new Cursor(bytes, abbrev, abbrev.offset + abbrevOffset, abbrev.offset + abbrev.size);
  if (abbrevOffset >= abbrev.size) a.fail(`abbreviation table offset 0x${abbrevOffset.toString(16)} is past the end`);
  for (;;) {
    const entry = a.uleb();
    if (entry === 0) return null;
    a.uleb();
    a.u8();
    const attributes: [number, number, number][] = [];
    for (;;) {
      const attr = a.uleb();
      const form = a.uleb();
      if (attr === 0 && form === 0) break;
      attributes.push([attr, form, form === 0x21 ? a.uleb() : 0]);
      if (attributes.length > 4096) a.fail('an abbreviation with more than 4096 attributes');
    }
    if (entry !== code) continue;
    for (const [attr, form] of attributes) {
      if (attr === DW_AT_name) {
        if (form === 0x08) return c.cstring();
        if (form === 0x0e) return stringAt(bytes, str, c.u32());
        if (form === 0x1f) return stringAt(bytes, lineStr, c.u32());
        return null;
      }
      skipForm(c, form, addressSize, version, 0);
    }
    return null;
  }
}

function skipForm(c: Cursor, form: number, addressSize: number, version: number, depth: number): void {
  switch (form) {
    case 0x01: c.skip(addressSize); return; // addr
    case 0x0b: case 0x11: case 0x0c: case 0x25: case 0x29: c.skip(1); return; // data1 ref1 flag strx1 addrx1
    case 0x05: case 0x12: case 0x26: case 0x2a: c.skip(2); return; // data2 ref2 strx2 addrx2
    case 0x27: case 0x2b: c.skip(3); return; // strx3 addrx3
    case 0x06: case 0x13: case 0x0e: case 0x17: case 0x1f: case 0x28: case 0x2c: case 0x1c: c.skip(4); return;
    case 0x07: case 0x14: case 0x20: c.skip(8); return; // data8 ref8 ref_sig8
    case 0x1e: c.skip(16); return; // data16
    case 0x10: c.skip(version <= 2 ? addressSize : 4); return; // ref_addr
    case 0x0f: case 0x15: case 0x1a: case 0x1b: case 0x22: case 0x23: case 0x0d: c.uleb(); return; // (s|u)data, ref_udata, strx, addrx, loclistx, rnglistx
    case 0x08: c.cstring(); return; // string
    case 0x0a: c.skip(c.u8()); return; // block1
    case 0x03: c.skip(c.u16()); return; // block2
    case 0x04: c.skip(c.u32()); return; // block4
    case 0x09: case 0x18: c.skip(c.uleb()); return; // block exprloc
    case 0x19: case 0x21: return; // flag_present implicit_const
    case 0x16: // indirect
      if (depth > 4) c.fail('DW_FORM_indirect nested too deep');
      skipForm(c, c.uleb(), addressSize, version, depth + 1);
      return;
    default:
      c.fail(`unknown attribute form 0x${form.toString(16)}`);
  }
}
