import type { WorkspaceSettings } from '../../../shared/api'
import { cached, type Store } from './db'

export type { WorkspaceSettings }

export function getSetting<K extends keyof WorkspaceSettings>(store: Store, key: K): WorkspaceSettings[K] | undefined {
  const r = cached(store.sqlite, 'SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined
  return r ? (JSON.parse(r.value) as WorkspaceSettings[K]) : undefined
}

export function setSetting<K extends keyof WorkspaceSettings>(store: Store, key: K, value: WorkspaceSettings[K] | undefined): void {
  if (value === undefined) cached(store.sqlite, 'DELETE FROM settings WHERE key = ?').run(key)
  else
    cached(store.sqlite, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(key, JSON.stringify(value))
}

export function allSettings(store: Store): WorkspaceSettings {
  // `internal.*` rows (workspace id, stored policy) are the core's own, not operator settings.
  const rows = cached(store.sqlite, "SELECT key, value FROM settings WHERE key NOT LIKE 'internal.%'").all() as { key: string; value: string }[]
  return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value)])) as WorkspaceSettings
}
