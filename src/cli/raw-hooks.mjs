// Node module hooks that import .sql files the way Vite does (`import sql from './x.sql?raw'`),
// so that the CLI runs the very SQL the browser runs. Registered by raw-loader.mjs.
import { readFile } from 'node:fs/promises';

/**
 * @param {string} specifier
 * @param {object} context
 * @param {(specifier: string, context: object) => Promise<{ url: string }>} next
 */
export async function resolve(specifier, context, next) {
  if (specifier.endsWith('?raw')) {
    const resolved = await next(specifier.slice(0, -4), context);
    return { url: `${resolved.url}?raw`, format: 'module', shortCircuit: true };
  }
  return next(specifier, context);
}

/**
 * @param {string} url
 * @param {object} context
 * @param {(url: string, context: object) => Promise<unknown>} next
 */
export async function load(url, context, next) {
  if (url.endsWith('?raw')) {
    const text = await readFile(new URL(url.slice(0, -4)), 'utf8');
    return { format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
  }
  return next(url, context);
}
