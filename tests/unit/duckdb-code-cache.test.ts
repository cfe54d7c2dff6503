import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { patchDuckdbWorker } from '../../scripts/duckdb-code-cache';

const require = createRequire(import.meta.url);

describe("duckdb-wasm's worker instantiated from the fetched response (wasm code cache)", () => {
  for (const bundle of ['eh', 'mvp']) {
    it(`patches the installed ${bundle} worker: the progress branch is never taken, its fallback no longer warns`, () => {
      const source = readFileSync(require.resolve(`@duckdb/duckdb-wasm/dist/duckdb-browser-${bundle}.worker.js`), 'utf8');
      const patched = patchDuckdbWorker(source, bundle);
      expect(patched).toContain('if(false){let a=(async()=>{');
      expect(patched).not.toContain('if(typeof TransformStream=="function"){let a=(async()=>{');
      expect(patched).not.toContain('instantiating without progress handler');
      // the branch now taken: instantiateStreaming straight on fetch(), which the code cache serves
      expect(patched).toMatch(/WebAssembly\.instantiateStreaming\(fetch\(n\),e\)/);
      expect(patched.length).toBeLessThan(source.length);
    });
  }

  it('refuses a worker without the code it patches, or with it twice', () => {
    expect(() => patchDuckdbWorker('var x = 1;', 'other.js')).toThrow(/other\.js: expected .* found it 0 times/);
    const twice = 'if(typeof TransformStream=="function"){let a=(async()=>{'.repeat(2) +
      'console.warn("instantiating without progress handler since transform streams are unavailable");';
    expect(() => patchDuckdbWorker(twice, 'twice.js')).toThrow(/found it 2 times/);
  });
});
