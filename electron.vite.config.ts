// electron-vite: builds the Electron main process, the preload bridge and the Vue renderer into out/.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';
import { WORKER_ENTRIES } from './src/main/node/worker-url.ts';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // The worker threads are entries of their own: out/main/<entry>.js (src/main/node/worker-url.ts).
        input: {
          index: resolve(import.meta.dirname, 'src/main/index.ts'),
          ...Object.fromEntries(Object.entries(WORKER_ENTRIES).map(([name, path]) => [name, resolve(import.meta.dirname, path)])),
        },
        // Shared chunks stay beside the entries, so a caller's import.meta.url finds its worker at ./<entry>.js.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        // A sandboxed preload cannot load ES modules: emit CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    build: {
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') } },
    },
    plugins: [vue()],
  },
});
