import { createHash } from 'node:crypto'
import { createReadStream, statSync } from 'node:fs'
import type { Artifact, ArtifactKind } from '../../../shared/domain'
import { newId, nowIso } from '../ids'
import { cached, type Store } from './db'

interface Row {
  id: string
  run_id: string
  kind: ArtifactKind
  name: string
  path: string
  sha256: string
  bytes: number
  created_at: string
}
const toArtifact = (r: Row): Artifact => ({
  id: r.id,
  runId: r.run_id,
  kind: r.kind,
  name: r.name,
  path: r.path,
  sha256: r.sha256,
  bytes: r.bytes,
  createdAt: r.created_at,
})

export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256')
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer)
  return h.digest('hex')
}

/** Records a file already written under the workspace; path is stored relative to the workspace. */
export async function recordArtifact(
  store: Store,
  a: { runId: string; kind: ArtifactKind; name: string; absPath: string; relPath: string },
): Promise<Artifact> {
  const sha256 = await sha256File(a.absPath)
  const bytes = statSync(a.absPath).size
  const id = newId('art')
  cached(store.sqlite, 'INSERT INTO artifacts (id, run_id, kind, name, path, sha256, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(id, a.runId, a.kind, a.name, a.relPath, sha256, bytes, nowIso())
  return getArtifact(store, id)!
}

export function getArtifact(store: Store, id: string): Artifact | null {
  const r = cached(store.sqlite, 'SELECT * FROM artifacts WHERE id = ?').get(id) as Row | undefined
  return r ? toArtifact(r) : null
}

export function listArtifacts(store: Store, runId: string): Artifact[] {
  return (cached(store.sqlite, 'SELECT * FROM artifacts WHERE run_id = ? ORDER BY created_at, id').all(runId) as Row[]).map(toArtifact)
}
