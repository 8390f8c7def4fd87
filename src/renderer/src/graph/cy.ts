// Creating Cytoscape instances: the fcose layout extension registered once, headless where there is no canvas.
import cytoscape, { type Core, type EdgeSingular, type ElementDefinition, type NodeSingular, type LayoutOptions, type StylesheetJson } from 'cytoscape';
import fcose from 'cytoscape-fcose';
import type { GraphPositions } from '../../../shared/index.ts';

let registered = false;

export function createGraph(container: HTMLElement | undefined, elements: ElementDefinition[], style: StylesheetJson, headless: boolean): Core {
  if (!registered) {
    cytoscape.use(fcose);
    registered = true;
  }
  return cytoscape({
    container: headless ? undefined : container,
    headless,
    styleEnabled: true,
    elements,
    style,
    minZoom: 0.05,
    maxZoom: 4,
    textureOnViewport: true,
    hideEdgesOnViewport: true,
  });
}

/**
 * fcose (fast compound spring embedder): compound nodes (modules) are first-class, and its spectral
 * initial placement keeps a few hundred nodes well under a second, unlike cose or ELK's layered
 * layout. Calls inside a module are short stiff springs, calls across modules long loose ones, so
 * the modules come apart as clusters.
 */
export function wholeGraphLayout(animate: boolean): LayoutOptions {
  const sameModule = (edge: EdgeSingular): boolean => edge.source().parent().same(edge.target().parent());
  return {
    name: 'fcose', quality: 'default', randomize: true, animate, fit: true, padding: 20, nodeDimensionsIncludeLabels: false,
    packComponents: true, nodeRepulsion: 4500, numIter: 1000, nestingFactor: 0.1, gravityCompound: 1.5, gravityRangeCompound: 1.0,
    idealEdgeLength: (edge: EdgeSingular) => (sameModule(edge) ? 40 : 160),
    edgeElasticity: (edge: EdgeSingular) => (sameModule(edge) ? 0.45 : 0.05),
  } as LayoutOptions;
}

/** The Session's precomputed positions (Cytoscape ignores `position` in element JSON at init here). */
export function presetLayout(positions: GraphPositions): LayoutOptions {
  return { name: 'preset', positions: (node: NodeSingular) => positions[node.id()] ?? { x: 0, y: 0 }, fit: false, animate: false } as LayoutOptions;
}

export function layeredLayout(roots: string[]): LayoutOptions {
  return { name: 'breadthfirst', directed: true, roots, spacingFactor: 1.1, animate: false, padding: 20, avoidOverlap: true } as LayoutOptions;
}

/** The zoom from which function names are drawn in the whole call graph (9 px text at ≥ 0.8 is legible). */
export const NAMES_FROM_ZOOM = 0.8;

/**
 * Shows function names (class `named`) only while the whole graph is zoomed in enough to read them,
 * so the first render and every zoomed-out frame skip measuring and drawing hundreds of labels.
 */
export function showNamesWhenZoomed(cy: Core): void {
  let named: boolean | null = null;
  const update = (): void => {
    const want = cy.zoom() >= NAMES_FROM_ZOOM;
    if (want === named) return;
    named = want;
    cy.batch(() => (want ? cy.nodes('node.function').addClass('named') : cy.nodes('node.function').removeClass('named')));
  };
  update();
  cy.on('zoom', update);
}

/** Fits the graph, but never magnifies beyond `maxZoom` (a handful of nodes would be drawn huge). */
export function fitCapped(cy: Core, maxZoom: number): void {
  cy.fit(undefined, 20);
  if (cy.zoom() > maxZoom) {
    cy.zoom(maxZoom);
    cy.center();
  }
}

/** Fits a CFG; when that makes its text unreadable, shows the entry block at a readable size instead. */
export function showCfg(cy: Core, entryId: string | undefined): void {
  fitCapped(cy, 1);
  if (cy.zoom() >= 0.75 || entryId === undefined) return;
  const entry = cy.getElementById(entryId);
  cy.zoom(0.9);
  cy.center(entry);
  cy.panBy({ x: 0, y: -(entry.renderedBoundingBox().y1 - 20) });
}
