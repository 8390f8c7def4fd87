// The graph elements: modules as compound nodes, neighbourhoods k calls deep, CFG classes for edges and loops.
import { describe, expect, it } from 'vitest';
import type { CallGraph, FunctionDetail } from '../../../shared/index.ts';
import { cfgElements, MODULE_PREFIX, neighbourhood, wholeCallGraph } from './elements.ts';

const graph: CallGraph = {
  nodes: [
    { id: 'a', name: 'a', module: 'genunix', address: 0, size: 4 },
    { id: 'b', name: 'b', module: 'genunix', address: 4, size: 4 },
    { id: 'c', name: 'c', module: 'ufs', address: 8, size: 4 },
    { id: 'd', name: 'd', module: 'ufs', address: 12, size: 4 },
  ],
  edges: [
    { from: 'a', to: 'b', sites: 1 },
    { from: 'b', to: 'c', sites: 2 },
    { from: 'c', to: 'd', sites: 1 },
    { from: 'd', to: 'd', sites: 1 },
    { from: 'a', to: 'zz', sites: 1 },
  ],
};

describe('wholeCallGraph', () => {
  it('puts each function inside its module and drops self and dangling edges', () => {
    const els = wholeCallGraph(graph);
    expect(els.filter((e) => e.classes === 'module').map((e) => e.data.id)).toEqual([MODULE_PREFIX + 'genunix', MODULE_PREFIX + 'ufs']);
    expect(els.find((e) => e.data.id === 'c')?.data.parent).toBe(MODULE_PREFIX + 'ufs');
    expect(els.filter((e) => e.group === 'edges').map((e) => e.data.id)).toEqual(['a->b', 'b->c', 'c->d']);
  });
});

describe('neighbourhood', () => {
  it('takes callers upwards and callees downwards, k levels', () => {
    const { distance } = neighbourhood(graph, 'b', 1);
    expect(Object.fromEntries(distance)).toEqual({ b: 0, c: 1, a: -1 });
    expect(Object.fromEntries(neighbourhood(graph, 'b', 2).distance)).toEqual({ b: 0, c: 1, d: 2, a: -1 });
  });
});

describe('functions of one name', () => {
  const twins: CallGraph = {
    nodes: [
      { id: '_init@genunix', name: '_init', module: 'genunix', address: 0, size: 4 },
      { id: '_init@ufs', name: '_init', module: 'ufs', address: 4, size: 4 },
      { id: 'main', name: 'main', module: 'genunix', address: 8, size: 4 },
    ],
    edges: [{ from: 'main', to: '_init@genunix', sites: 1 }, { from: 'main', to: '_init@ufs', sites: 1 }],
  };
  it('stay two nodes with two edges, labelled by name (with the module where the name is ambiguous)', () => {
    const whole = wholeCallGraph(twins);
    expect(whole.filter((e) => e.classes === 'function').map((e) => [e.data.id, e.data.label])).toEqual([['_init@genunix', '_init'], ['_init@ufs', '_init'], ['main', 'main']]);
    expect(whole.filter((e) => e.group === 'edges')).toHaveLength(2);
    const around = neighbourhood(twins, 'main', 1).elements.filter((e) => e.group === 'nodes').map((e) => e.data.label);
    expect(around).toEqual(['_init (genunix)', '_init (ufs)', 'main']);
  });
});

describe('cfgElements', () => {
  it('labels blocks with their instructions and classes edges and loops', () => {
    const detail: FunctionDetail = {
      summary: { id: 'f', name: 'f', module: 'm', address: 0x1000, size: 12 },
      cfg: {
        blocks: [
          { id: 'b0', start: 0x1000, end: 0x1004, loopDepth: 0, isEntry: true, isExit: false, instructions: [{ address: 0x1000, word: 0, text: 'nop', live: [], free: [] }] },
          { id: 'b1', start: 0x1004, end: 0x100c, loopDepth: 1, isEntry: false, isExit: true, instructions: [{ address: 0x1004, word: 0, text: 'bne 0x1004', live: [], free: [] }] },
        ],
        edges: [{ from: 'b0', to: 'b1', kind: 'fallthrough' }, { from: 'b1', to: 'b1', kind: 'taken' }],
        loops: [{ header: 'b1', blocks: ['b1'], depth: 1 }],
      },
      disassembly: null,
      callers: [],
      callees: [],
    };
    const els = cfgElements(detail);
    const b1 = els.find((e) => e.data.id === 'b1')!;
    expect(b1.classes).toContain('loop-header');
    expect(b1.data.label).toContain('00001004  bne 0x1004');
    expect(b1.data.width).toBeGreaterThan(0);
    expect(els.filter((e) => e.group === 'edges').map((e) => e.classes)).toEqual(['cfg fallthrough', 'cfg taken']);
    expect(cfgElements({ ...detail, cfg: null })).toEqual([]);
  });
});

