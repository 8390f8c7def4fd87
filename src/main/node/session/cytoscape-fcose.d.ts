// The fcose layout extension ships no types: it is a Cytoscape extension object.
declare module 'cytoscape-fcose' {
  import type { Ext } from 'cytoscape';
  const fcose: Ext;
  export default fcose;
}
