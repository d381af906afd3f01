import type { Alert, AlertKind, Approval, ApprovalContext } from '../../../shared/domain'
import { newId, nowIso } from '../ids'
import type { Store } from './db'

interface AlertRow {
  id: string
  kind: AlertKind
  run_id: string | null
  track_id: string | null
  message: string
  created_at: string
  acked_at: string | null
}
const toAlert = (r: AlertRow): Alert => ({
  id: r.id,
  kind: r.kind,
  runId: r.run_id,
  trackId: r.track_id,
  message: r.message,
  createdAt: r.created_at,
  ackedAt: r.acked_at,
})

export function insertAlert(store: Store, a: { kind: AlertKind; runId?: string | null; trackId?: string | null; message: string }): Alert {
  const id = newId('alr')
  store.sqlite
    .prepare('INSERT INTO alerts (id, kind, run_id, track_id, message, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(id, a.kind, a.runId ?? null, a.trackId ?? null, a.message, nowIso())
  return getAlert(store, id)!
}

export function getAlert(store: Store, id: string): Alert | null {
  const r = store.sqlite.prepare('SELECT * FROM alerts WHERE id = ?').get(id) as AlertRow | undefined
  return r ? toAlert(r) : null
}

export function listAlerts(store: Store, open?: boolean): Alert[] {
  const w = open === undefined ? '' : open ? 'WHERE acked_at IS NULL' : 'WHERE acked_at IS NOT NULL'
  return (store.sqlite.prepare(`SELECT * FROM alerts ${w} ORDER BY created_at DESC, id DESC LIMIT 1000`).all() as AlertRow[]).map(toAlert)
}

export function ackAlert(store: Store, id: string): Alert | null {
  store.sqlite.prepare('UPDATE alerts SET acked_at = coalesce(acked_at, ?) WHERE id = ?').run(nowIso(), id)
  return getAlert(store, id)
}

/** Alerts about a run that stopped waiting are acknowledged by the system, not left to rot. */
export function ackRunAlerts(store: Store, runId: string, kinds: AlertKind[]): string[] {
  const rows = store.sqlite
    .prepare(`SELECT id FROM alerts WHERE run_id = ? AND acked_at IS NULL AND kind IN (SELECT value FROM json_each(?))`)
    .all(runId, JSON.stringify(kinds)) as { id: string }[]
  for (const r of rows) ackAlert(store, r.id)
  return rows.map((r) => r.id)
}

interface ApprovalRow {
  id: string
  run_id: string
  track_id: string | null
  reason: string
  status: Approval['status']
  requested_at: string
  decided_at: string | null
  decided_by: string | null
  note: string | null
  context: string | null
  deadline_at: string | null
}

/** Approvals stored before context existed still answer with the shape the UI expects. */
const EMPTY_CONTEXT: ApprovalContext = {
  kind: null,
  flowName: null,
  flowHash: null,
  command: null,
  track: null,
  step: null,
  flowStep: null,
  params: {},
  origins: [],
  policyReasons: [],
  evidence: [],
  requestedBy: 'system',
  detail: {},
  terms: null,
  termsDiff: null,
}
const toApproval = (r: ApprovalRow): Approval => ({
  id: r.id,
  runId: r.run_id,
  trackId: r.track_id,
  reason: r.reason,
  status: r.status,
  requestedAt: r.requested_at,
  decidedAt: r.decided_at,
  decidedBy: r.decided_by,
  note: r.note,
  context: r.context ? { ...EMPTY_CONTEXT, ...(JSON.parse(r.context) as Partial<ApprovalContext>) } : EMPTY_CONTEXT,
  deadlineAt: r.deadline_at,
})

export function insertApproval(
  store: Store,
  a: { runId: string; trackId: string | null; reason: string; context?: ApprovalContext; deadlineAt?: string | null },
): Approval {
  const id = newId('apr')
  store.sqlite
    .prepare(
      'INSERT INTO approvals (id, run_id, track_id, reason, status, requested_at, context, deadline_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(id, a.runId, a.trackId, a.reason, 'pending', nowIso(), a.context ? JSON.stringify(a.context) : null, a.deadlineAt ?? null)
  return getApproval(store, id)!
}

export function getApproval(store: Store, id: string): Approval | null {
  const r = store.sqlite.prepare('SELECT * FROM approvals WHERE id = ?').get(id) as ApprovalRow | undefined
  return r ? toApproval(r) : null
}

export function pendingApprovalFor(store: Store, runId: string): Approval | null {
  const r = store.sqlite
    .prepare("SELECT * FROM approvals WHERE run_id = ? AND status = 'pending' ORDER BY requested_at DESC LIMIT 1")
    .get(runId) as ApprovalRow | undefined
  return r ? toApproval(r) : null
}

export function listApprovals(store: Store, status?: Approval['status']): Approval[] {
  const rows = status
    ? store.sqlite.prepare('SELECT * FROM approvals WHERE status = ? ORDER BY requested_at DESC LIMIT 1000').all(status)
    : store.sqlite.prepare('SELECT * FROM approvals ORDER BY requested_at DESC LIMIT 1000').all()
  return (rows as ApprovalRow[]).map(toApproval)
}

/** Pending approvals whose deadline is at or before `nowIso`. */
export function overdueApprovals(store: Store, now: string): Approval[] {
  const rows = store.sqlite
    .prepare("SELECT * FROM approvals WHERE status = 'pending' AND deadline_at IS NOT NULL AND deadline_at <= ? ORDER BY deadline_at")
    .all(now) as ApprovalRow[]
  return rows.map(toApproval)
}

/** Decides once: a second or concurrent decision finds the row no longer pending. */
export function decideApproval(
  store: Store,
  id: string,
  d: { status: 'approved' | 'rejected'; by: string; note: string | null },
): boolean {
  return (
    store.sqlite
      .prepare("UPDATE approvals SET status = ?, decided_at = ?, decided_by = ?, note = ? WHERE id = ? AND status = 'pending'")
      .run(d.status, nowIso(), d.by, d.note, id).changes === 1
  )
}
