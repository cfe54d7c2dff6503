/**
 * A plain static server for build/ on 127.0.0.1 (vite preview 404s adapter fallbacks, and the
 * e2e tests need the real service worker). `--open` opens the app on the demo ledger.
 *   tsx scripts/serve.ts [--port 4173] [--open] [--dir build]
 */
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export function serveStatic(dir: string, port: number, host = '127.0.0.1'): Promise<Server> {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let path = normalize(join(root, decodeURIComponent(url.pathname)));
    if (!path.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    const candidates = [path, `${path}.html`, join(path, 'index.html')];
    path = candidates.find((p) => existsSync(p) && statSync(p).isFile()) ?? '';
    if (!path) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const ext = extname(path);
    res.writeHead(200, {
      'content-type': TYPES[ext] ?? 'application/octet-stream',
      'cache-control': ext === '.html' || path.endsWith('sw.js') ? 'no-cache' : 'public, max-age=3600',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': "frame-ancestors 'none'; object-src 'none'",
    });
    createReadStream(path).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok(server));
  });
}

function openBrowser(url: string) {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No desktop here: the URL printed below is the way in.
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { port: { type: 'string', default: process.env.PORT ?? '4173' }, open: { type: 'boolean', default: false }, dir: { type: 'string', default: 'build' } },
  });
  if (!existsSync(join(values.dir!, 'index.html'))) {
    console.error(`${values.dir}/index.html not found: run npm run build first`);
    process.exit(1);
  }
  const port = Number(values.port);
  await serveStatic(values.dir!, port);
  const url = `http://127.0.0.1:${port}/?demo`;
  console.log(`Encours is running at ${url}  (Ctrl+C to stop)`);
  if (values.open && !process.env.CI) openBrowser(url);
}
