// Track repository: plain functions over a Store that write tracks and their steps,
// checkpoints and blockers, each write a synchronous transaction. Full tracks and the
// summary are read in track-queries.ts.
import { eq } from 'drizzle-orm'
import type { z } from 'zod'
import type { BlockerInput, CheckpointInput, StepInput, TrackInput, TrackPatch } from '../../../shared/api'
import type { Blocker, Checkpoint, Step } from '../../../shared/domain'
import { newId, nowIso } from '../ids'
import { stepStateOnRunStart } from '../domain/track-rules'
import { cached, type Store } from './db'
import * as t from './schema'

type StepIn = z.output<typeof StepInput>
type CheckpointIn = z.output<typeof CheckpointInput>
type BlockerIn = z.output<typeof BlockerInput>

const toStep = (r: typeof t.steps.$inferSelect): Step => ({ ...r })
const toCheckpoint = (r: typeof t.checkpoints.$inferSelect): Checkpoint => ({ ...r })
const toBlocker = (r: typeof t.blockers.$inferSelect): Blocker => ({ ...r })

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

function stripUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never
}
