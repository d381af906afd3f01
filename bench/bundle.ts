// Renderer chunk sizes from the last build (out/renderer): the first paint loads the entry
// chunk, so it carries the aim; views loaded on demand (Analytics, Settings) are listed too.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import type { Row } from './harness'

const KB = 1024

export async function runBundleBench(): Promise<Row[]> {
  const dir = process.env.OPDESK_RENDERER_DIR ?? fileURLToPath(new URL('../out/renderer/', import.meta.url))
  const assets = join(dir, 'assets')
  if (!existsSync(assets)) throw new Error(`bench bundle: no renderer build in ${dir}; run \`npm run build\` first`)
  const html = readFileSync(join(dir, 'index.html'), 'utf8')
  const rows: Row[] = []
  for (const name of readdirSync(assets).filter((f) => f.endsWith('.js')).sort()) {
    const file = join(assets, name)
    const size = statSync(file).size
    const gz = gzipSync(readFileSync(file)).length
    const entry = html.includes(`/assets/${name}`)
    const label = entry ? `entry chunk ${name}` : `on-demand chunk ${name}`
    rows.push({
      section: 'bundle',
      name: `${label} (gzip ${Math.round(gz / KB)} KB)`,
      value: Math.round(size / KB),
      unit: 'KB',
      ...(entry ? { aim: '< 500 KB', ok: size < 500 * KB } : {}),
    })
  }
  return rows
}
