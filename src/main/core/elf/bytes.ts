// Bounds-checked big-endian reads and NUL-terminated strings over the file's bytes.
import { ElfError, ElfErrorCode } from './errors.ts';
import { decodeUtf8 } from './utf8.ts';

/** Big-endian field reads that refuse to go past the end of the file. */
export class BigEndianBytes {
  readonly bytes: Uint8Array;
  readonly length: number;
  private readonly view: DataView;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.length = bytes.length;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Throws Truncated unless [offset, offset+size) lies inside the file. */
  need(offset: number, size: number, what: string, section?: number): void {
    if (offset < 0 || size < 0 || offset + size > this.length || !Number.isSafeInteger(offset + size)) {
      throw new ElfError(
        ElfErrorCode.Truncated,
        `${what} needs bytes 0x${offset.toString(16)}..0x${(offset + size).toString(16)} but the file has only 0x${this.length.toString(16)} bytes`,
        { offset, section },
        'The file was cut short (an interrupted copy or download?); take a complete copy',
      );
    }
  }

  u8(offset: number): number {
    return this.bytes[offset]!;
  }

  u16(offset: number): number {
    return this.view.getUint16(offset, false);
  }

  u32(offset: number): number {
    return this.view.getUint32(offset, false);
  }

  i32(offset: number): number {
    return this.view.getInt32(offset, false);
  }
}


/**
 * A string table section (SHT_STRTAB): strings are read on demand and remembered, so that
 * symbol names shared by many entries are decoded once.
 */
export class StringTable {
  readonly sectionIndex: number;
  private readonly bytes: Uint8Array;
  private readonly start: number;
  private readonly size: number;
  private readonly cache = new Map<number, string>();

  constructor(bytes: Uint8Array, start: number, size: number, sectionIndex: number) {
    this.bytes = bytes;
    this.start = start;
    this.size = size;
    this.sectionIndex = sectionIndex;
  }

  /** The NUL-terminated string at `index`; throws BadString if it starts or runs outside the table. */
  get(index: number, user: string): string {
    const cached = this.cache.get(index);
    if (cached !== undefined) return cached;
    if (index >= this.size) {
      throw new ElfError(
        ElfErrorCode.BadString,
        `${user} has name index 0x${index.toString(16)} past the end of string table section [${this.sectionIndex}] (size 0x${this.size.toString(16)})`,
        { section: this.sectionIndex, offset: this.start + index },
      );
    }
    const bytes = this.bytes;
    const end = this.start + this.size;
    let p = this.start + index;
    while (p < end && bytes[p] !== 0) p++;
    if (p >= end) {
      throw new ElfError(
        ElfErrorCode.BadString,
        `${user} has a name at index 0x${index.toString(16)} that runs off the end of string table section [${this.sectionIndex}] without a terminating NUL`,
        { section: this.sectionIndex, offset: this.start + index },
      );
    }
    const text = decodeUtf8(bytes, this.start + index, p);
    this.cache.set(index, text);
    return text;
  }
}
