/**
 * Draws the app icon (an aged-balance bar chart on the brand colour) as PNGs for the web manifest.
 * Run once when the design changes: npx tsx scripts/make-icons.ts. The PNGs are committed.
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const BRAND = [0x1f, 0x4e, 0x5f];
const BARS = [
  [0x5b, 0x8c, 0x85],
  [0xe7, 0xc1, 0x5b],
  [0xe3, 0x9a, 0x3b],
  [0xb8, 0x43, 0x2a],
];

function crc32(buf: Uint8Array): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

function icon(size: number, maskable: boolean): Buffer {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  const r = size * (maskable ? 0 : 0.18);
  const inset = maskable ? size * 0.2 : size * 0.16;
  const barW = (size - 2 * inset) / (BARS.length * 1.5 - 0.5);
  const heights = [0.35, 0.55, 0.75, 0.95];
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      let rgba = [...BRAND, 255];
      // rounded corners (transparent outside) for the plain icon
      const cx = Math.min(x, size - 1 - x);
      const cy = Math.min(y, size - 1 - y);
      if (cx < r && cy < r && (r - cx) ** 2 + (r - cy) ** 2 > r * r) rgba = [0, 0, 0, 0];
      const bi = Math.floor((x - inset) / (barW * 1.5));
      const inBar = bi >= 0 && bi < BARS.length && (x - inset) - bi * barW * 1.5 < barW;
      const bottom = size - inset;
      if (rgba[3] && inBar && y < bottom && y > bottom - heights[bi] * (size - 2 * inset)) rgba = [...BARS[bi], 255];
      raw.set(rgba, y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array()),
  ]);
}

writeFileSync('static/icons/icon-192.png', icon(192, false));
writeFileSync('static/icons/icon-512.png', icon(512, false));
writeFileSync('static/icons/icon-maskable-512.png', icon(512, true));
console.log('icons written to static/icons');
