import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// One build produces every Node entry point as CommonJS (so workers and the engine host load from
// inside app.asar), the sandboxed preload, and the renderer that both Electron and `bullpen serve` show.
const nodeEntries = {
  index: resolve(__dirname, 'src-main/electron/main.ts'),
  cli: resolve(__dirname, 'src-main/cli/index.ts'),
  engineHost: resolve(__dirname, 'src-main/api/host/engineHost.ts'),
  computeWorker: resolve(__dirname, 'src-workers/computeWorker.ts'),
};

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      sourcemap: true,
      rollupOptions: {
        input: nodeEntries,
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { preload: resolve(__dirname, 'src-main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [svelte({ configFile: false })],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: resolve(__dirname, 'src-renderer/index.html') },
    },
  },
});
