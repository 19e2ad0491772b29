// Draws the app icon (build/icons/icon.png) and the tray status lights (build/tray/*.png) without any
// image tool: a tiny PNG encoder over node:zlib, shapes sampled 4×4 per pixel for smooth edges.
// Run `node build/generate-icons.mjs` after changing a colour; the PNGs are committed.
/* global process */
import { Buffer } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes) => {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
};

/** RGBA PNG from a function (x, y in 0..1) → [r, g, b, a] or null (transparent). */
function png(size, paint) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  const samples = 4;
  for (let y = 0; y < size; y += 1) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x += 1) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          const colour = paint((x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size);
          if (colour) { r += colour[0] * colour[3]; g += colour[1] * colour[3]; b += colour[2] * colour[3]; a += colour[3]; }
        }
      }
      const o = y * (size * 4 + 1) + 1 + x * 4;
      const n = samples * samples;
      raw[o] = a ? Math.round(r / a) : 0;
      raw[o + 1] = a ? Math.round(g / a) : 0;
      raw[o + 2] = a ? Math.round(b / a) : 0;
      raw[o + 3] = Math.round((a / n) * 255);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const WHITE = [255, 255, 255, 1];
const inCross = (x, y, arm, half) => (Math.abs(x - 0.5) < arm && Math.abs(y - 0.5) < half) || (Math.abs(y - 0.5) < arm && Math.abs(x - 0.5) < half);
const inRoundedSquare = (x, y, inset, radius) => {
  const dx = Math.max(Math.abs(x - 0.5) - (0.5 - inset - radius), 0);
  const dy = Math.max(Math.abs(y - 0.5) - (0.5 - inset - radius), 0);
  return dx * dx + dy * dy <= radius * radius;
};
const inCircle = (x, y, radius) => (x - 0.5) ** 2 + (y - 0.5) ** 2 <= radius * radius;

const appIcon = (x, y) => {
  if (!inRoundedSquare(x, y, 0.04, 0.18)) return null;
  if (inCross(x, y, 0.09, 0.29)) return WHITE;
  return [0, 121, 107, 1]; // teal
};
const trayLight = (rgb) => (x, y) => {
  if (!inCircle(x, y, 0.47)) return null;
  if (inCross(x, y, 0.1, 0.3)) return WHITE;
  return [...rgb, 1];
};

const here = dirname(fileURLToPath(import.meta.url));
writeFileSync(join(here, 'icons', 'icon.png'), png(512, appIcon));
const lights = { 'tray-ok': [46, 125, 50], 'tray-busy': [239, 160, 0], 'tray-down': [198, 40, 40] };
for (const [name, rgb] of Object.entries(lights)) {
  writeFileSync(join(here, 'tray', `${name}.png`), png(32, trayLight(rgb)));
  writeFileSync(join(here, 'tray', `${name}@2x.png`), png(64, trayLight(rgb)));
}
process.stdout.write('wrote build/icons/icon.png and build/tray/*.png\n');
