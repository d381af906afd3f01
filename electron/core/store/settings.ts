// The settings table: the operator's workspace settings, and the core's own `internal.*` rows
// (workspace id, stored policy) that are never shown or changed as settings. Values are JSON.
import type { WorkspaceSettings } from '../../../shared/api'
import { cached, transaction, type Store } from './db'

export type { WorkspaceSettings }

const read = <T>(store: Store, key: string): T | undefined => {
  const r = cached(store.sqlite, 'SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined
  return r ? (JSON.parse(r.value) as T) : undefined
}
const write = (store: Store, key: string, value: unknown): void => {
  cached(store.sqlite, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
    .run(key, JSON.stringify(value))
}

export function getSetting<K extends keyof WorkspaceSettings>(store: Store, key: K): WorkspaceSettings[K] | undefined {
  return read<WorkspaceSettings[K]>(store, key)
}

export function setSetting<K extends keyof WorkspaceSettings>(store: Store, key: K, value: WorkspaceSettings[K] | undefined): void {
  if (value === undefined) cached(store.sqlite, 'DELETE FROM settings WHERE key = ?').run(key)
  else write(store, key, value)
}

/** Several settings in one write: all of them or none. A null or undefined value clears its key. */
export function setSettings(store: Store, patch: { [K in keyof WorkspaceSettings]?: WorkspaceSettings[K] | null }): void {
  transaction(store, () => {
    for (const [k, v] of Object.entries(patch)) setSetting(store, k as keyof WorkspaceSettings, (v ?? undefined) as never)
  })
}

export function allSettings(store: Store): WorkspaceSettings {
  const rows = cached(store.sqlite, "SELECT key, value FROM settings WHERE key NOT LIKE 'internal.%'").all() as { key: string; value: string }[]
  return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value)])) as WorkspaceSettings
}

/** A key of the core's own rows; the prefix keeps them out of allSettings. */
export type InternalKey = `internal.${string}`

export const getInternal = <T>(store: Store, key: InternalKey): T | undefined => read<T>(store, key)
export const putInternal = (store: Store, key: InternalKey, value: unknown): void => write(store, key, value)

/**
 * Stores `value` unless the key already holds one, and returns what the key holds: of two
 * processes making the value at once, both end up with the first one written.
 */
export function putInternalOnce<T>(store: Store, key: InternalKey, value: T): T {
  cached(store.sqlite, 'INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)').run(key, JSON.stringify(value))
  return read<T>(store, key)!
}
