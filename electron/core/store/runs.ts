// Run repository. Status changes go through transition(), which refuses illegal moves.
import {
  canTransition,
  RUN_RESOLUTIONS,
  TERMINAL_RUN_STATUSES,
  WAITING_RUN_STATUSES,
  type RunResolution,
  type RunResolutionHow,
  type OnFailure,
  type PolicyResult,
  type Run,
  type RunKind,
  type RunPhase,
  type RunStatus,
} from '../../../shared/domain'
import { conflict } from '../errors'
import { newId, nowIso } from '../ids'
import { cached, type Store } from './db'

interface Row {
  id: string
  kind: RunKind
  status: RunStatus
  phase: RunPhase
  attempt: number
  retry_of: string | null
  track_id: string | null
  step_id: string | null
  flow_id: string | null
  flow_name: string | null
  flow_source: string | null
  flow_hash: string | null
  command: string | null
  cwd: string | null
  params: string
  policy_verdict: string | null
  policy_risk: string | null
  policy_reasons: string | null
  progress_current: number
  progress_total: number
  progress_label: string | null
  created_at: string
  started_at: string | null
  ended_at: string | null
  error: string | null
  outputs: string
  exit_code: number | null
  resolved_at: string | null
  started_by: string | null
  on_failure: string | null
  profile: string | null
  resolution: string | null
  resolved_by: string | null
  resolution_note: string | null
  resolved_by_run: string | null
  /** From the joins of RUN_SELECT (absent in plain `SELECT *`). */
  track_title?: string | null
  step_title?: string | null
}

/** A run with its track's and step's titles, for lists and the run page. */
const RUN_SELECT = `SELECT runs.*, tracks.title AS track_title, steps.title AS step_title FROM runs
  LEFT JOIN tracks ON tracks.id = runs.track_id LEFT JOIN steps ON steps.id = runs.step_id`

function resolutionOf(r: Row): RunResolution | null {
  if (!r.resolved_at) return null
  const how = (RUN_RESOLUTIONS as readonly string[]).includes(r.resolution ?? '') ? (r.resolution as RunResolutionHow) : 'retried'
  return { how, by: r.resolved_by ?? 'system', at: r.resolved_at, note: r.resolution_note, runId: r.resolved_by_run }
}

export function toRun(r: Row): Run {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    phase: r.phase,
    attempt: r.attempt,
    retryOf: r.retry_of,
    trackId: r.track_id,
    stepId: r.step_id,
    flowId: r.flow_id,
    flowName: r.flow_name,
    flowSource: r.flow_source,
    flowHash: r.flow_hash,
    command: r.command,
    params: JSON.parse(r.params) as Record<string, string>,
    policy: r.policy_verdict
      ? ({
          verdict: r.policy_verdict,
          risk: r.policy_risk,
          reasons: JSON.parse(r.policy_reasons ?? '[]'),
        } as PolicyResult)
      : null,
    progress: { current: r.progress_current, total: r.progress_total, label: r.progress_label },
    createdAt: r.created_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    error: r.error,
    outputs: JSON.parse(r.outputs) as Record<string, unknown>,
    exitCode: r.exit_code,
    startedBy: r.started_by ?? 'system',
    onFailure: r.on_failure === 'assist' ? 'assist' : 'fail',
    resolution: resolutionOf(r),
    trackTitle: r.track_title ?? null,
    stepTitle: r.step_title ?? null,
    profile: r.profile ?? null,
  }
}

export interface NewRun {
  kind: RunKind
  trackId?: string | null
  stepId?: string | null
  flowId?: string | null
  flowName?: string | null
  flowSource?: string | null
  flowHash?: string | null
  command?: string | null
  cwd?: string | null
  params?: Record<string, string>
  attempt?: number
  retryOf?: string | null
  progressTotal?: number
  /** Who started it: a token's name, the desktop user, or `system` (the default). */
  startedBy?: string
  onFailure?: OnFailure
  profile?: string | null
}

export function insertRun(store: Store, r: NewRun): Run {
  const id = newId('run')
  cached(
    store.sqlite,
    `INSERT INTO runs (id, kind, status, phase, attempt, retry_of, track_id, step_id, flow_id, flow_name, flow_source,
        flow_hash, command, cwd, params, progress_total, created_at, outputs, started_by, on_failure, profile)
       VALUES (?, ?, 'queued', 'planning', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?)`,
  ).run(
    id,
    r.kind,
    r.attempt ?? 1,
    r.retryOf ?? null,
    r.trackId ?? null,
    r.stepId ?? null,
    r.flowId ?? null,
    r.flowName ?? null,
    r.flowSource ?? null,
    r.flowHash ?? null,
    r.command ?? null,
    r.cwd ?? null,
    JSON.stringify(r.params ?? {}),
    r.progressTotal ?? 0,
    nowIso(),
    r.startedBy ?? 'system',
    r.onFailure ?? 'fail',
    r.profile ?? null,
  )
  return getRun(store, id)!
}

export function getRun(store: Store, id: string): Run | null {
  const r = cached(store.sqlite, `${RUN_SELECT} WHERE runs.id = ?`).get(id) as Row | undefined
  return r ? toRun(r) : null
}

export function getRunCwd(store: Store, id: string): string | null {
  return (
    (cached(store.sqlite, 'SELECT cwd FROM runs WHERE id = ?').get(id) as { cwd: string | null } | undefined)?.cwd ??
    null
  )
}

export interface RunFilter {
  status?: RunStatus
  trackId?: string
  flowId?: string
  /** Words found in the flow name, command, run id, error or who started it. */
  q?: string
  /** Created on or after this instant (a day means its start, UTC). */
  from?: string
  /** Created before the end of this day (UTC), or before this instant. */
  to?: string
  limit?: number
  offset?: number
}

/** `to` as an exclusive upper bound: a bare day includes the whole day. */
export function endOf(to: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(to)) return new Date(to).toISOString()
  const d = new Date(`${to}T00:00:00.000Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString()
}
const startOf = (from: string) => new Date(/^\d{4}-\d{2}-\d{2}$/.test(from) ? `${from}T00:00:00.000Z` : from).toISOString()
/** What the text filter looks in. */
const SEARCHED = ['runs.flow_name', 'runs.command', 'runs.id', 'runs.error', 'runs.started_by']
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`)

/** Every filter given narrows the list (they combine with AND); newest first. */
export function listRuns(store: Store, f: RunFilter = {}): { items: Run[]; total: number } {
  const where: string[] = []
  const args: unknown[] = []
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause)
    args.push(...values)
  }
  if (f.status) add('runs.status = ?', f.status)
  if (f.trackId) add('runs.track_id = ?', f.trackId)
  if (f.flowId) add('(runs.flow_id = ? OR runs.flow_name = ?)', f.flowId, f.flowId)
  if (f.from) add('runs.created_at >= ?', startOf(f.from))
  if (f.to) add('runs.created_at < ?', endOf(f.to))
  for (const word of (f.q ?? '').trim().split(/\s+/).filter(Boolean)) {
    const like = `%${likeEscape(word)}%`
    add(`(${SEARCHED.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`, ...SEARCHED.map(() => like))
  }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : ''
  const total = (cached(store.sqlite, `SELECT count(*) AS n FROM runs ${w}`).get(...args) as { n: number }).n
  const rows = cached(store.sqlite, `${RUN_SELECT} ${w} ORDER BY runs.created_at DESC, runs.id DESC LIMIT ? OFFSET ?`).all(
    ...args,
    f.limit ?? 200,
    f.offset ?? 0,
  ) as Row[]
  return { items: rows.map(toRun), total }
}

export interface RunPatch {
  phase?: RunPhase
  error?: string | null
  exitCode?: number | null
  progress?: { current: number; total?: number; label?: string | null }
  outputs?: Record<string, unknown>
  policy?: PolicyResult
  startedAt?: string
  endedAt?: string
  resolvedAt?: string | null
  /** Entering a waiting status: since when, and when the wait times out; null clears both. */
  wait?: RunWait | null
  /** The run's process started (its identity) or ended (null). */
  process?: RunProcess | null
}

export interface RunWait {
  since: string
  deadlineAt: string | null
}

/** Records how a blocking run was resolved; false when it was not blocking (or already resolved). */
export function resolveRun(
  store: Store,
  id: string,
  r: { how: RunResolutionHow; by: string; note?: string | null; runId?: string | null },
): boolean {
  const res = cached(
    store.sqlite,
    `UPDATE runs SET resolved_at = ?, resolution = ?, resolved_by = ?, resolution_note = ?, resolved_by_run = ?
      WHERE id = ? AND status IN ('failed', 'blocked') AND resolved_at IS NULL`,
  ).run(nowIso(), r.how, r.by, r.note ?? null, r.runId ?? null, id)
  return res.changes > 0
}

/** Failed or blocked runs of this step nobody resolved yet, oldest first. */
export function blockingRunsOfStep(store: Store, stepId: string): string[] {
  return (
    cached(
      store.sqlite,
      "SELECT id FROM runs WHERE step_id = ? AND status IN ('failed', 'blocked') AND resolved_at IS NULL ORDER BY created_at, id",
    ).all(stepId) as { id: string }[]
  ).map((r) => r.id)
}

export function patchRun(store: Store, id: string, p: RunPatch): void {
  const sets: string[] = []
  const args: unknown[] = []
  const set = (col: string, v: unknown) => {
    sets.push(`${col} = ?`)
    args.push(v)
  }
  if (p.phase !== undefined) set('phase', p.phase)
  if (p.error !== undefined) set('error', p.error)
  if (p.exitCode !== undefined) set('exit_code', p.exitCode)
  if (p.progress) {
    set('progress_current', p.progress.current)
    if (p.progress.total !== undefined) set('progress_total', p.progress.total)
    if (p.progress.label !== undefined) set('progress_label', p.progress.label)
  }
  if (p.outputs !== undefined) set('outputs', JSON.stringify(p.outputs))
  if (p.policy) {
    set('policy_verdict', p.policy.verdict)
    set('policy_risk', p.policy.risk)
    set('policy_reasons', JSON.stringify(p.policy.reasons))
  }
  if (p.startedAt !== undefined) set('started_at', p.startedAt)
  if (p.endedAt !== undefined) set('ended_at', p.endedAt)
  if (p.resolvedAt !== undefined) set('resolved_at', p.resolvedAt)
  if (p.wait !== undefined) {
    set('wait_started_at', p.wait?.since ?? null)
    set('wait_deadline_at', p.wait?.deadlineAt ?? null)
  }
  if (p.process !== undefined) {
    set('pid', p.process?.pid ?? null)
    set('pid_start_time', p.process?.startTime ?? null)
    set('pid_boot_id', p.process?.bootId ?? null)
  }
  if (sets.length === 0) return
  cached(store.sqlite, `UPDATE runs SET ${sets.join(', ')} WHERE id = ?`).run(...args, id)
}

/**
 * Moves a run to a new status if the move is legal from the status it has *now* in the
 * database (compare-and-set), so two processes cannot both finish the same run.
 */
export function transition(
  store: Store,
  id: string,
  to: RunStatus,
  extra: RunPatch = {},
): { from: RunStatus; run: Run } {
  const row = cached(store.sqlite, 'SELECT status FROM runs WHERE id = ?').get(id) as { status: RunStatus } | undefined
  if (!row) throw conflict(`Run ${id} does not exist`)
  if (!canTransition(row.status, to)) throw conflict(`Run ${id} is ${row.status}; it cannot become ${to}`)
  const res = cached(store.sqlite, 'UPDATE runs SET status = ? WHERE id = ? AND status = ?').run(to, id, row.status)
  if (res.changes === 0) throw conflict(`Run ${id} changed while it was being updated; try again`)
  const terminal = TERMINAL_RUN_STATUSES.includes(to)
  // The wait columns describe the wait the run is in now: a new wait starts them afresh,
  // leaving one clears them. A run that ended has no process of its own left to end.
  const wait = WAITING_RUN_STATUSES.includes(to) ? (extra.wait ?? { since: nowIso(), deadlineAt: null }) : null
  patchRun(store, id, { ...(terminal && !extra.endedAt ? { endedAt: nowIso() } : {}), ...(terminal ? { process: null } : {}), ...extra, wait })
  return { from: row.status, run: getRun(store, id)! }
}

export function claimRun(store: Store, id: string, owner: string): void {
  cached(store.sqlite, 'UPDATE runs SET owner = ?, heartbeat_at = ? WHERE id = ?').run(owner, nowIso(), id)
}

export function heartbeat(store: Store, owner: string): void {
  cached(
    store.sqlite,
    "UPDATE runs SET heartbeat_at = ? WHERE owner = ? AND status IN ('running','waiting-mfa','waiting-approval','waiting-assist')",
  ).run(nowIso(), owner)
}

/** Runs left mid-flight, with who was driving them and when that process last said so. */
export function unfinishedRuns(
  store: Store,
): { id: string; status: RunStatus; owner: string | null; heartbeatAt: string | null }[] {
  return cached(
    store.sqlite,
    "SELECT id, status, owner, heartbeat_at AS heartbeatAt FROM runs WHERE status IN ('running','waiting-mfa','waiting-approval','waiting-assist')",
  ).all() as { id: string; status: RunStatus; owner: string | null; heartbeatAt: string | null }[]
}

export function queuedRuns(store: Store): string[] {
  return (
    cached(store.sqlite, "SELECT id FROM runs WHERE status = 'queued' ORDER BY created_at, id").all() as {
      id: string
    }[]
  ).map((r) => r.id)
}

/** The wait a waiting run is in (since, deadline); null when it does not wait. */
export function runWait(store: Store, id: string): RunWait | null {
  const r = cached(store.sqlite, 'SELECT wait_started_at AS since, wait_deadline_at AS deadlineAt FROM runs WHERE id = ?').get(id) as
    | { since: string | null; deadlineAt: string | null }
    | undefined
  return r?.since ? { since: r.since, deadlineAt: r.deadlineAt } : null
}

/** The process group a command run started: pid plus what proves it is still that process. */
export interface RunProcess {
  pid: number
  startTime: string | null
  bootId: string | null
}

export function runProcess(store: Store, id: string): RunProcess | null {
  const r = cached(store.sqlite, 'SELECT pid, pid_start_time AS startTime, pid_boot_id AS bootId FROM runs WHERE id = ?').get(id) as
    | { pid: number | null; startTime: string | null; bootId: string | null }
    | undefined
  return r?.pid ? { pid: r.pid, startTime: r.startTime, bootId: r.bootId } : null
}
