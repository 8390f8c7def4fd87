// The layout cache: one layout per graph on disk, read back instead of recomputed; a changed graph is laid out anew.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallGraph, GraphPositions } from '../../../shared/index.ts';
import { cachedLayout, defaultLayoutCacheDir, layoutKey } from './layout.ts';

const graph: CallGraph = {
  nodes: [{ id: 'a', name: 'a', module: 'm', address: 0, size: 4 }, { id: 'b', name: 'b', module: 'm', address: 4, size: 4 }],
  edges: [{ from: 'a', to: 'b', sites: 1 }],
};
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function counting(): { layout: (g: CallGraph) => Promise<GraphPositions>; calls: () => number } {
  let n = 0;
  return {
    layout: async (g) => {
      n++;
      return Object.fromEntries(g.nodes.map((node, i) => [node.id, { x: i * 10, y: n }]));
    },
    calls: () => n,
  };
}

describe('cachedLayout', () => {
  it('lays a graph out once and reads it back from disk afterwards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'springboard-layouts-'));
    dirs.push(dir);
    const c = counting();
    const first = await cachedLayout(c.layout, dir)(graph);
    const again = await cachedLayout(c.layout, dir)(graph);
    expect(again).toEqual(first);
    expect(c.calls()).toBe(1);
    expect(readdirSync(dir)).toEqual([`${layoutKey(graph)}.json`]);
    // Another graph (a new edge) is another key.
    await cachedLayout(c.layout, dir)({ ...graph, edges: [...graph.edges, { from: 'b', to: 'a', sites: 1 }] });
    expect(c.calls()).toBe(2);
  });

  it('shares a layout still being computed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'springboard-layouts-'));
    dirs.push(dir);
    const c = counting();
    const cached = cachedLayout(c.layout, dir);
    const [a, b] = await Promise.all([cached(graph), cached(graph)]);
    expect(a).toEqual(b);
    expect(c.calls()).toBe(1);
  });

  it('recomputes over a damaged cache file, and works without a writable directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'springboard-layouts-'));
    dirs.push(dir);
    writeFileSync(join(dir, `${layoutKey(graph)}.json`), '{"a":{"x":1}');
    const c = counting();
    expect(Object.keys(await cachedLayout(c.layout, dir)(graph))).toEqual(['a', 'b']);
    const blocked = join(dir, `${layoutKey(graph)}.json`, 'not-a-dir');
    expect(Object.keys(await cachedLayout(c.layout, blocked)(graph))).toEqual(['a', 'b']);
  });

  it('keeps the cache under SPRINGBOARD_CACHE_DIR or XDG_CACHE_HOME', () => {
    expect(defaultLayoutCacheDir({ SPRINGBOARD_CACHE_DIR: '/c' })).toBe('/c/layouts');
    expect(defaultLayoutCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/springboard/layouts');
  });
});
