// Vitest: unit tests next to the code, differential/golden/fuzz tests under test/.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  // Component tests of the renderer import .vue files.
  plugins: [vue()],
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**', 'out/**'],
    pool: 'forks',
    // isolated-vm (plugins) asks for this flag.
    execArgv: ['--no-node-snapshot'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    // Tests that start the daemon must not write call-graph layouts into the user's ~/.cache.
    env: { SPRINGBOARD_CACHE_DIR: mkdtempSync(join(tmpdir(), 'springboard-test-cache-')) },
  },
});
