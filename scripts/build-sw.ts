/**
 * Generates the service worker after `vite build`: it precaches the whole app (pages, scripts,
 * the duckdb-wasm .wasm bundles, the demo ledger, icons) so that Encours works offline after the
 * first visit. The .wasm files are far above workbox's 2 MiB default, hence the raised limit.
 */
import { generateSW } from 'workbox-build';

const { count, size, warnings } = await generateSW({
  globDirectory: 'build',
  globPatterns: ['**/*.{html,js,css,wasm,webmanifest,png,svg,csv,txt,json}'],
  // Browsers without wasm exceptions (rare today) use the mvp bundle: cached when first used,
  // rather than making every install download both 35 MB engines.
  globIgnores: ['sw.js', 'workbox-*.js', '**/duckdb-mvp*.wasm'],
  runtimeCaching: [{ urlPattern: /duckdb-mvp.*\.wasm$/, handler: 'CacheFirst', options: { cacheName: 'encours-engine-mvp' } }],
  swDest: 'build/sw.js',
  maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
  // '/overview' is served from overview.html; any query string (?as_of=…) maps to the same page.
  directoryIndex: 'index.html',
  ignoreURLParametersMatching: [/.*/],
  // A new version waits until the user accepts the "reload" prompt (workbox-window).
  skipWaiting: false,
  clientsClaim: true,
  inlineWorkboxRuntime: true,
  sourcemap: false,
  mode: 'production',
});
for (const w of warnings) console.warn(`service worker: ${w}`);
console.log(`service worker: ${count} files precached, ${(size / 1024 / 1024).toFixed(1)} MiB`);
