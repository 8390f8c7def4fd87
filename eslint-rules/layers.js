// ESLint rule: imports only point down the layers of docs/DEVELOPING.md, and across modules only through index.ts.
import { builtinModules } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** Layers by folder (first match wins), what each may import, and which packages. */
const layers = [
  { name: 'shared', dir: 'src/shared', may: ['shared'], packages: [] },
  { name: 'core', dir: 'src/main/core', may: ['shared', 'core'], packages: [] },
  { name: 'plugins', dir: 'src/main/plugins', may: ['shared', 'core', 'plugins'], packages: ['isolated-vm'] },
  { name: 'node', dir: 'src/main/node', may: ['shared', 'core', 'plugins', 'node'], packages: ['*'], node: true },
  { name: 'electron', dir: 'src/main/electron', may: ['shared', 'core', 'plugins', 'node', 'electron'], packages: ['*'], node: true },
  { name: 'electron', file: 'src/main/index.ts', may: ['shared', 'core', 'plugins', 'node', 'electron'], packages: ['*'], node: true },
  { name: 'preload', dir: 'src/preload', may: ['shared', 'preload'], packages: ['electron'] },
  { name: 'renderer', dir: 'src/renderer', may: ['shared', 'renderer'], packages: ['vue', 'pinia', 'cytoscape', '@vue/*', 'cytoscape-*'] },
];

function layerOf(file) {
  const rel = path.relative(root, file).split(path.sep).join('/');
  for (const layer of layers) {
    if (layer.file ? rel === layer.file : rel === layer.dir || rel.startsWith(layer.dir + '/')) return { layer, rel };
  }
  return { layer: undefined, rel };
}

/** The module a file belongs to: `src/main/core/sparc/x/y.ts` → `src/main/core/sparc`. */
function moduleOf(rel, layer) {
  if (!layer.dir) return rel;
  const rest = rel.slice(layer.dir.length + 1).split('/');
  return rest.length > 1 ? `${layer.dir}/${rest[0]}` : layer.dir;
}

function packageAllowed(spec, layer) {
  const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
  return layer.packages.some((p) => p === '*' || p === name || (p.endsWith('*') && name.startsWith(p.slice(0, -1))));
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Keep imports pointing down the architecture layers and through module index files.' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const { layer, rel } = layerOf(file);
    if (!layer || rel.endsWith('.test.ts')) return {};
    function check(node, spec) {
      if (typeof spec !== 'string') return;
      if (!spec.startsWith('.') && !spec.startsWith('/')) {
        if (builtins.has(spec)) {
          if (!layer.node) context.report({ node, message: `The ${layer.name} layer may not use the Node built-in "${spec}".` });
        } else if (!packageAllowed(spec, layer)) {
          context.report({ node, message: `The ${layer.name} layer may not import the package "${spec}".` });
        }
        return;
      }
      const target = path.resolve(path.dirname(file), spec);
      const t = layerOf(target);
      if (!t.layer) {
        context.report({ node, message: `"${spec}" is outside the source layers.` });
        return;
      }
      if (!layer.may.includes(t.layer.name)) {
        context.report({ node, message: `The ${layer.name} layer may not import from the ${t.layer.name} layer ("${spec}"); imports only point down.` });
        return;
      }
      const from = moduleOf(rel, layer);
      const to = moduleOf(t.rel, t.layer);
      if (from !== to && to !== t.layer.dir && t.rel !== `${to}/index.ts`) {
        context.report({ node, message: `Import the module ${to} through its index.ts, not "${spec}".` });
      }
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};
