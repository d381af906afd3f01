// A profile's portable half: its cookies, local storage and IndexedDB as a Playwright
// storage-state file in the profile folder. A local profile run writes it when it ends, so
// a login made locally is there for a remote browser (which cannot open our user-data
// dir); a remote run starts from it and writes it back when it ends, and the next local run
// of the profile adopts what the remote run left.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { BrowserContext, BrowserContextOptions } from 'playwright-core'
import { profileDir } from './profiles'

export type StorageState = Exclude<BrowserContextOptions['storageState'], string | undefined>

export function storageStatePath(profilesDir: string, profile: string): string {
  return join(profileDir(profilesDir, profile), 'storage-state.json')
}

export function readStorageState(path: string): StorageState | undefined {
  if (!existsSync(path)) return undefined
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as StorageState
  } catch {
    // A file cut short by a crash mid-write (older builds wrote in place): start logged out.
    return undefined
  }
}

/** Marks a state a remote run wrote, which the local user-data dir has not seen yet. */
const newerMark = (path: string): string => `${path}.remote-newer`

/**
 * Writes the context's storage state beside a temporary name first, so a crash never leaves
 * half a file. IndexedDB is included: some sites keep their login there, and a local
 * profile that adopts the state has its own IndexedDB replaced by it.
 */
export async function saveStorageState(context: BrowserContext, path: string, from: 'local' | 'remote'): Promise<void> {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = `${path}.${process.pid}.tmp`
  await context.storageState({ path: tmp, indexedDB: true })
  renameSync(tmp, path)
  if (from === 'remote') writeFileSync(newerMark(path), '')
  else rmSync(newerMark(path), { force: true })
}

/** A local profile opening after a remote run takes that run's state (a login made remotely comes back). */
export async function adoptRemoteState(context: BrowserContext, path: string): Promise<boolean> {
  if (!existsSync(newerMark(path))) return false
  const state = readStorageState(path)
  if (state) await context.setStorageState(state)
  rmSync(newerMark(path), { force: true })
  return state !== undefined
}
