// A run's one trace (GET /api/runs/:id/trace): its trace segments stitched into one zip,
// kept in the workspace's cache/ folder and made again only when the segments change (a
// run still going adds one). cache/ sits beside evidence/: out of a sandboxed command's
// reach, and nothing in it is evidence (it is derived from the recorded, hashed segments).
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Artifact } from '../../../shared/domain'
import { listArtifacts } from '../store/artifacts'
import { artifactFile } from '../store/artifact-files'
import type { Store } from '../store/db'
import type { WorkspacePaths } from '../workspace'
import { stitchTraces, type StitchedSegment } from './trace-stitch'

export interface RunTraceFile {
  path: string
  segments: StitchedSegment[]
}

/** trace-2 before trace-10: segments in the order they were recorded. */
const ordinal = (a: Artifact) => Number(/(\d+)$/.exec(a.name)?.[1] ?? 0)

export function runTraceFile(store: Store, paths: WorkspacePaths, runId: string): RunTraceFile | null {
  const traces = listArtifacts(store, runId)
    .filter((a) => a.kind === 'trace')
    .sort((a, b) => ordinal(a) - ordinal(b) || a.createdAt.localeCompare(b.createdAt))
  const files = traces.flatMap((a) => {
    const f = artifactFile(paths, a)
    return f.ok ? [{ a, path: f.path }] : []
  })
  if (files.length === 0) return null
  const key = createHash('sha256')
    .update(files.map((f) => `${f.a.id}:${f.a.sha256}`).join(','))
    .digest('hex')
    .slice(0, 16)
  const dir = join(paths.root, 'cache', 'traces')
  const out = join(dir, `${runId}-${key}.zip`)
  const meta = `${out}.json`
  if (existsSync(out) && existsSync(meta)) {
    return { path: out, segments: JSON.parse(readFileSync(meta, 'utf8')) as StitchedSegment[] }
  }
  const stitched = stitchTraces(files.map((f) => ({ name: f.a.name, zip: readFileSync(f.path) })))
  if (stitched.segments.length === 0) return null
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  // Earlier stitchings of this run (fewer segments) are stale now.
  for (const old of readdirSync(dir)) if (old.startsWith(`${runId}-`) && !old.startsWith(`${runId}-${key}`)) rmSync(join(dir, old), { force: true })
  const tmp = `${out}.${process.pid}.tmp`
  writeFileSync(tmp, stitched.zip, { mode: 0o600 })
  renameSync(tmp, out)
  writeFileSync(meta, JSON.stringify(stitched.segments), { mode: 0o600 })
  return { path: out, segments: stitched.segments }
}
