#!/usr/bin/env node
// The `springboard` command: runs the TypeScript CLI directly with Node 24's type stripping.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `springboard: Node ${process.versions.node} is too old; Springboard needs Node 24 or newer ` +
      '(on these machines run ../shared/tools/use-node24).\n',
  );
  process.exit(2);
}
// Node caches the compiled (type-stripped) modules between runs: it cuts start-up by two thirds.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
const { main } = await import('../src/main/node/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
