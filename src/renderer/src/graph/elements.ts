// Cytoscape elements from contract data: the whole call graph by module, a focused neighbourhood, a CFG.
import type { ElementDefinition } from 'cytoscape';
import { ambiguousNames, functionLabel, type CallGraph, type FunctionDetail } from '../../../shared/index.ts';

export const MODULE_PREFIX = 'module:';

/**
 * Every function as a node (keyed by id, labelled by name) inside its module's compound node, and
 * every caller → callee edge. Inside its module box a function needs no module in its label.
 */
export function wholeCallGraph(graph: CallGraph): ElementDefinition[] {
  const modules = new Set(graph.nodes.map((n) => n.module));
  const out: ElementDefinition[] = [...modules].sort().map((m) => ({ group: 'nodes', data: { id: MODULE_PREFIX + m, label: m }, classes: 'module' }));
  for (const n of graph.nodes) out.push({ group: 'nodes', data: { id: n.id, label: n.name, parent: MODULE_PREFIX + n.module, size: n.size }, classes: 'function' });
  const ids = new Set(graph.nodes.map((n) => n.id));
  for (const e of graph.edges) {
    if (!ids.has(e.from) || !ids.has(e.to) || e.from === e.to) continue;
    out.push({ group: 'edges', data: { id: `${e.from}->${e.to}`, source: e.from, target: e.to, sites: e.sites }, classes: 'call' });
  }
  return out;
}

/** The functions within `k` calls of `focus`, upwards (callers) and downwards (callees). */
export function neighbourhood(graph: CallGraph, focus: string, k: number): { elements: ElementDefinition[]; distance: Map<string, number> } {
  const callees = new Map<string, string[]>();
  const callers = new Map<string, string[]>();
  for (const e of graph.edges) {
    (callees.get(e.from) ?? callees.set(e.from, []).get(e.from)!).push(e.to);
    (callers.get(e.to) ?? callers.set(e.to, []).get(e.to)!).push(e.from);
  }
  // Signed distance: negative for callers, positive for callees.
  const distance = new Map<string, number>([[focus, 0]]);
  for (const [adjacency, sign] of [[callees, 1], [callers, -1]] as const) {
    let frontier = [focus];
    for (let level = 1; level <= k && frontier.length > 0; level++) {
      const next: string[] = [];
      for (const f of frontier) {
        for (const g of adjacency.get(f) ?? []) {
          if (distance.has(g)) continue;
          distance.set(g, sign * level);
          next.push(g);
        }
      }
      frontier = next;
    }
  }
  const elements: ElementDefinition[] = [];
  const ambiguous = ambiguousNames(graph.nodes);
  for (const n of graph.nodes) {
    const d = distance.get(n.id);
    if (d === undefined) continue;
    const label = functionLabel(n, ambiguous);
    elements.push({ group: 'nodes', data: { id: n.id, label, module: n.module, distance: d, width: label.length * 6.6 + 18 }, classes: d === 0 ? 'function focus' : d < 0 ? 'function caller' : 'function callee' });
  }
  for (const e of graph.edges) {
    if (distance.has(e.from) && distance.has(e.to) && e.from !== e.to) {
      elements.push({ group: 'edges', data: { id: `${e.from}->${e.to}`, source: e.from, target: e.to }, classes: 'call' });
    }
  }
  return { elements, distance };
}

const CHAR_WIDTH = 6.1;
const LINE_HEIGHT = 12.5;

const hex = (n: number): string => n.toString(16).padStart(8, '0');

/** The CFG: one node per basic block labelled with its disassembly; edges styled by kind; loops marked. */
export function cfgElements(detail: FunctionDetail): ElementDefinition[] {
  if (detail.cfg === null) return [];
  const headers = new Set(detail.cfg.loops.map((l) => l.header));
  const out: ElementDefinition[] = [];
  for (const b of detail.cfg.blocks) {
    const lines = b.instructions.map((i) => `${hex(i.address)}  ${i.text}`);
    const title = `${headers.has(b.id) ? '⟲ loop header  ' : ''}${b.id}`;
    const classes = ['block'];
    if (b.isEntry) classes.push('entry');
    if (b.isExit) classes.push('exit');
    if (b.loopDepth > 0) classes.push('in-loop', `loop-depth-${Math.min(b.loopDepth, 3)}`);
    if (headers.has(b.id)) classes.push('loop-header');
    const label = [title, ...lines];
    // Sized from the text (10 px monospace) so layouts need no canvas to measure labels.
    const width = Math.max(...label.map((l) => l.length)) * CHAR_WIDTH + 16;
    const height = label.length * LINE_HEIGHT + 16;
    out.push({ group: 'nodes', data: { id: b.id, label: label.join('\n'), start: b.start, width, height }, classes: classes.join(' ') });
  }
  detail.cfg.edges.forEach((e, i) => {
    out.push({ group: 'edges', data: { id: `e${i}`, source: e.from, target: e.to, kind: e.kind }, classes: `cfg ${e.kind}` });
  });
  return out;
}
