// Track repository: plain functions over a Store. Writes are synchronous transactions.
import { eq, sql } from 'drizzle-orm'
import type { z } from 'zod'
import type { BlockerInput, CheckpointInput, StepInput, TrackInput, TrackPatch } from '../../../shared/api'
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
import { newId, nowIso } from '../ids'
import {
  EMPTY_FACTS,
  nextCheckpointOf,
  offersMarkDone,
  runBlocks,
  stepStateOnRunStart,
  progressOf,
  stateOf,
  summaryFromCounts,
  waitingOnOf,
  type TrackFacts,
} from '../domain/track-rules'
import { cached, type Store } from './db'
import * as t from './schema'

type StepIn = z.output<typeof StepInput>
type CheckpointIn = z.output<typeof CheckpointInput>
type BlockerIn = z.output<typeof BlockerInput>

const toStep = (r: typeof t.steps.$inferSelect): Step => ({ ...r })
const toCheckpoint = (r: typeof t.checkpoints.$inferSelect): Checkpoint => ({ ...r })
const toBlocker = (r: typeof t.blockers.$inferSelect): Blocker => ({ ...r })

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
      ? cached(store.sqlite, `SELECT ${FACT_COLUMNS} FROM tracks WHERE id IN (SELECT value FROM json_each(?))`)
          .all(JSON.stringify(ids))
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
      ? { how: r.resolution ?? 'retried', by: r.resolvedBy ?? 'system', at: r.resolvedAt, note: r.resolutionNote, runId: r.resolvedByRun }
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
    const page = cached(store.sqlite, `SELECT ${RECORD_COLUMNS} FROM tracks ORDER BY created_at, id LIMIT ? OFFSET ?`)
      .all(limit, offset) as TrackRecord[]
    return assemble(store, page)
  }
  // The state is derived, so filter on the counters first and load only the page.
  const ids: string[] = []
  for (const [id, f] of trackFacts(store)) if (stateOf(f) === opts.state) ids.push(id)
  const order = cached(store.sqlite, 
      `SELECT ${RECORD_COLUMNS} FROM tracks WHERE id IN (SELECT value FROM json_each(?)) ORDER BY created_at, id LIMIT ? OFFSET ?`,
    )
    .all(JSON.stringify(ids), limit, offset) as TrackRecord[]
  return assemble(store, order)
}

const RECORD_COLUMNS = `id, title, objective, owner, due, next_action AS nextAction, waiting_on AS waitingOn,
  created_at AS createdAt, updated_at AS updatedAt`

export function getTrack(store: Store, id: string): Track | null {
  const rec = cached(store.sqlite, `SELECT ${RECORD_COLUMNS} FROM tracks WHERE id = ?`).get(id) as
    TrackRecord | undefined
  return rec ? (assemble(store, [rec])[0] ?? null) : null
}

function nextOrdinal(store: Store, table: 'steps' | 'checkpoints', trackId: string): number {
  const row = cached(store.sqlite, `SELECT coalesce(max(ordinal), 0) AS m FROM ${table} WHERE track_id = ?`)
    .get(trackId) as { m: number }
  return row.m + 1
}

function insertStep(store: Store, trackId: string, s: StepIn): string {
  const id = newId('stp')
  store.db
    .insert(t.steps)
    .values({
      id,
      trackId,
      ordinal: s.ordinal ?? nextOrdinal(store, 'steps', trackId),
      title: s.title,
      state: s.state ?? 'queued',
      owner: s.owner ?? null,
      note: s.note ?? null,
      core: s.core ?? true,
    })
    .run()
  return id
}

function insertCheckpoint(store: Store, trackId: string, c: CheckpointIn): string {
  const id = newId('chk')
  store.db
    .insert(t.checkpoints)
    .values({
      id,
      trackId,
      ordinal: c.ordinal ?? nextOrdinal(store, 'checkpoints', trackId),
      title: c.title,
      kind: c.kind,
      state: c.state ?? 'pending',
      owner: c.owner ?? null,
      note: c.note ?? null,
      runId: c.runId ?? null,
      approvalId: c.approvalId ?? null,
    })
    .run()
  return id
}

function insertBlocker(store: Store, trackId: string, b: BlockerIn): string {
  const id = newId('blk')
  const open = b.open ?? true
  store.db
    .insert(t.blockers)
    .values({
      id,
      trackId,
      title: b.title,
      note: b.note ?? null,
      owner: b.owner ?? null,
      open,
      resolvedAt: open ? null : nowIso(),
    })
    .run()
  return id
}

/** Creates a track with its children in one transaction: all of it or none. */
export function createTrack(store: Store, input: z.output<typeof TrackInput>): string {
  return store.sqlite.transaction(() => {
    const id = newId('trk')
    const now = nowIso()
    store.db
      .insert(t.tracks)
      .values({
        id,
        title: input.title,
        objective: input.objective ?? null,
        owner: input.owner ?? null,
        due: input.due ?? null,
        nextAction: input.nextAction ?? null,
        waitingOn: input.waitingOn ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .run()
    for (const s of input.steps ?? []) insertStep(store, id, s)
    for (const c of input.checkpoints ?? []) insertCheckpoint(store, id, c)
    for (const b of input.blockers ?? []) insertBlocker(store, id, b)
    return id
  }).immediate()
}

export function updateTrack(store: Store, id: string, patch: z.output<typeof TrackPatch>): boolean {
  const res = store.db
    .update(t.tracks)
    .set({ ...stripUndefined(patch), updatedAt: nowIso() })
    .where(eq(t.tracks.id, id))
    .run()
  return res.changes > 0
}

export function deleteTrack(store: Store, id: string): boolean {
  return store.db.delete(t.tracks).where(eq(t.tracks.id, id)).run().changes > 0
}

function touch(store: Store, trackId: string) {
  store.db.update(t.tracks).set({ updatedAt: nowIso() }).where(eq(t.tracks.id, trackId)).run()
}

export function trackExists(store: Store, id: string): boolean {
  return store.db.select({ id: t.tracks.id }).from(t.tracks).where(eq(t.tracks.id, id)).get() !== undefined
}

export function addStep(store: Store, trackId: string, s: StepIn): Step {
  return store.sqlite.transaction(() => {
    const id = insertStep(store, trackId, s)
    touch(store, trackId)
    return getStep(store, id)!
  }).immediate()
}
export function addCheckpoint(store: Store, trackId: string, c: CheckpointIn): Checkpoint {
  return store.sqlite.transaction(() => {
    const id = insertCheckpoint(store, trackId, c)
    touch(store, trackId)
    return getCheckpoint(store, id)!
  }).immediate()
}
export function addBlocker(store: Store, trackId: string, b: BlockerIn): Blocker {
  return store.sqlite.transaction(() => {
    const id = insertBlocker(store, trackId, b)
    touch(store, trackId)
    return getBlocker(store, id)!
  }).immediate()
}

export function getStep(store: Store, id: string): Step | null {
  const r = store.db.select().from(t.steps).where(eq(t.steps.id, id)).get()
  return r ? toStep(r) : null
}
export function getCheckpoint(store: Store, id: string): Checkpoint | null {
  const r = store.db.select().from(t.checkpoints).where(eq(t.checkpoints.id, id)).get()
  return r ? toCheckpoint(r) : null
}
export function getBlocker(store: Store, id: string): Blocker | null {
  const r = store.db.select().from(t.blockers).where(eq(t.blockers.id, id)).get()
  return r ? toBlocker(r) : null
}

export function updateStep(store: Store, id: string, patch: Partial<StepIn>): Step | null {
  return store.sqlite.transaction(() => {
    const cur = getStep(store, id)
    if (!cur) return null
    store.db.update(t.steps).set(stripUndefined(patch)).where(eq(t.steps.id, id)).run()
    touch(store, cur.trackId)
    return getStep(store, id)
  }).immediate()
}
export function updateCheckpoint(store: Store, id: string, patch: Partial<CheckpointIn>): Checkpoint | null {
  return store.sqlite.transaction(() => {
    const cur = getCheckpoint(store, id)
    if (!cur) return null
    store.db.update(t.checkpoints).set(stripUndefined(patch)).where(eq(t.checkpoints.id, id)).run()
    touch(store, cur.trackId)
    return getCheckpoint(store, id)
  }).immediate()
}
export function updateBlocker(store: Store, id: string, patch: Partial<BlockerIn>): Blocker | null {
  return store.sqlite.transaction(() => {
    const cur = getBlocker(store, id)
    if (!cur) return null
    const set: Partial<typeof t.blockers.$inferInsert> = stripUndefined(patch)
    if (patch.open === false && cur.open) set.resolvedAt = nowIso()
    if (patch.open === true) set.resolvedAt = null
    store.db.update(t.blockers).set(set).where(eq(t.blockers.id, id)).run()
    touch(store, cur.trackId)
    return getBlocker(store, id)
  }).immediate()
}

/**
 * A run started from this step: the step becomes active (track-rules stepStateOnRunStart).
 * Returns the step's track when the state changed.
 */
export function activateStepForRun(store: Store, stepId: string): boolean {
  const cur = getStep(store, stepId)
  if (!cur) return false
  const next = stepStateOnRunStart(cur.state)
  if (next === cur.state) return false
  store.db.update(t.steps).set({ state: next }).where(eq(t.steps.id, stepId)).run()
  touch(store, cur.trackId)
  return true
}

export function countTracks(store: Store): number {
  return (
    store.db
      .select({ n: sql<number>`count(*)` })
      .from(t.tracks)
      .get()?.n ?? 0
  )
}

function stripUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never
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
