// A worker thread that lays out a whole call graph (Cytoscape headless + fcose) off the Session's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import cytoscape, { type EdgeSingular, type LayoutOptions } from 'cytoscape';
import fcose from 'cytoscape-fcose';
import type { CallGraph } from '../../../shared/index.ts';

const graph = workerData as CallGraph;
cytoscape.use(fcose);
const modules = [...new Set(graph.nodes.map((n) => n.module))];
const ids = new Set(graph.nodes.map((n) => n.id));
const cy = cytoscape({
  headless: true,
  styleEnabled: true,
  style: [{ selector: 'node', style: { width: 14, height: 14 } }],
  elements: [
    ...modules.map((m) => ({ data: { id: `module:${m}` } })),
    ...graph.nodes.map((n) => ({ data: { id: n.id, parent: `module:${n.module}` } })),
    ...graph.edges.filter((e) => e.from !== e.to && ids.has(e.from) && ids.has(e.to)).map((e) => ({ data: { id: `${e.from}->${e.to}`, source: e.from, target: e.to } })),
  ],
});
// The same parameters as the renderer's wholeGraphLayout (src/renderer/src/graph/cy.ts), which
// lays out graphs that arrive without positions.
const sameModule = (edge: EdgeSingular): boolean => edge.source().parent().same(edge.target().parent());
cy.layout({
  name: 'fcose', quality: 'default', randomize: true, animate: false, packComponents: true, nodeRepulsion: 4500, numIter: 1000,
  nestingFactor: 0.1, gravityCompound: 1.5, gravityRangeCompound: 1.0,
  idealEdgeLength: (edge: EdgeSingular) => (sameModule(edge) ? 40 : 160),
  edgeElasticity: (edge: EdgeSingular) => (sameModule(edge) ? 0.45 : 0.05),
} as LayoutOptions).run();
const positions: Record<string, { x: number; y: number }> = {};
for (const n of graph.nodes) {
  const p = cy.getElementById(n.id).position();
  positions[n.id] = { x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 };
}
parentPort!.postMessage(positions);
