// Differential test: every instruction of Debian's 32-bit SPARC libc (.text, __libc_freeres_fn,
// .plt; a V8+A object) must print exactly as GNU objdump prints it, symbolic targets included.
import { expect, it } from 'vitest';
import { SymbolTable } from '../../src/main/core/sparc/index.ts';
import { LIBC32, describeWithTool } from '../support/tools.ts';
import { Disagreements, NM, OBJDUMP, compareSection, modeOf, objdump, parseObjdump, sectionNames, sectionsOf, symbolsOf } from './objdump-support.ts';

describeWithTool([OBJDUMP, NM, LIBC32], 'objdump differential: libc.so.6', () => {
  it('matches objdump on every instruction', () => {
    const out = objdump(LIBC32);
    const secs = sectionsOf(LIBC32);
    const symbols = new SymbolTable(symbolsOf(LIBC32, secs));
    const mode = modeOf(LIBC32);
    expect(mode).toBe('v9a');
    const names = sectionNames(out);
    const d = new Disagreements();
    parseObjdump(out).forEach((lines, k) => {
      const sec = secs.find((s) => s.name === names[k])!;
      compareSection(lines, mode, d, symbols.printer(sec));
    });
    const report = d.report('libc.so.6');
    process.stdout.write(`${report}\n`);
    expect(d.compared).toBeGreaterThan(300_000);
    expect(d.count, report).toBe(0);
  });
});
