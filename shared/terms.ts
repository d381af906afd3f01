// Approvals bound to terms (DESIGN.md "Approvals bound to terms"): what an approval agreed
// to, how two sets of terms compare key by key, and how long a standing approval may last.
// Pure, so the core, the renderer and the tests share one definition.

/** What a person agreed to when approving: a later run matching all of it may reuse the decision. */
export interface ApprovalTerms {
  /** The flow's version hash (browser runs); null for a command run. */
  flowHash: string | null
  /** The command text (command runs); null for a browser run. */
  command: string | null
  /** Where a command runs (command runs only). */
  cwd: string | null
  /** The origins the flow may touch; their order does not matter. */
  origins: string[]
  /** The run's parameters; their order does not matter. */
  params: Record<string, string>
  /** The values the `approval` step names in `terms`, after `${params.x}` interpolation. */
  values: Record<string, string>
  /** Where in the run the approval is asked: "start", "approval step at line 12", "navigation to https://…". */
  point: string
}

export type TermChangeKind = 'added' | 'removed' | 'changed'
export interface TermChange {
  /** `flowHash`, `command`, `cwd`, `point`, `origin https://…`, `params.NAME`, `terms.NAME`. */
  key: string
  change: TermChangeKind
  before: string | null
  after: string | null
}
export interface TermsComparison {
  same: boolean
  changes: TermChange[]
}

/** One flat, ordered map of everything the terms say; the unit of comparison and of matching. */
export function flattenTerms(t: Partial<ApprovalTerms>): Map<string, string> {
  const out = new Map<string, string>()
  if (t.flowHash) out.set('flowHash', t.flowHash)
  if (t.command) out.set('command', t.command)
  if (t.cwd) out.set('cwd', t.cwd)
  if (t.point) out.set('point', t.point)
  for (const o of t.origins ?? []) out.set(`origin ${o}`, 'allowed')
  for (const [k, v] of Object.entries(t.params ?? {})) out.set(`params.${k}`, v)
  for (const [k, v] of Object.entries(t.values ?? {})) out.set(`terms.${k}`, v)
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/**
 * Compares what was approved (`before`) with what is asked now (`after`), term by term.
 * Order never matters (params, origins, step terms); a term present on one side only is
 * added or removed, a term with another value is changed.
 */
export function compareTerms(before: Partial<ApprovalTerms>, after: Partial<ApprovalTerms>): TermsComparison {
  const a = flattenTerms(before)
  const b = flattenTerms(after)
  const changes: TermChange[] = []
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))
  for (const key of keys) {
    const was = a.get(key) ?? null
    const now = b.get(key) ?? null
    if (was === now) continue
    changes.push({ key, change: was === null ? 'added' : now === null ? 'removed' : 'changed', before: was, after: now })
  }
  return { same: changes.length === 0, changes }
}

/** The text a standing approval is matched by: equal exactly when compareTerms says same. */
export function termsText(t: Partial<ApprovalTerms>): string {
  return JSON.stringify([...flattenTerms(t).entries()])
}

/** Longest a standing approval may last. */
export const MAX_REMEMBER_DAYS = 90
const DAY_MS = 24 * 3600_000

/**
 * An ISO-8601 duration in weeks, days, hours and minutes (`P7D`, `P2W`, `PT12H`, `P1DT6H`):
 * milliseconds, or an error in words. Years and months are refused (their length varies);
 * the longest allowed is P90D.
 */
export function parseRemember(text: string): { ok: true; ms: number } | { ok: false; message: string } {
  const m = /^P(?:(\d{1,4})W)?(?:(\d{1,4})D)?(?:T(?:(\d{1,5})H)?(?:(\d{1,6})M)?)?$/.exec(text)
  if (!m || text === 'P' || text.endsWith('T')) {
    return { ok: false, message: `"${text}" is not an ISO-8601 duration in days like P7D (weeks W, days D, hours TnH, minutes TnM)` }
  }
  const [, w, d, h, min] = m
  const ms = (Number(w ?? 0) * 7 + Number(d ?? 0)) * DAY_MS + Number(h ?? 0) * 3600_000 + Number(min ?? 0) * 60_000
  if (ms <= 0) return { ok: false, message: `"${text}" is zero; remember for at least a minute` }
  if (ms > MAX_REMEMBER_DAYS * DAY_MS) return { ok: false, message: `"${text}" is longer than the longest allowed, P${MAX_REMEMBER_DAYS}D` }
  return { ok: true, ms }
}

export type StandingState = 'active' | 'expired' | 'revoked'

/** "Approve and remember": a decision later runs with identical terms reuse without asking. */
export interface StandingApproval {
  /** The id of the approval that was decided with `remember` (one approval, one standing approval). */
  id: string
  runId: string
  /** Flow name (browser) or program (command): what a changed-terms approval is compared with. */
  scope: string
  reason: string
  terms: ApprovalTerms
  createdBy: string
  createdAt: string
  expiresAt: string
  revokedAt: string | null
  revokedBy: string | null
  lastUsedAt: string | null
  uses: number
  state: StandingState
}
