// Where the key that seals secrets lives: never in the workspace, which command runs can read. Host mode and
// the CLI use OPDESK_KEY or a 0600 file in the user's config folder named after the workspace's id (kept in
// its database, so a moved or copied workspace still finds its key); the app uses safeStorage instead.
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { userDataDir } from '../paths'
import type { Store } from '../store/db'
import { getInternal, putInternalOnce } from '../store/settings'
import { aesCipher, readOrCreateKey, type SecretCipher } from './cipher'

/** Where workspaces before this version kept their key. */
export const LEGACY_KEY_FILE = '.opdesk-key'
const ID_KEY = 'internal.workspace.id'

export function workspaceId(store: Store): string {
  return getInternal<string>(store, ID_KEY) ?? putInternalOnce(store, ID_KEY, randomUUID())
}

export const keysDir = (): string => join(userDataDir(), 'keys')
export const keyFileFor = (store: Store, dir = keysDir()): string => join(dir, `${workspaceId(store)}.key`)

/** OPDESK_KEY as 64 hex digits or base64 of 32 bytes; anything else is refused rather than silently weakened. */
export function keyFromEnv(value: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64')
  if (key.length !== 32) throw new Error('OPDESK_KEY must be 32 bytes, as 64 hex digits or base64')
  return key
}

/**
 * Moves a key left inside the workspace out of it (to `target`, or only deletes it when OPDESK_KEY already
 * holds the same key). A different key already outside is never overwritten: secrets sealed with either one
 * would be lost, so opening stops and says so.
 */
export function moveLegacyKey(workspaceRoot: string, target: string | null, envKey: Buffer | null): void {
  const legacy = join(workspaceRoot, LEGACY_KEY_FILE)
  if (!existsSync(legacy)) return
  const old = readFileSync(legacy)
  const current = envKey ?? (target && existsSync(target) ? readFileSync(target) : null)
  if (current && !current.equals(old)) {
    throw new Error(
      `This workspace still holds a secrets key (${legacy}) that differs from ${envKey ? 'OPDESK_KEY' : target}; ` +
        'remove the one that did not seal its secrets and open it again',
    )
  }
  if (!current && target) {
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 })
    // Written before the original is removed, so a crash in between leaves the key in both places, never none.
    writeFileSync(target, old, { mode: 0o600, flag: 'wx' })
  }
  rmSync(legacy, { force: true })
}

export interface KeyOptions {
  env?: NodeJS.ProcessEnv
  /** The user's key folder; tests pass their own. */
  keysDir?: string
}

/** The host/CLI cipher, after moving a legacy in-workspace key out. */
export function hostKeyCipher(store: Store, workspaceRoot: string, opts: KeyOptions = {}): SecretCipher {
  const envValue = (opts.env ?? process.env).OPDESK_KEY
  const envKey = envValue ? keyFromEnv(envValue) : null
  const file = envKey ? null : keyFileFor(store, opts.keysDir)
  moveLegacyKey(workspaceRoot, file, envKey)
  return aesCipher(envKey ?? readOrCreateKey(file!))
}
