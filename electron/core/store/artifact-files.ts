// Where an artifact's file may live and whether it is still the file that was recorded.
// Commands can write inside the workspace, so a stored path is not trusted on its own: the
// file must be a regular file (no symlink at the end, no symlinked folder on the way)
// under evidence/ (reports: exports/), or it is neither served nor reported intact.
import { lstatSync, realpathSync } from 'node:fs'
import { resolve, sep } from 'node:path'
import type { Artifact } from '../../../shared/domain'
import type { WorkspacePaths } from '../workspace'
import { listArtifacts, sha256File } from './artifacts'
import { cached, type Store } from './db'


export type ArtifactFile = { ok: true; path: string } | { ok: false; problem: string; missing?: boolean }

const inside = (dir: string, p: string) => p.startsWith(dir + sep)

function realOrSelf(p: string): string {
  try {
    return realpathSync(p)
  } catch {
    return p
  }
}

/** The absolute path of an artifact's file when it is a regular file in its folder. */
export function artifactFile(paths: WorkspacePaths, art: Pick<Artifact, 'path' | 'kind'>): ArtifactFile {
  // Reports are written by Opdesk into exports/; everything else a run captures is evidence.
  const dirs = art.kind === 'report' ? [paths.evidence, paths.exports] : [paths.evidence]
  const full = resolve(paths.root, art.path)
  const dir = dirs.find((d) => inside(d, full))
  if (!dir) return { ok: false, problem: `its path ${art.path} is outside ${dirs.map((d) => d.slice(paths.root.length + 1) + '/').join(' and ')}` }
  let st
  try {
    st = lstatSync(full)
  } catch {
    return { ok: false, problem: `its file ${art.path} is missing`, missing: true }
  }
  if (st.isSymbolicLink()) return { ok: false, problem: `its file ${art.path} was replaced by a symbolic link` }
  if (!st.isFile()) return { ok: false, problem: `${art.path} is not a regular file` }
  // A symlinked folder on the way (evidence/<run> → /etc) leaves the real path elsewhere.
  if (!inside(realOrSelf(dir), realOrSelf(full))) return { ok: false, problem: `${art.path} leads outside its folder through a symbolic link` }
  return { ok: true, path: full }
}

export interface ArtifactProblem {
  artifactId: string
  runId: string
  path: string
  problem: string
}

/** Re-hashes every recorded artifact (of one run, or all) against the hash stored with it. */
export async function verifyArtifacts(store: Store, paths: WorkspacePaths, runId?: string): Promise<{ checked: number; problems: ArtifactProblem[] }> {
  const rows = runId
    ? listArtifacts(store, runId)
    : (cached(store.sqlite, 'SELECT DISTINCT run_id AS id FROM artifacts ORDER BY run_id').all() as { id: string }[]).flatMap((r) => listArtifacts(store, r.id))
  const problems: ArtifactProblem[] = []
  for (const art of rows) {
    const f = artifactFile(paths, art)
    let problem: string | null = f.ok ? null : f.problem
    if (f.ok) {
      const sha = await sha256File(f.path)
      if (sha !== art.sha256) problem = `its file ${art.path} was changed (sha256 ${sha.slice(0, 12)}…, recorded ${art.sha256.slice(0, 12)}…)`
    }
    if (problem) problems.push({ artifactId: art.id, runId: art.runId, path: art.path, problem })
  }
  return { checked: rows.length, problems }
}
