/**
 * Lets the browser keep DuckDB's compiled wasm between visits (Vite plugin, build only).
 *
 * duckdb-wasm's worker fetches its .wasm and, to report download progress, pipes the body through a
 * TransformStream into a new Response before WebAssembly.instantiateStreaming. A Response built that
 * way has no URL, so Chromium cannot use its wasm code cache: every start compiled the module again
 * (baseline code first, optimised code later, on the second core) and ran the engine's first
 * seconds on baseline code. Encours asks for no progress, so the worker's own other branch is taken
 * instead: instantiateStreaming(fetch(url)), which the code cache serves, the .wasm coming from the
 * service worker's precache. Measured on a reopened 0.9M-invoice workspace, 4 restarts of Chromium:
 * the engine's SQL set-up 1.6 → 1.2 s unpatched against 1.3 → 0.5 s patched, the engine up 3.9 →
 * 2.8 s after the page's start by the fourth restart (README, workspaces).
 *
 * The text patched is checked: a duckdb-wasm whose worker no longer has it fails the build, so an
 * upgrade cannot silently drop the gain.
 */
import type { Plugin } from 'vite';

const PROGRESS_BRANCH = 'if(typeof TransformStream=="function"){let a=(async()=>{';
const PLAIN_BRANCH_WARNING = 'console.warn("instantiating without progress handler since transform streams are unavailable");';
const WORKER_ASSET = /duckdb-browser-(eh|mvp)\.worker-[^/]*\.js$/;

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

export function patchDuckdbWorker(source: string, name: string): string {
  for (const part of [PROGRESS_BRANCH, PLAIN_BRANCH_WARNING]) {
    const n = occurrences(source, part);
    if (n !== 1) throw new Error(`${name}: expected the duckdb-wasm worker's instantiation code once, found it ${n} times (duckdb-wasm upgraded? see scripts/duckdb-code-cache.ts)`);
  }
  return source.replace(PROGRESS_BRANCH, 'if(false){let a=(async()=>{').replace(PLAIN_BRANCH_WARNING, '');
}

export function duckdbWasmCodeCache(): Plugin {
  return {
    name: 'encours-duckdb-wasm-code-cache',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'asset' || !WORKER_ASSET.test(file.fileName)) continue;
        const source = typeof file.source === 'string' ? file.source : new TextDecoder().decode(file.source);
        file.source = patchDuckdbWorker(source, file.fileName);
      }
    },
  };
}
