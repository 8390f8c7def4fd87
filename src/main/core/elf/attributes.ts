// Parses the build attributes section (.gnu.attributes, SHT_GNU_ATTRIBUTES): vendor → File tags.
import { SHT_GNU_ATTRIBUTES } from './constants.ts';
import { ElfError, ElfErrorCode } from './errors.ts';
import { singleSection } from './symbols.ts';
import { decodeUtf8 } from './utf8.ts';
import type { ElfAttributes, ElfSection } from './types.ts';

const TAG_FILE = 1;
const TAG_COMPATIBILITY = 32;

export function readAttributes(bytes: Uint8Array, sections: readonly ElfSection[]): ElfAttributes[] {
  const s = singleSection(sections, SHT_GNU_ATTRIBUTES);
  if (s === null || s.size === 0) return [];
  const fail = (what: string, at: number): never => {
    throw new ElfError(ElfErrorCode.BadAttributes, `attributes section [${s.index}]: ${what}`, { section: s.index, offset: at });
  };
  const end = s.offset + s.size;
  let p = s.offset;
  if (bytes[p] !== 0x41) fail(`format version is 0x${bytes[p]!.toString(16)}, not 'A'`, p);
  p++;
  const u32 = (at: number): number => ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
  const out: ElfAttributes[] = [];
  while (p < end) {
    if (p + 4 > end) fail('subsection length runs past the end', p);
    const length = u32(p);
    const subEnd = p + length;
    if (length < 5 || subEnd > end) fail(`subsection length 0x${length.toString(16)} does not fit`, p);
    let q = p + 4;
    const nameStart = q;
    while (q < subEnd && bytes[q] !== 0) q++;
    if (q >= subEnd) fail('vendor name is not terminated', nameStart);
    const vendor = decodeUtf8(bytes, nameStart, q);
    q++;
    const integers = new Map<number, number>();
    const strings = new Map<number, string>();
    while (q < subEnd) {
      const tag = bytes[q]!;
      if (q + 5 > subEnd) fail('sub-subsection header runs past its subsection', q);
      const size = u32(q + 1);
      const blockEnd = q + size;
      if (size < 5 || blockEnd > subEnd) fail(`sub-subsection size 0x${size.toString(16)} does not fit`, q);
      if (tag === TAG_FILE) {
        let t = q + 5;
        const uleb = (): number => {
          let value = 0;
          let shift = 0;
          for (;;) {
            if (t >= blockEnd) fail('number runs past its block', t);
            const byte = bytes[t++]!;
            if (shift < 32) value += (byte & 0x7f) * 2 ** shift;
            shift += 7;
            if ((byte & 0x80) === 0) return value;
            if (shift > 63) fail('number is longer than 64 bits', t);
          }
        };
        const cstring = (): string => {
          const from = t;
          while (t < blockEnd && bytes[t] !== 0) t++;
          if (t >= blockEnd) fail('string is not terminated', from);
          return decodeUtf8(bytes, from, t++);
        };
        while (t < blockEnd) {
          const key = uleb();
          // GNU convention: Tag_compatibility is a number and a string; above it odd tags are
          // strings and even tags numbers; below it SPARC's tags are all numbers.
          if (key === TAG_COMPATIBILITY) {
            integers.set(key, uleb());
            strings.set(key, cstring());
          } else if (key > TAG_COMPATIBILITY && key % 2 === 1) strings.set(key, cstring());
          else integers.set(key, uleb());
        }
      }
      q = blockEnd;
    }
    out.push({ vendor, integers, strings });
    p = subEnd;
  }
  return out;
}
