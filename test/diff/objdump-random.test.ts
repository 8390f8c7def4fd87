// Differential test: seeded random words of every format, packed into ELF32 files of the three
// machines (sparc, sparc:v8plus, sparc:v8plusa), must print exactly as GNU objdump prints them.
// SPRINGBOARD_DIFF_WORDS sets the words per machine (default 200000); SPRINGBOARD_DIFF_SEED the seed.
import { expect, it } from 'vitest';
import { ALIAS_ROWS } from '../../src/main/core/sparc/index.ts';
import { describeWithTool } from '../support/tools.ts';
import { Disagreements, MODE_OF, OBJCOPY, OBJDUMP, compareSection, objdumpWords, randomWords, type Machine } from './objdump-support.ts';

const WORDS = Number(process.env.SPRINGBOARD_DIFF_WORDS ?? 200_000);
const SEED = Number(process.env.SPRINGBOARD_DIFF_SEED ?? 20240601);
const CHUNK = 500_000;

describeWithTool([OBJDUMP, OBJCOPY], 'objdump differential: random words', () => {
  for (const machine of ['sparc', 'sparc:v8plus', 'sparc:v8plusa'] as Machine[]) {
    it(`matches objdump on ${WORDS} words for ${machine}`, () => {
      const d = new Disagreements();
      for (let done = 0, part = 0; done < WORDS; done += CHUNK, part++) {
        const words = randomWords(Math.min(CHUNK, WORDS - done), SEED + part * 7919 + machine.length, ALIAS_ROWS);
        const lines = objdumpWords(words, machine);
        expect(lines.length).toBe(words.length);
        compareSection(lines, MODE_OF[machine], d);
      }
      const report = d.report(`random ${machine} (seed ${SEED})`);
      process.stdout.write(`${report}\n`);
      expect(d.count, report).toBe(0);
    });
  }
});
