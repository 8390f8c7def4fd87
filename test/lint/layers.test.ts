// The layer-boundary lint rule must reject imports that point up the layers or reach into another module.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

async function lint(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: resolve(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'springboard/layers').map((m) => m.message);
}

describe('springboard/layers', () => {
  it('keeps Node built-ins and Electron out of the engine', async () => {
    expect(await lint('src/main/core/x/a.ts', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n")).toEqual([
      'The core layer may not use the Node built-in "node:fs".',
    ]);
    expect(await lint('src/main/core/x/a.ts', "import { app } from 'electron';\nexport const f = app;\n")).toHaveLength(1);
  });

  it('refuses imports that point up', async () => {
    const messages = await lint('src/shared/a.ts', "import { main } from '../main/node/cli/main.ts';\nexport const f = main;\n");
    expect(messages[0]).toMatch(/shared layer may not import from the node layer/);
    expect(await lint('src/renderer/src/a.ts', "import { x } from '../../main/core/sparc/index.ts';\nexport const f = x;\n")).toHaveLength(1);
  });

  it('allows module index imports and refuses deep ones', async () => {
    expect(await lint('src/main/core/analysis/a.ts', "import { x } from '../sparc/index.ts';\nexport const f = x;\n")).toEqual([]);
    expect(await lint('src/main/core/analysis/a.ts', "import { x } from '../sparc/table.ts';\nexport const f = x;\n")).toEqual([
      'Import the module src/main/core/sparc through its index.ts, not "../sparc/table.ts".',
    ]);
    expect(await lint('src/main/node/cli/a.ts', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n")).toEqual([]);
  });
});
