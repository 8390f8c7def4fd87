// Differential test: C programs compiled by the cross GCC (-m32, V8 at -O0/-O1/-O2/-Os, and V8+ /
// V8+A with -mcpu=v9 / -mcpu=ultrasparc -mvis) must disassemble exactly as GNU objdump does.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { SymbolTable } from '../../src/main/core/sparc/index.ts';
import { describeWithTool } from '../support/tools.ts';
import { Disagreements, GCC, NM, OBJDUMP, compareSection, modeOf, objdump, parseObjdump, sectionNames, sectionsOf, symbolsOf } from './objdump-support.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');

describeWithTool([GCC, OBJDUMP, NM], 'objdump differential: GCC output', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-gcc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  for (const [cpu, expected] of [['v8', 'v8'], ['v9', 'v9'], ['ultrasparc', 'v9a']] as const) {
    const flags = cpu === 'ultrasparc' ? [`-mcpu=${cpu}`, '-mvis'] : [`-mcpu=${cpu}`];
    it(`matches objdump on ${flags.join(' ')} objects at -O0/-O1/-O2/-Os`, () => {
      const d = new Disagreements();
      let matched = 0;
      for (const src of readdirSync(FIXTURES).filter((f) => f.endsWith('.c'))) {
        for (const opt of ['-O0', '-O1', '-O2', '-Os']) {
          const obj = join(dir, `${src}-${cpu}${opt}.o`);
          execFileSync(GCC, ['-m32', ...flags, opt, '-c', join(FIXTURES, src), '-o', obj]);
          // gas marks an object V8+A only when it uses VIS, so -mvis objects may stay plain V8+.
          const mode = modeOf(obj);
          expect(mode === expected || (expected === 'v9a' && mode === 'v9'), `${obj} is ${mode}`).toBe(true);
          if (mode === expected) matched++;
          const out = objdump(obj);
          const secs = sectionsOf(obj);
          const symbols = new SymbolTable(symbolsOf(obj, secs), { relocatable: true });
          const names = sectionNames(out);
          parseObjdump(out).forEach((lines, k) => {
            compareSection(lines, mode, d, symbols.printer(secs.find((s) => s.name === names[k])!));
          });
        }
      }
      const report = d.report(`gcc -mcpu=${cpu}`);
      process.stdout.write(`${report}\n`);
      expect(d.compared).toBeGreaterThan(1000);
      expect(matched).toBeGreaterThan(0);
      expect(d.count, report).toBe(0);
    });
  }
});
