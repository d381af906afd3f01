#!/usr/bin/env node
// Draws resources/icons/icon.png (1024×1024): three "track" bars with progress on a dark
// tile. electron-builder derives the .icns and .ico from it. Generated rather than drawn
// in an editor so the icon is reproducible from the repository: node scripts/make-icon.mjs
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'

const SIZE = 1024
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'icons', 'icon.png')

/** Signed distance to a rounded rectangle (negative inside). */
function roundRect(x, y, [x0, y0, x1, y1, r]) {
  const cx = Math.max(x0 + r - x, 0, x - (x1 - r))
  const cy = Math.max(y0 + r - y, 0, y - (y1 - r))
  const outside = Math.hypot(cx, cy) - r
  const inside = Math.max(x0 - x, x - x1, y0 - y, y - y1)
  return cx > 0 || cy > 0 ? outside : inside
}

const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16))
// Back to front: tile, then per track a dim rail and its progress.
const shapes = [{ rect: [64, 64, 960, 960, 200], color: hex('#151922') }]
const tracks = [
  { y: 300, done: 0.82, color: '#2dd4bf' },
  { y: 472, done: 0.55, color: '#fbbf24' },
  { y: 644, done: 0.3, color: '#f87171' },
]
for (const t of tracks) {
  shapes.push({ rect: [212, t.y, 812, t.y + 80, 40], color: hex('#2a3140') })
  shapes.push({ rect: [212, t.y, 212 + 600 * t.done, t.y + 80, 40], color: hex(t.color) })
}

const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE)
for (let y = 0; y < SIZE; y++) {
  const row = y * (SIZE * 4 + 1)
  raw[row] = 0 // PNG filter: none
  for (let x = 0; x < SIZE; x++) {
    let rgb = [0, 0, 0]
    let a = 0
    for (const s of shapes) {
      // One pixel of smooth edge: coverage from the distance at the pixel centre.
      const cov = Math.min(1, Math.max(0, 0.5 - roundRect(x + 0.5, y + 0.5, s.rect)))
      if (cov === 0) continue
      const na = cov + a * (1 - cov)
      rgb = rgb.map((c, i) => (s.color[i] * cov + c * a * (1 - cov)) / na)
      a = na
    }
    const o = row + 1 + x * 4
    raw[o] = Math.round(rgb[0])
    raw[o + 1] = Math.round(rgb[1])
    raw[o + 2] = Math.round(rgb[2])
    raw[o + 3] = Math.round(a * 255)
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
const crc32 = (buf) => {
  let c = 0xffffffff
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
const chunk = (type, data) => {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, crc])
}
const ihdr = Buffer.alloc(13)
ihdr.writeUInt32BE(SIZE, 0)
ihdr.writeUInt32BE(SIZE, 4)
ihdr[8] = 8 // bit depth
ihdr[9] = 6 // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
])
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, png)
process.stdout.write(`wrote ${out} (${png.length} bytes)\n`)
