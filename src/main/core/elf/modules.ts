// Groups symbols into modules (source files) using STT_FILE entries and, for globals, addresses.
//
// The rule, from how GNU ld and gas write .symtab:
//  1. Locals come first, grouped per input file: an STT_FILE entry, then that file's locals, until
//     the next STT_FILE. A local after an STT_FILE belongs to that file ('file-symbol'). An STT_FILE
//     with an empty name (ld's marker before linker-made locals) ends the current file.
//  2. A relocatable object naming one source file: every symbol it defines is that file's
//     ('object-file').
//  3. Globals of a linked file carry no file. ld lays out each input file's part of an output
//     section contiguously, in input order, so a file's locals in a section mark a span of
//     addresses that is that file's. A global defined inside exactly such a span belongs to the
//     file ('span'). A global between spans goes to the file whose span ends nearest below it
//     ('nearest-preceding'): right when the file's globals follow its statics, wrong when a file
//     without any local symbols lies in between, so callers should treat it as a guess.
//  4. Better than 3 when the file has DWARF: a symbol inside an address range of .debug_aranges
//     belongs to that compile unit's source file ('debug-info'); this decides globals exactly and
//     is tried before the spans.
//  5. Dynamic symbols take the module of the .symtab symbol with the same name and value.
// Section symbols and STT_FILE entries themselves get no module.
import { ET_REL, STT_FILE, STT_FUNC, STT_GNU_IFUNC, STT_SECTION } from './constants.ts';
import type { CompileUnitRange } from './dwarf.ts';
import type { ElfModule, ElfSymbol, ElfSymbolTable } from './types.ts';

export function moduleNameOf(fileName: string): string {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

interface Span {
  start: number;
  end: number;
  module: string;
}

/** The compile unit whose range holds `addr` (ranges sorted by start), or null. */
function unitAt(units: readonly CompileUnitRange[], addr: number): CompileUnitRange | null {
  let lo = 0;
  let hi = units.length - 1;
  let found: CompileUnitRange | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (units[mid]!.start <= addr) {
      found = units[mid]!;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found !== null && addr < found.end ? found : null;
}

export function assignModules(
  fileType: number,
  symtab: ElfSymbolTable | null,
  dynsym: ElfSymbolTable | null,
  units: readonly CompileUnitRange[] = [],
): ElfModule[] {
  if (symtab === null) return [];
  const members = new Map<string, ElfSymbol[]>();
  const fileNames: string[] = [];
  let current: string | null = null;
  for (const s of symtab.symbols) {
    if (s.index >= symtab.firstGlobal) break;
    if (s.type === STT_FILE) {
      current = s.name === '' ? null : s.name;
      if (current !== null && !members.has(current)) {
        members.set(current, []);
        fileNames.push(current);
      }
      continue;
    }
    if (current === null || s.type === STT_SECTION) continue;
    s.module = moduleNameOf(current);
    s.moduleSource = 'file-symbol';
    members.get(current)!.push(s);
  }
  if (fileNames.length === 0 && units.length === 0) return [];

  if (units.length > 0 && fileType !== ET_REL) {
    // A unit named like an STT_FILE joins that file's module.
    const fileByModule = new Map<string, string>();
    for (const f of fileNames) if (!fileByModule.has(moduleNameOf(f))) fileByModule.set(moduleNameOf(f), f);
    for (const s of symtab.symbols) {
      if (s.moduleSource === 'file-symbol' || s.section === null || s.type === STT_SECTION || s.type === STT_FILE) continue;
      const unit = unitAt(units, s.value);
      if (unit === null) continue;
      let file = fileByModule.get(moduleNameOf(unit.name));
      if (file === undefined) {
        file = unit.name;
        fileByModule.set(moduleNameOf(file), file);
        fileNames.push(file);
        members.set(file, []);
      }
      s.module = moduleNameOf(file);
      s.moduleSource = 'debug-info';
      members.get(file)!.push(s);
    }
  }

  if (fileType === ET_REL && fileNames.length === 1) {
    const only = fileNames[0]!;
    for (const s of symtab.symbols) {
      if (s.module !== null || s.section === null || s.type === STT_SECTION || s.type === STT_FILE) continue;
      s.module = moduleNameOf(only);
      s.moduleSource = 'object-file';
      members.get(only)!.push(s);
    }
  } else {
    // Spans of each file's local symbols, per section.
    const spans = new Map<number, Span[]>();
    for (const file of fileNames) {
      const perSection = new Map<number, Span>();
      for (const s of members.get(file)!) {
        if (s.section === null || s.moduleSource !== 'file-symbol') continue;
        const end = s.value + Math.max(s.size, 1);
        const span = perSection.get(s.section.index);
        if (span === undefined) perSection.set(s.section.index, { start: s.value, end, module: file });
        else {
          span.start = Math.min(span.start, s.value);
          span.end = Math.max(span.end, end);
        }
      }
      for (const [section, span] of perSection) {
        let list = spans.get(section);
        if (list === undefined) spans.set(section, (list = []));
        list.push(span);
      }
    }
    for (const list of spans.values()) list.sort((a, b) => a.start - b.start || a.end - b.end);
    for (const s of symtab.symbols) {
      if (s.index < symtab.firstGlobal || s.module !== null || s.section === null || s.type === STT_SECTION || s.type === STT_FILE) continue;
      const list = spans.get(s.section.index);
      if (list === undefined) continue;
      // The last span starting at or below the value, then a bounded look back (spans of real
      // files do not overlap; the bound keeps hostile files from making this quadratic).
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (list[mid]!.start <= s.value) lo = mid + 1;
        else hi = mid;
      }
      let inside: Span | null = null;
      let before: Span | null = null;
      for (let k = lo - 1; k >= 0 && k >= lo - 64; k--) {
        const span = list[k]!;
        if (s.value < span.end) {
          if (inside === null) inside = span;
        } else if (before === null || span.end > before.end) before = span;
      }
      const chosen = inside ?? before;
      if (chosen === null) continue;
      s.module = moduleNameOf(chosen.module);
      s.moduleSource = inside !== null ? 'span' : 'nearest-preceding';
      members.get(chosen.module)!.push(s);
    }
  }

  if (dynsym !== null) {
    const byKey = new Map<string, ElfSymbol>();
    for (const s of symtab.symbols) if (s.module !== null) byKey.set(`${s.name}@${s.value}`, s);
    for (const d of dynsym.symbols) {
      const twin = byKey.get(`${d.name}@${d.value}`);
      if (twin === undefined) continue;
      d.module = twin.module;
      d.moduleSource = twin.moduleSource;
    }
  }

  return fileNames.map((fileName) => {
    const symbols = members.get(fileName)!.slice().sort((a, b) => a.index - b.index);
    const functions = symbols.filter((s) => s.type === STT_FUNC || s.type === STT_GNU_IFUNC).sort((a, b) => a.value - b.value);
    return { name: moduleNameOf(fileName), fileName, symbols, functions };
  });
}
