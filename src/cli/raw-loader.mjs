// Lets Node import the .sql files the way Vite does (`import sql from './x.sql?raw'`),
// so the CLI runs the very SQL the browser runs.
import { readFile } from 'node:fs/promises';
import { register } from 'node:module';

export async function resolve(specifier, context, next) {
  if (specifier.endsWith('?raw')) {
    const resolved = await next(specifier.slice(0, -4), context);
    return { url: `${resolved.url}?raw`, format: 'module', shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (url.endsWith('?raw')) {
    const text = await readFile(new URL(url.slice(0, -4)), 'utf8');
    return { format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
  }
  return next(url, context);
}

if (!globalThis.__encoursRawLoader) {
  globalThis.__encoursRawLoader = true;
  register(import.meta.url);
}
