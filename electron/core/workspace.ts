import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { openStore, type OpenOptions, type Store } from './store/db'

export interface WorkspacePaths {
  root: string
  db: string
  flows: string
  evidence: string
  profiles: string
  exports: string
  policy: string
  key: string
  /** Where command runs work and write; the only workspace folder a sandboxed run sees. */
  work: string
}

export interface Workspace {
  dir: string
  paths: WorkspacePaths
  store: Store
  close(): void
}

export function workspacePaths(dir: string): WorkspacePaths {
  const root = resolve(dir)
  return {
    root,
    db: join(root, 'opdesk.db'),
    flows: join(root, 'flows'),
    evidence: join(root, 'evidence'),
    profiles: join(root, 'profiles'),
    exports: join(root, 'exports'),
    policy: join(root, 'policy.yaml'),
    key: join(root, '.opdesk-key'),
    work: join(root, 'work'),
  }
}

/** A workspace is a folder: the database, flows, evidence, browser profiles and exports. */
export function openWorkspace(dir: string, opts: OpenOptions = {}): Workspace {
  const paths = workspacePaths(dir)
  for (const d of [paths.root, paths.flows, paths.evidence, paths.profiles, paths.exports, paths.work]) mkdirSync(d, { recursive: true })
  const store = openStore(paths.db, opts)
  return { dir: paths.root, paths, store, close: () => store.close() }
}
