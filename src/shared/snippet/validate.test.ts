// Snippet validation: valid snippets pass, JSON round-trips, and every error names its JSON path.
import { describe, expect, it } from 'vitest';
import { parseSnippet, validateSnippet } from './index.ts';
import type { Snippet } from './index.ts';

const good: Snippet = {
  version: 1,
  name: 'all',
  body: [
    { op: 'if', cond: { op: 'compare', kind: 'ltu', left: { op: 'arg', index: 0 }, right: { op: 'const', value: 10 } }, then: [{ op: 'counterAdd', counter: 'small' }], else: [{ op: 'removeSelf' }] },
    { op: 'counterAdd', counter: 'bytes', value: { op: 'load', size: 4, addr: { op: 'global', symbol: 'kstat_cpu', offset: 8 } } },
    { op: 'timerStart', timer: 't', clock: 'virtual' },
    { op: 'trace', buffer: 'tr', values: [{ op: 'pid' }, { op: 'cpu' }, { op: 'reg', name: '%g7' }] },
    { op: 'assert', id: 'nonnull', action: 'record', cond: { op: 'not', operand: { op: 'binary', kind: 'and', left: { op: 'arg', index: 1 }, right: { op: 'counter', counter: 'small' } } } },
    { op: 'call', function: 'kstat_bump', args: [{ op: 'const', value: 1 }] },
  ],
};

describe('snippet validation', () => {
  it('accepts a valid snippet and survives JSON', () => {
    const back = JSON.parse(JSON.stringify(good)) as unknown;
    expect(validateSnippet(back, { point: 'entry', allowedCalls: new Set(['kstat_bump']) })).toEqual([]);
    expect(parseSnippet(back, { point: 'entry', allowedCalls: new Set(['kstat_bump']) }).snippet).toEqual(good);
  });

  it('points at the offending node', () => {
    const bad = {
      version: 2,
      body: [
        { op: 'if', cond: { op: 'compare', kind: 'almost', left: { op: 'arg', index: 9 }, right: { op: 'retval' } }, then: [{ op: 'while' }] },
        { op: 'counterAdd', counter: '9lives' },
        { op: 'load' },
        { op: 'trace', buffer: 'b', values: [1, 2, 3, 4, 5, 6, 7] },
        { op: 'call', function: 'panic', args: [] },
        { op: 'counterAdd', counter: 'x', value: { op: 'reg', name: '%q1' } },
        { op: 'timerStart', timer: 't', clock: 'sundial' },
      ],
    };
    const paths = validateSnippet(bad, { point: 'entry' }).map((i) => i.path);
    expect(paths).toEqual([
      '$.version',
      '$.body[0].cond.kind',
      '$.body[0].cond.left.index',
      '$.body[0].cond.right',
      '$.body[0].then[0].op',
      '$.body[1].counter',
      '$.body[2].op',
      '$.body[3].values',
      '$.body[4].function',
      '$.body[5].value.name',
      '$.body[6].clock',
    ]);
    expect(validateSnippet(bad, { point: 'entry' })[4]!.message).toMatch(/no loops/);
    expect(validateSnippet({ version: 1, body: [{ op: 'counterAdd', counter: 'a', value: { op: 'arg', index: 0 } }] }, { point: 'exit' })[0]).toEqual({
      path: '$.body[0].value', message: 'arguments are only known at a function-entry point, not at exit points',
    });
    expect(validateSnippet(null)[0]!.path).toBe('$');
  });

  it('bounds nesting depth', () => {
    let e: unknown = { op: 'const', value: 1 };
    for (let k = 0; k < 20; k++) e = { op: 'not', operand: e };
    expect(validateSnippet({ version: 1, body: [{ op: 'counterAdd', counter: 'c', value: e }] }).some((i) => /deeper/.test(i.message))).toBe(true);
  });
});
