// Cytoscape styles for both themes (Cytoscape cannot read CSS variables, so colours come from here).
import type { StylesheetJson } from 'cytoscape';

export type Theme = 'light' | 'dark';

const palette = {
  light: { text: '#1f2328', muted: '#656d76', node: '#dbe9ff', nodeBorder: '#4a78c2', module: '#f3f4f6', moduleBorder: '#b8bec7', edge: '#8c959f', focus: '#ffb000', caller: '#cde7d0', callee: '#fde2cf', block: '#ffffff', loop: '#f0e6ff', loopBorder: '#8250df', selected: '#e5534b' },
  dark: { text: '#e6edf3', muted: '#9198a1', node: '#1f3a5f', nodeBorder: '#6ea8fe', module: '#22272e', moduleBorder: '#444c56', edge: '#768390', focus: '#c69026', caller: '#24482b', callee: '#5a3a1e', block: '#1c2128', loop: '#2e2145', loopBorder: '#b083f0', selected: '#f47067' },
} as const;

export function callGraphStyle(theme: Theme): StylesheetJson {
  const p = palette[theme];
  return [
    // Function names only on nodes marked `named` (see showNamesWhenZoomed): 800 labels cost more to
    // measure and draw than the rest of the graph, and are unreadable at the zoom that fits a kernel.
    { selector: 'node.function', style: { 'font-size': 9, color: p.text, 'background-color': p.node, 'border-color': p.nodeBorder, 'border-width': 1, width: 14, height: 14, 'text-valign': 'bottom', 'min-zoomed-font-size': 7 } },
    { selector: 'node.function.named', style: { label: 'data(label)' } },
    { selector: 'node.module', style: { label: 'data(label)', 'font-size': 14, 'font-weight': 'bold', color: p.muted, 'background-color': p.module, 'background-opacity': 0.6, 'border-color': p.moduleBorder, 'border-width': 1, shape: 'round-rectangle', 'text-valign': 'top', 'text-halign': 'center', padding: '12px' } },
    { selector: 'edge.call', style: { width: 1, 'line-color': p.edge, 'target-arrow-color': p.edge, 'target-arrow-shape': 'triangle', 'arrow-scale': 0.6, 'curve-style': 'haystack', opacity: 0.6 } },
    { selector: 'node.focus', style: { 'background-color': p.focus, width: 22, height: 22, 'font-size': 12, 'font-weight': 'bold' } },
    { selector: 'node.caller', style: { 'background-color': p.caller } },
    { selector: 'node.callee', style: { 'background-color': p.callee } },
    { selector: 'node:selected', style: { 'border-color': p.selected, 'border-width': 3 } },
  ];
}

export function focusedGraphStyle(theme: Theme): StylesheetJson {
  const base = callGraphStyle(theme);
  return [...base, { selector: 'edge.call', style: { 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'arrow-scale': 1, opacity: 0.9, width: 1.5, 'line-color': palette[theme].edge, 'target-arrow-color': palette[theme].edge } }, { selector: 'node.function', style: { label: 'data(label)', shape: 'round-rectangle', 'font-size': 11, width: 'data(width)', height: 22, 'text-valign': 'center', 'text-halign': 'center' } }, { selector: 'node.focus', style: { 'font-size': 11, height: 26 } }];
}

export function cfgStyle(theme: Theme): StylesheetJson {
  const p = palette[theme];
  const edge = (kind: string, color: string, style: 'solid' | 'dashed' | 'dotted') => ({
    selector: `edge.${kind}`, style: { 'line-color': color, 'target-arrow-color': color, 'line-style': style },
  });
  return [
    { selector: 'node.block', style: { shape: 'round-rectangle', label: 'data(label)', 'text-wrap': 'wrap', 'text-justification': 'left', 'text-halign': 'center', 'text-valign': 'center', 'font-family': 'ui-monospace, monospace', 'font-size': 10, color: p.text, 'background-color': p.block, 'border-color': p.nodeBorder, 'border-width': 1, width: 'data(width)', height: 'data(height)', 'line-height': 1.25 } },
    { selector: 'node.entry', style: { 'border-width': 3 } },
    { selector: 'node.exit', style: { 'border-style': 'double', 'border-width': 4 } },
    { selector: 'node.in-loop', style: { 'background-color': p.loop, 'border-color': p.loopBorder } },
    { selector: 'node.loop-header', style: { 'border-width': 3, 'border-color': p.loopBorder } },
    { selector: 'edge.cfg', style: { width: 1.5, 'curve-style': 'bezier', 'loop-direction': '-45deg', 'loop-sweep': '-90deg', 'target-arrow-shape': 'triangle', 'line-color': p.edge, 'target-arrow-color': p.edge } },
    edge('taken', '#2da44e', 'solid'),
    edge('not-taken', '#cf222e', 'dashed'),
    edge('fallthrough', p.edge, 'solid'),
    edge('jump', '#0969da', 'solid'),
    edge('call-return', p.muted, 'dotted'),
    edge('indirect', '#bf8700', 'dashed'),
    edge('return', p.muted, 'dotted'),
    { selector: 'node:selected', style: { 'border-color': p.selected, 'border-width': 3 } },
  ];
}
