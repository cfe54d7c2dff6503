import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { duckdbWasmCodeCache } from './scripts/duckdb-code-cache';

export default defineConfig({
  plugins: [sveltekit()],
  // duckdb-wasm ships its own workers and wasm; pre-bundling it makes the dev server reload in a loop.
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm'] },
  // (the plugin patches duckdb-wasm's own worker, an asset of our engine worker's build)
  worker: { format: 'es', plugins: () => [duckdbWasmCodeCache()] },
  build: { target: 'es2022', chunkSizeWarningLimit: 2048 },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
