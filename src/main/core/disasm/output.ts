// A growing byte buffer for the listing: ASCII and hex written straight into chunks, no line strings.

import { encodeUtf8 } from '../elf/index.ts';

const CHUNK = 1 << 20;
const HEX = '0123456789abcdef';
const HEX_CODES = Array.from(HEX, (c) => c.charCodeAt(0));

export class OutputBuffer {
  private readonly chunks: Uint8Array[] = [];
  private buf = new Uint8Array(CHUNK);
  private pos = 0;

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.chunks.push(this.buf.subarray(0, this.pos));
    this.buf = new Uint8Array(Math.max(CHUNK, n));
    this.pos = 0;
  }

  /** Writes a string; ASCII is copied directly, anything else is UTF-8 encoded. */
  text(s: string): void {
    const n = s.length;
    this.room(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.pos = p;
        this.utf8(s.slice(i));
        return;
      }
      buf[p++] = c;
    }
    this.pos = p;
  }

  private utf8(s: string): void {
    const bytes = encodeUtf8(s);
    this.room(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  byte(c: number): void {
    this.room(1);
    this.buf[this.pos++] = c;
  }

  /** Two lowercase hex digits. */
  hex2(v: number): void {
    this.room(2);
    this.buf[this.pos++] = HEX_CODES[(v >> 4) & 15]!;
    this.buf[this.pos++] = HEX_CODES[v & 15]!;
  }

  /** `digits` lowercase hex digits of the low 32 bits of v, leading zeros kept. */
  hexFixed(v: number, digits: number): void {
    this.room(digits);
    const w = v >>> 0;
    for (let i = digits - 1; i >= 0; i--) this.buf[this.pos++] = HEX_CODES[i >= 8 ? 0 : (w >>> (i * 4)) & 15]!;
  }

  /** The bytes written so far, as chunks (views; do not keep writing after taking them). */
  finish(): Uint8Array[] {
    if (this.pos > 0) this.chunks.push(this.buf.subarray(0, this.pos));
    this.buf = new Uint8Array(0);
    this.pos = 0;
    return this.chunks;
  }
}

/** Lowercase hex of the low 32 bits, no leading zeros ("0" for zero): objdump's skip_zeroes form. */
export function hex32(v: number): string {
  return (v >>> 0).toString(16);
}

/** Eight hex digits of the low 32 bits: bfd_sprintf_vma for a 32-bit file. */
export function hex8(v: number): string {
  const s = (v >>> 0).toString(16);
  return s.length >= 8 ? s : '00000000'.slice(s.length) + s;
}

export function concatChunks(chunks: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}
