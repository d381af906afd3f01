// A profile's portable half: its cookies and local storage as a Playwright storage-state
// file in the profile folder. A local profile run writes it when it ends, so a login made
// locally is there for a remote browser (which cannot open our user-data dir); a remote run
// starts from it and writes it back when it ends.
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs'
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

/** Writes the context's storage state beside a temporary name first, so a crash never leaves half a file. */
export async function saveStorageState(context: BrowserContext, path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true })
  const tmp = `${path}.${process.pid}.tmp`
  await context.storageState({ path: tmp })
  renameSync(tmp, path)
}
