// The read-only rows flow health and failure patterns are computed from (analytics/ does the sums).
import { cached, type Store } from './db'

export interface AnalyticsRun {
  id: string
  /** The flow's name, or "(command)" for a command run saved without one. */
  flow: string
  status: string
  attempt: number
  startedAt: string | null
  endedAt: string | null
}

/** Browser runs and any run of a named flow. */
export function analyticsRuns(store: Store): AnalyticsRun[] {
  return cached(
    store.sqlite,
    `SELECT id, coalesce(flow_name, '(command)') AS flow, status, attempt, started_at AS startedAt, ended_at AS endedAt
     FROM runs WHERE kind = 'browser' OR flow_name IS NOT NULL`,
  ).all() as AnalyticsRun[]
}

/** How many times each run met an MFA prompt (runs that met none are absent). */
export function mfaPromptsByRun(store: Store): Map<string, number> {
  const rows = cached(store.sqlite, "SELECT run_id AS runId, count(*) AS n FROM run_events WHERE type = 'mfa.detected' GROUP BY run_id").all() as {
    runId: string
    n: number
  }[]
  return new Map(rows.map((r) => [r.runId, r.n]))
}

export interface WaitTransition {
  runId: string
  ts: string
  /** The status left (null on a run's first status event) and the one entered. */
  from: string | null
  to: string
}

/** The run.status events entering or leaving waiting-mfa, by run and in order. */
export function waitingMfaTransitions(store: Store): WaitTransition[] {
  return cached(
    store.sqlite,
    `SELECT run_id AS runId, ts, json_extract(data, '$.from') AS "from", json_extract(data, '$.to') AS "to" FROM run_events
     WHERE type = 'run.status' AND (json_extract(data, '$.to') = 'waiting-mfa' OR json_extract(data, '$.from') = 'waiting-mfa')
     ORDER BY run_id, seq`,
  ).all() as WaitTransition[]
}

/** Failed runs with an error, newest first; `at` is when they ended (or were made). */
export function failedRunErrors(store: Store): { id: string; error: string; at: string }[] {
  return cached(
    store.sqlite,
    "SELECT id, error, coalesce(ended_at, created_at) AS at FROM runs WHERE status = 'failed' AND error IS NOT NULL ORDER BY at DESC",
  ).all() as { id: string; error: string; at: string }[]
}
