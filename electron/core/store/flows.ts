// The flow library: one row per flow (its current text) and every saved text before it in
// flow_versions, numbered from 1, with who saved it. A save that changes nothing (same name,
// same hash) makes no version, so re-importing an unchanged flows/ folder adds no history.
import type { FlowRecord, FlowVersion } from '../../../shared/domain'
import { newId, nowIso } from '../ids'
import { cached, transaction, type Store } from './db'

interface Row {
  id: string
  name: string
  source: string
  hash: string
  created_at: string
  updated_at: string
  version: number | null
  updated_by: string | null
}
const toFlow = (r: Row): FlowRecord => ({
  id: r.id,
  name: r.name,
  source: r.source,
  hash: r.hash,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: r.version ?? 0,
  updatedBy: r.updated_by,
})

// The PK (flow_id, version) serves both sub-selects from the index.
const SELECT = `SELECT f.*,
  (SELECT MAX(v.version) FROM flow_versions v WHERE v.flow_id = f.id) AS version,
  (SELECT v.created_by FROM flow_versions v WHERE v.flow_id = f.id ORDER BY v.version DESC LIMIT 1) AS updated_by
  FROM flows f`

export interface FlowSave {
  name: string
  source: string
  hash: string
  /** Who saves it: an operator's name, or what did it ("flows folder", "demo"). */
  by: string
}

function addVersion(store: Store, flowId: string, f: FlowSave, at: string): void {
  const next = cached(store.sqlite, 'SELECT COALESCE(MAX(version), 0) + 1 AS n FROM flow_versions WHERE flow_id = ?').get(flowId) as {
    n: number
  }
  cached(
    store.sqlite,
    'INSERT INTO flow_versions (flow_id, version, name, source, hash, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(flowId, next.n, f.name, f.source, f.hash, f.by, at)
}

export function insertFlow(store: Store, f: FlowSave): FlowRecord {
  const id = newId('flw')
  transaction(store, () => {
    const now = nowIso()
    cached(store.sqlite, 'INSERT INTO flows (id, name, source, hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      id,
      f.name,
      f.source,
      f.hash,
      now,
      now,
    )
    addVersion(store, id, f, now)
  })
  return getFlow(store, id)!
}

/** Replaces a flow's text (and name); a new version unless nothing changed. */
export function updateFlow(store: Store, id: string, f: FlowSave): FlowRecord {
  transaction(store, () => {
    const cur = getFlow(store, id)
    if (!cur || (cur.hash === f.hash && cur.name === f.name)) return
    const now = nowIso()
    cached(store.sqlite, 'UPDATE flows SET name = ?, source = ?, hash = ?, updated_at = ? WHERE id = ?').run(f.name, f.source, f.hash, now, id)
    addVersion(store, id, f, now)
  })
  return getFlow(store, id)!
}

/** Registers a flow by name; registering the same name again replaces its source (a new version). */
export function upsertFlow(store: Store, f: FlowSave): FlowRecord {
  const existing = getFlowByName(store, f.name)
  return existing ? updateFlow(store, existing.id, f) : insertFlow(store, f)
}

export function getFlow(store: Store, idOrName: string): FlowRecord | null {
  const r = cached(store.sqlite, `${SELECT} WHERE f.id = ? OR f.name = ?`).get(idOrName, idOrName) as Row | undefined
  return r ? toFlow(r) : null
}

export function getFlowByName(store: Store, name: string): FlowRecord | null {
  const r = cached(store.sqlite, `${SELECT} WHERE f.name = ?`).get(name) as Row | undefined
  return r ? toFlow(r) : null
}

export function listFlows(store: Store): FlowRecord[] {
  return (cached(store.sqlite, `${SELECT} ORDER BY f.name`).all() as Row[]).map(toFlow)
}

interface VersionRow {
  flow_id: string
  version: number
  name: string
  source: string
  hash: string
  created_by: string
  created_at: string
}

/** Every version of a flow, newest first. */
export function listFlowVersions(store: Store, flowId: string): FlowVersion[] {
  const rows = cached(store.sqlite, 'SELECT * FROM flow_versions WHERE flow_id = ? ORDER BY version DESC').all(flowId) as VersionRow[]
  return rows.map((r) => ({
    flowId: r.flow_id,
    version: r.version,
    name: r.name,
    source: r.source,
    hash: r.hash,
    createdBy: r.created_by,
    createdAt: r.created_at,
  }))
}
