import type { FlowRecord } from '../../../shared/domain'
import { newId, nowIso } from '../ids'
import { cached, type Store } from './db'

interface Row {
  id: string
  name: string
  source: string
  hash: string
  created_at: string
  updated_at: string
}
const toFlow = (r: Row): FlowRecord => ({
  id: r.id,
  name: r.name,
  source: r.source,
  hash: r.hash,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

/** Registers a flow by name; registering the same name again replaces its source. */
export function upsertFlow(store: Store, f: { name: string; source: string; hash: string }): FlowRecord {
  const existing = cached(store.sqlite, 'SELECT id FROM flows WHERE name = ?').get(f.name) as { id: string } | undefined
  const now = nowIso()
  if (existing) {
    cached(store.sqlite, 'UPDATE flows SET source = ?, hash = ?, updated_at = ? WHERE id = ?').run(f.source, f.hash, now, existing.id)
    return getFlow(store, existing.id)!
  }
  const id = newId('flw')
  cached(store.sqlite, 'INSERT INTO flows (id, name, source, hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(id, f.name, f.source, f.hash, now, now)
  return getFlow(store, id)!
}

export function getFlow(store: Store, idOrName: string): FlowRecord | null {
  const r = cached(store.sqlite, 'SELECT * FROM flows WHERE id = ? OR name = ?').get(idOrName, idOrName) as Row | undefined
  return r ? toFlow(r) : null
}

export function listFlows(store: Store): FlowRecord[] {
  return (cached(store.sqlite, 'SELECT * FROM flows ORDER BY name').all() as Row[]).map(toFlow)
}
