// Standing approvals: stored, matched by their flattened terms, used, listed and revoked.
// Matching and using happen in one statement inside the caller's transaction, so a revocation
// committed before it is always seen (see RunService.reuseStanding).
import { termsText, type ApprovalTerms, type StandingApproval } from '../../../shared/terms'
import { nowIso } from '../ids'
import { cached, type Store } from './db'

interface Row {
  id: string
  run_id: string
  scope: string
  reason: string
  terms: string
  terms_text: string
  created_by: string
  created_at: string
  expires_at: string
  revoked_at: string | null
  revoked_by: string | null
  last_used_at: string | null
  uses: number
}

const toStanding = (r: Row, now = nowIso()): StandingApproval => ({
  id: r.id,
  runId: r.run_id,
  scope: r.scope,
  reason: r.reason,
  terms: JSON.parse(r.terms) as ApprovalTerms,
  createdBy: r.created_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  revokedBy: r.revoked_by,
  lastUsedAt: r.last_used_at,
  uses: r.uses,
  state: r.revoked_at ? 'revoked' : r.expires_at <= now ? 'expired' : 'active',
})

export function insertStanding(
  store: Store,
  s: { id: string; runId: string; scope: string; reason: string; terms: ApprovalTerms; createdBy: string; expiresAt: string },
): StandingApproval {
  cached(
    store.sqlite,
    `INSERT INTO standing_approvals (id, run_id, scope, reason, terms, terms_text, created_by, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(s.id, s.runId, s.scope, s.reason, JSON.stringify(s.terms), termsText(s.terms), s.createdBy, nowIso(), s.expiresAt)
  return getStanding(store, s.id)!
}

export function getStanding(store: Store, id: string): StandingApproval | null {
  const r = cached(store.sqlite, 'SELECT * FROM standing_approvals WHERE id = ?').get(id) as Row | undefined
  return r ? toStanding(r) : null
}

export function listStanding(store: Store): StandingApproval[] {
  const rows = cached(
    store.sqlite,
    'SELECT * FROM standing_approvals ORDER BY created_at DESC, id DESC LIMIT 1000',
  ).all() as Row[]
  const now = nowIso()
  return rows.map((r) => toStanding(r, now))
}

/**
 * Uses the newest live standing approval with exactly these terms: counts the use and returns
 * it, or null when none is live (never made, expired, revoked). Call inside a transaction.
 */
export function useStanding(store: Store, terms: ApprovalTerms, now = nowIso()): StandingApproval | null {
  const r = cached(
    store.sqlite,
    `SELECT * FROM standing_approvals WHERE terms_text = ? AND revoked_at IS NULL AND expires_at > ?
       ORDER BY created_at DESC, id DESC LIMIT 1`,
  ).get(termsText(terms), now) as Row | undefined
  if (!r) return null
  const used = cached(
    store.sqlite,
    'UPDATE standing_approvals SET uses = uses + 1, last_used_at = ? WHERE id = ? AND revoked_at IS NULL AND expires_at > ?',
  ).run(now, r.id, now)
  return used.changes === 1 ? getStanding(store, r.id) : null
}

/** The newest live standing approval in a scope and point: what a changed-terms approval is compared with. */
export function latestInScope(store: Store, scope: string, point: string, now = nowIso()): StandingApproval | null {
  const rows = cached(
    store.sqlite,
    `SELECT * FROM standing_approvals WHERE scope = ? AND revoked_at IS NULL AND expires_at > ?
       ORDER BY created_at DESC, id DESC LIMIT 50`,
  ).all(scope, now) as Row[]
  const same = rows.map((r) => toStanding(r, now)).find((s) => s.terms.point === point)
  return same ?? null
}

/** Revokes once: false when it was already revoked (or does not exist). */
export function revokeStanding(store: Store, id: string, by: string): boolean {
  return (
    cached(
      store.sqlite,
      'UPDATE standing_approvals SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL',
    ).run(nowIso(), by, id).changes === 1
  )
}
