// Tracks as the API shows them: full tracks (steps, checkpoints, blockers, the newest runs of
// each step, derived state and linked counts) and the Execution view's summary over all of
// them. Reads only; tracks.ts writes.
import { sql } from 'drizzle-orm'
import type {
  Blocker,
  Checkpoint,
  RunResolutionHow,
  RunStatus,
  Step,
  StepRunLink,
  Summary,
  Track,
  TrackRecord,
  TrackState,
} from '../../../shared/domain'
import {
  EMPTY_FACTS,
  nextCheckpointOf,
  offersMarkDone,
  runBlocks,
  progressOf,
  stateOf,
  summaryFromCounts,
  waitingOnOf,
  type TrackFacts,
} from '../domain/track-rules'
import { cached, type Store } from './db'
import * as t from './schema'

const FACT_COLUMNS = `id, core_total AS coreTotal, core_done AS coreDone, blocked_steps AS blockedSteps,
  checkpoints_total AS checkpointsTotal, checkpoints_passed AS checkpointsPassed, failed_checkpoints AS failedCheckpoints,
  waiting_checkpoints AS waitingCheckpoints, open_blockers AS openBlockers, unresolved_failed_runs AS unresolvedFailedRuns,
  waiting_mfa_runs AS waitingMfaRuns, waiting_approval_runs AS waitingApprovalRuns, waiting_login AS waitingLogin`

/**
 * Per-track facts, read from the counters that triggers keep on each track row (migration
 * 0001), so the summary of 10,000 tracks is one table scan.
 */
export function trackFacts(store: Store, ids?: string[]): Map<string, TrackFacts> {
  const rows = (
    ids
      ? cached(store.sqlite, `SELECT ${FACT_COLUMNS} FROM tracks WHERE id IN (SELECT value FROM json_each(?))`).all(
          JSON.stringify(ids),
        )
      : cached(store.sqlite, `SELECT ${FACT_COLUMNS} FROM tracks`).all()
  ) as ({ id: string } & TrackFacts)[]
  const facts = new Map<string, TrackFacts>()
  for (const { id, ...f } of rows) facts.set(id, f)
  return facts
}

interface LinkCounts {
  approvals: number
  alerts: number
  browserRuns: number
  runRecords: number
}

function linkCounts(store: Store, ids: string[]): Map<string, LinkCounts> {
  const out = new Map<string, LinkCounts>()
  for (const id of ids) out.set(id, { approvals: 0, alerts: 0, browserRuns: 0, runRecords: 0 })
  const arg = JSON.stringify(ids)
  const q = (s: string) => cached(store.sqlite, s).all(arg) as { id: string; n: number; b?: number }[]
  for (const r of q(
    `SELECT track_id AS id, count(*) AS n, sum(kind = 'browser') AS b FROM runs
     WHERE track_id IN (SELECT value FROM json_each(?)) GROUP BY track_id`,
  )) {
    const c = out.get(r.id)
    if (c) Object.assign(c, { runRecords: r.n, browserRuns: r.b ?? 0 })
  }
  for (const r of q(
    `SELECT track_id AS id, count(*) AS n FROM approvals
     WHERE status = 'pending' AND track_id IN (SELECT value FROM json_each(?)) GROUP BY track_id`,
  )) {
    const c = out.get(r.id)
    if (c) c.approvals = r.n
  }
  for (const r of q(
    `SELECT track_id AS id, count(*) AS n FROM alerts
     WHERE acked_at IS NULL AND track_id IN (SELECT value FROM json_each(?)) GROUP BY track_id`,
  )) {
    const c = out.get(r.id)
    if (c) c.alerts = r.n
  }
  return out
}

/** How many of a step's runs the track carries (newest first); the Runs view lists them all. */
export const STEP_RUNS_SHOWN = 5

interface StepRunRow {
  id: string
  stepId: string
  status: RunStatus
  title: string
  attempt: number
  createdAt: string
  endedAt: string | null
  resolvedAt: string | null
  resolution: RunResolutionHow | null
  resolvedBy: string | null
  resolutionNote: string | null
  resolvedByRun: string | null
}

/** The newest runs of every step of these tracks, by step id. */
function stepRuns(store: Store, ids: string[]): Map<string, StepRunRow[]> {
  const rows = cached(
    store.sqlite,
    `SELECT id, step_id AS stepId, status, coalesce(flow_name, command, id) AS title, attempt, created_at AS createdAt,
       ended_at AS endedAt, resolved_at AS resolvedAt, resolution, resolved_by AS resolvedBy,
       resolution_note AS resolutionNote, resolved_by_run AS resolvedByRun
     FROM (SELECT id, step_id, status, flow_name, command, attempt, created_at, ended_at, resolved_at, resolution,
         resolved_by, resolution_note, resolved_by_run,
         row_number() OVER (PARTITION BY step_id ORDER BY created_at DESC, id DESC) AS n FROM runs
       WHERE track_id IN (SELECT value FROM json_each(?)) AND step_id IS NOT NULL)
     WHERE n <= ${STEP_RUNS_SHOWN} ORDER BY created_at DESC, id DESC`,
  ).all(JSON.stringify(ids)) as StepRunRow[]
  const out = new Map<string, StepRunRow[]>()
  for (const r of rows) {
    const list = out.get(r.stepId)
    if (list) list.push(r)
    else out.set(r.stepId, [r])
  }
  return out
}

function toStepRunLink(r: StepRunRow, step: Step): StepRunLink {
  return {
    id: r.id,
    status: r.status,
    title: r.title,
    attempt: r.attempt,
    createdAt: r.createdAt,
    endedAt: r.endedAt,
    resolution: r.resolvedAt
      ? {
          how: r.resolution ?? 'retried',
          by: r.resolvedBy ?? 'system',
          at: r.resolvedAt,
          note: r.resolutionNote,
          runId: r.resolvedByRun,
        }
      : null,
    blocking: runBlocks(r),
    offersMarkDone: offersMarkDone(r, step),
  }
}

/** Full tracks (children, derived state, linked context) for the given records, in order. */
function assemble(store: Store, records: TrackRecord[]): Track[] {
  if (records.length === 0) return []
  const ids = records.map((r) => r.id)
  const byTrack = <T extends { trackId: string }>(rows: T[]) => {
    const m = new Map<string, T[]>()
    for (const r of rows) {
      const list = m.get(r.trackId)
      if (list) list.push(r)
      else m.set(r.trackId, [r])
    }
    return m
  }
  const arg = JSON.stringify(ids)
  const rows = <T>(sql: string) => cached(store.sqlite, sql).all(arg) as T[]
  const bool = <T extends object>(r: T, keys: (keyof T)[]) => {
    for (const k of keys) (r as Record<string, unknown>)[k as string] = Boolean(r[k])
    return r
  }
  const steps = byTrack(
    rows<Step>(`SELECT id, track_id AS trackId, ordinal, title, state, owner, note, core FROM steps
      WHERE track_id IN (SELECT value FROM json_each(?)) ORDER BY ordinal, id`).map((r) => bool(r, ['core'])),
  )
  const cps = byTrack(
    rows<Checkpoint>(`SELECT id, track_id AS trackId, ordinal, title, kind, state, owner, note, run_id AS runId,
      approval_id AS approvalId FROM checkpoints WHERE track_id IN (SELECT value FROM json_each(?)) ORDER BY ordinal, id`),
  )
  const bls = byTrack(
    rows<Blocker>(`SELECT id, track_id AS trackId, title, note, owner, open, created_at AS createdAt, resolved_at AS resolvedAt
      FROM blockers WHERE track_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, id`).map((r) =>
      bool(r, ['open']),
    ),
  )
  const facts = trackFacts(store, ids)
  const links = linkCounts(store, ids)
  const runsByStep = stepRuns(store, ids)
  return records.map((rec) => {
    const f = facts.get(rec.id) ?? EMPTY_FACTS
    const checkpoints = cps.get(rec.id) ?? []
    const next = nextCheckpointOf(checkpoints)
    return {
      ...rec,
      waitingOn: waitingOnOf(f, rec.waitingOn),
      steps: (steps.get(rec.id) ?? []).map((s) => ({
        ...s,
        runs: (runsByStep.get(s.id) ?? []).map((r) => toStepRunLink(r, s)),
      })),
      checkpoints,
      blockers: bls.get(rec.id) ?? [],
      progress: progressOf(f),
      coreDone: f.coreDone,
      coreTotal: f.coreTotal,
      state: stateOf(f),
      linked: {
        ...(links.get(rec.id) ?? { approvals: 0, alerts: 0, browserRuns: 0, runRecords: 0 }),
        nextCheckpoint: next ? { id: next.id, title: next.title, kind: next.kind, state: next.state } : null,
      },
    }
  })
}

export function listTracks(store: Store, opts: { state?: TrackState; limit?: number; offset?: number } = {}): Track[] {
  const offset = opts.offset ?? 0
  const limit = opts.limit ?? -1
  if (!opts.state) {
    const page = cached(
      store.sqlite,
      `SELECT ${RECORD_COLUMNS} FROM tracks ORDER BY created_at, id LIMIT ? OFFSET ?`,
    ).all(limit, offset) as TrackRecord[]
    return assemble(store, page)
  }
  // The state is derived, so filter on the counters first and load only the page.
  const ids: string[] = []
  for (const [id, f] of trackFacts(store)) if (stateOf(f) === opts.state) ids.push(id)
  const order = cached(
    store.sqlite,
    `SELECT ${RECORD_COLUMNS} FROM tracks WHERE id IN (SELECT value FROM json_each(?)) ORDER BY created_at, id LIMIT ? OFFSET ?`,
  ).all(JSON.stringify(ids), limit, offset) as TrackRecord[]
  return assemble(store, order)
}

const RECORD_COLUMNS = `id, title, objective, owner, due, next_action AS nextAction, waiting_on AS waitingOn,
  created_at AS createdAt, updated_at AS updatedAt`

export function getTrack(store: Store, id: string): Track | null {
  const rec = cached(store.sqlite, `SELECT ${RECORD_COLUMNS} FROM tracks WHERE id = ?`).get(id) as
    TrackRecord | undefined
  return rec ? (assemble(store, [rec])[0] ?? null) : null
}

export function countTracks(store: Store): number {
  return (
    store.db
      .select({ n: sql<number>`count(*)` })
      .from(t.tracks)
      .get()?.n ?? 0
  )
}

/**
 * stateOf() and progressOf() of track-rules.ts, written set-wise over the trigger-kept
 * counters: converting 10,000 rows to JavaScript costs more than the 20 ms the summary may
 * take, so SQL aggregates them. store.test.ts checks it against the rules on random counters.
 */
const SUMMARY_SQL = `SELECT
    coalesce(sum(st = 'active'), 0), coalesce(sum(st = 'waiting'), 0), coalesce(sum(st = 'blocked'), 0),
    coalesce(sum(st = 'done'), 0), count(*), coalesce(sum(prog), 0)
  FROM (SELECT
    CASE
      WHEN blocked_steps > 0 OR failed_checkpoints > 0 OR open_blockers > 0 OR unresolved_failed_runs > 0 THEN 'blocked'
      WHEN waiting_mfa_runs > 0 OR waiting_approval_runs > 0 OR waiting_checkpoints > 0 OR waiting_login IS NOT NULL THEN 'waiting'
      WHEN core_total > 0 AND core_done = core_total AND checkpoints_passed = checkpoints_total THEN 'done'
      ELSE 'active'
    END AS st,
    CASE WHEN core_total = 0 THEN 0.0 ELSE CAST(core_done AS REAL) / core_total END AS prog
  FROM tracks)`

/** The Execution view's tiles over every track. */
export function summaryOfAll(store: Store): Summary {
  const [active, waiting, blocked, done, total, progress] = cached(store.sqlite, SUMMARY_SQL, 'raw').get() as number[]
  return summaryFromCounts({ active: active!, waiting: waiting!, blocked: blocked!, done: done! }, progress!, total!)
}
