import cytoscape from 'cytoscape';
const cy = cytoscape({ headless: true, styleEnabled: true, elements: [
  { group: 'nodes', data: { id: 'module:m' }, classes: 'module' },
  { group: 'nodes', data: { id: 'a', parent: 'module:m' }, classes: 'function', position: { x: 10, y: 20 } },
  { group: 'nodes', data: { id: 'b', parent: 'module:m' }, classes: 'function', position: { x: 50, y: 80 } },
], style: [] });
console.log(cy.getElementById('a').position(), cy.getElementById('b').position());
