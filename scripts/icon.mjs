// Draws the extension icon (images/icon.png, 128x128): an open book (the KB) with an orange hint mark,
// on AWS's dark blue. No image tools needed: shapes rasterised with 4x4 supersampling, PNG via zlib.
// Run `node scripts/icon.mjs` after changing it; the PNG is committed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const N = 128;
const BG = [0x23, 0x2f, 0x3e];
const PAGE = [0xf5, 0xf7, 0xfa];
const EDGE = [0xc8, 0xd1, 0xdc];
const MARK = [0xff, 0x99, 0x00];

const inRounded = (x, y, r) => {
  const cx = Math.min(Math.max(x, r), N - r);
  const cy = Math.min(Math.max(y, r), N - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
// A quadrilateral (convex, clockwise) test.
const inQuad = (x, y, q) => q.every(([ax, ay], i) => {
  const [bx, by] = q[(i + 1) % q.length];
  return (bx - ax) * (y - ay) - (by - ay) * (x - ax) >= 0;
});
const left = [[16, 36], [62, 44], [62, 104], [16, 96]];
const right = [[66, 44], [112, 36], [112, 96], [66, 104]];
const spine = [[61, 44], [67, 44], [67, 106], [61, 106]];

function color(x, y) {
  if (!inRounded(x, y, 22)) return null;
  // The hint mark: a filled circle with a gap (a lightbulb-like dot) over the right page.
  if ((x - 96) ** 2 + (y - 30) ** 2 <= 16 ** 2) return MARK;
  if (inQuad(x, y, spine)) return EDGE;
  if (inQuad(x, y, left) || inQuad(x, y, right)) {
    // Text lines on the pages.
    const line = (y - 52) % 10;
    const onLeft = inQuad(x, y, left) && x > 24 && x < 54 && y > 50 && y < 92;
    const onRight = inQuad(x, y, right) && x > 74 && x < 104 && y > 50 && y < 92;
    if ((onLeft || onRight) && line >= 0 && line < 3) return EDGE;
    return PAGE;
  }
  return BG;
}

const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) {
  raw[y * (N * 4 + 1)] = 0;
  for (let x = 0; x < N; x++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) {
      const c = color(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4);
      if (!c) continue;
      r += c[0]; g += c[1]; b += c[2]; a++;
    }
    const o = y * (N * 4 + 1) + 1 + x * 4;
    raw[o] = a ? Math.round(r / a) : 0;
    raw[o + 1] = a ? Math.round(g / a) : 0;
    raw[o + 2] = a ? Math.round(b / a) : 0;
    raw[o + 3] = Math.round((a / 16) * 255);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc(body));
  return Buffer.concat([len, body, sum]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
fs.mkdirSync(path.join(root, 'images'), { recursive: true });
fs.writeFileSync(path.join(root, 'images', 'icon.png'), png);
console.log(`images/icon.png: ${png.length} bytes`);
