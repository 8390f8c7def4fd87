// Function ids: unique per function, readable, stable for a unique name.
import { describe, expect, it } from 'vitest';
import { ambiguousNames, functionIds, functionLabel } from './function-id.ts';

describe('functionIds', () => {
  it('keeps a unique name, qualifies a shared one by module, then by address', () => {
    const ids = functionIds([
      { name: 'main', module: 'unix', address: 0x100 },
      { name: '_init', module: 'ufs', address: 0x200 },
      { name: '_init', module: 'tcp', address: 0x300 },
      { name: 'helper', module: 'ip', address: 0x400 },
      { name: 'helper', module: 'ip', address: 0x500 },
    ]);
    expect(ids).toEqual(['main', '_init@ufs', '_init@tcp', 'helper@0x400', 'helper@0x500']);
    expect(new Set(ids).size).toBe(ids.length);
  });
  it('never collides, even for aliases at one address', () => {
    const ids = functionIds([{ name: 'f', module: 'm', address: 0 }, { name: 'f', module: 'm', address: 0 }]);
    expect(new Set(ids).size).toBe(2);
  });
  it('labels a function by name, with the module where the name is ambiguous', () => {
    const fns = [{ name: '_init', module: 'ufs' }, { name: '_init', module: 'tcp' }, { name: 'main', module: 'unix' }];
    const ambiguous = ambiguousNames(fns);
    expect(fns.map((f) => functionLabel(f, ambiguous))).toEqual(['_init (ufs)', '_init (tcp)', 'main']);
  });
});
