// `node --import ./src/cli/raw-loader.mjs`: lets Node import `*.sql?raw` like Vite (see raw-hooks.mjs).
import { register } from 'node:module';

register('./raw-hooks.mjs', import.meta.url);
