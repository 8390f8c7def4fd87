// Creating Cytoscape instances: the fcose layout extension registered once, headless where there is no canvas.
import cytoscape, { type Core, type ElementDefinition, type LayoutOptions, type StylesheetJson } from 'cytoscape';
import fcose from 'cytoscape-fcose';

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
    wheelSensitivity: 0.3,
    textureOnViewport: true,
    hideEdgesOnViewport: true,
  });
}

/**
 * fcose (fast compound spring embedder): compound nodes (modules) are first-class, and its spectral
 * initial placement keeps a few hundred nodes well under a second, unlike cose or ELK's layered layout.
 */
export function wholeGraphLayout(animate: boolean): LayoutOptions {
  return {
    name: 'fcose', quality: 'default', randomize: true, animate, nodeDimensionsIncludeLabels: false,
    packComponents: true, nodeRepulsion: 6000, idealEdgeLength: 60, nestingFactor: 0.2, gravity: 0.4, numIter: 1500,
  } as LayoutOptions;
}

export function layeredLayout(roots: string[]): LayoutOptions {
  return { name: 'breadthfirst', directed: true, roots, spacingFactor: 1.1, animate: false, padding: 20 } as LayoutOptions;
}
