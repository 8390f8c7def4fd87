// Inputs for the assembler's differential tests: one source line per table form (random operands),
// and objdump listings turned back into assembly source.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseElf } from '../../src/main/core/elf/index.ts';
import {
  OPERAND_FIELD, type AliasRow, type Mode, fieldMask, getField,
} from '../../src/main/core/sparc/index.ts';
import { INT_REGS, hprivRegName, privRegName, v9aAsrName } from '../../src/main/core/sparc/names.ts';


/**
 * A source line for `form` with random operands GNU as accepts in `mode`: fields the form fixes
 * keep their value; branch targets are written `.+n` so both assemblers resolve them.
 */
export function formLine(form: AliasRow, mode: Mode, r: () => number): string {
  const w = (form.match | (r() & ~form.mask)) >>> 0;
  const v9 = mode !== 'v8';
  let s = '';
  for (const t of form.syntax.split(' ').filter((x) => x !== '')) {
    if (t === ',') {
      s += ',';
      continue;
    }
    const fn = OPERAND_FIELD[t];
    let text = t;
    if (fn !== undefined) {
      let v = getField(w, fn);
      const fixed = (form.mask & fieldMask(fn)) !== 0;
      switch (t) {
        case 'rs1': case 'rs2': case 'rd': text = INT_REGS[v]!; break;
        case 'frs1': case 'frs2': case 'frd': text = `%f${v}`; break;
        case 'drs1': case 'drs2': case 'drd': case 'qrs1': case 'qrs2': case 'qrd': {
          // GNU as wants quads on multiples of 4 and no %f32+ in V8 code.
          if (!fixed) v &= (t[0] === 'q' ? ~2 : ~0) & (v9 ? ~0 : ~1);
          text = `%f${(v & ~1) | ((v & 1) << 5)}`;
          break;
        }
        case 'crd': text = `%c${v}`; break;
        case 'hi22': text = `%hi(0x${((v << 10) >>> 0).toString(16)})`; break;
        case 'disp30': case 'disp22': case 'disp19': case 'disp16': text = v < 0 ? `.-${-v * 4}` : `.+${v * 4}`; break;
        case 'asr_rs1': case 'asr_rd': text = `%asr${v}`; break;
        case 'pr_rs1': case 'pr_rd': text = privRegName(v); break;
        case 'hpr_rs1': case 'hpr_rd': text = hprivRegName(v); break;
        case 'vasr_rs1': case 'vasr_rd': text = v9aAsrName(v); break;
        default: text = String(v);
      }
    }
    s += ` ${text}`;
  }
  return `${form.name}${s}`;
}

export interface ListingSource {
  /** Assembly source: one labelled line per instruction, `.byte` for data between them. */
  readonly source: string;
  /** The section's words as the object holds them. */
  readonly words: readonly number[];
  readonly address: number;
  /** Instruction lines. */
  readonly lines: number;
}

/**
 * `objdump -d` of one section turned back into source: every instruction gets a label `L_<addr>`,
 * branch and call targets inside the section become labels, bytes objdump shows as data (or
 * between instructions) become `.byte`, words objdump calls `unknown` become `.word`.
 */
export function listingSource(file: string, section = '.text', objdump = 'sparc64-linux-gnu-objdump'): ListingSource {
  const out = execFileSync(objdump, ['-d', '-z', '-j', section, file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const items: { addr: number; word: number; text: string }[] = [];
  for (const m of out.matchAll(/^ *([0-9a-f]+):\t((?:[0-9a-f]{2} ){4})\t(.*)$/gm)) {
    items.push({ addr: parseInt(m[1]!, 16), word: parseInt(m[2]!.replaceAll(' ', ''), 16) >>> 0, text: m[3]! });
  }
  const elf = parseElf(new Uint8Array(readFileSync(file)));
  const sec = elf.sections.find((s) => s.name === section)!;
  const raw = elf.bytes.subarray(sec.offset, sec.offset + sec.size);
  const addrs = new Set(items.map((i) => i.addr));
  const lines: string[] = [];
  let cursor = sec.addr;
  const bytes = (from: number, to: number): string => `.byte ${[...raw.subarray(from - sec.addr, to - sec.addr)].join(', ')}`;
  for (const it of items) {
    if (it.addr > cursor) lines.push(bytes(cursor, it.addr));
    cursor = it.addr + 4;
    let t = it.text.replace(/\s*!.*$/, '').trim();
    const target = /^(\S+)\s+(.*?)\b(?:0x)?([0-9a-f]+) <[^>]*>$/.exec(t) ?? /^((?:call|b|fb|cb|br|iprefetch)\S*)\s+(.*?)\b0x([0-9a-f]+)$/.exec(t);
    if (target) {
      const a = parseInt(target[3]!, 16);
      t = addrs.has(a) ? `${target[1]} ${target[2]}L_${a.toString(16)}` : `.word 0x${it.word.toString(16)}`;
    }
    if (t.startsWith('unknown')) t = `.word 0x${it.word.toString(16)}`;
    lines.push(`L_${it.addr.toString(16)}: ${t}`);
  }
  if (cursor < sec.addr + sec.size) lines.push(bytes(cursor, sec.addr + sec.size));
  const words: number[] = [];
  for (let k = 0; k + 4 <= raw.length; k += 4) words.push(((raw[k]! << 24) | (raw[k + 1]! << 16) | (raw[k + 2]! << 8) | raw[k + 3]!) >>> 0);
  return { source: `${lines.join('\n')}\n`, words, address: sec.addr, lines: items.length };
}
