import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
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
    work: join(root, 'work'),
  }
}

/** A workspace is a folder: the database, flows, evidence, browser profiles and exports. */
export function openWorkspace(dir: string, opts: OpenOptions = {}): Workspace {
  const paths = workspacePaths(dir)
  for (const d of [paths.root, paths.flows, paths.evidence, paths.profiles, paths.exports, paths.work]) mkdirSync(d, { recursive: true })
  restrictDatabase(paths.db)
  const store = openStore(paths.db, opts)
  restrictDatabase(paths.db)
  return { dir: paths.root, paths, store, close: () => store.close() }
}

/** The database holds sealed secrets, tokens and the policy: owner-only, before and after SQLite opens it
 * (its -wal and -shm files take the database file's mode when SQLite creates them). */
function restrictDatabase(db: string): void {
  if (process.platform === 'win32') return
  if (!existsSync(db)) closeSync(openSync(db, 'a', 0o600))
  for (const f of [db, `${db}-wal`, `${db}-shm`, `${db}-journal`]) if (existsSync(f)) chmodSync(f, 0o600)
}
