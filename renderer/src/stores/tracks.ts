// Tracks, normalised: `ids` keeps the server's order, `byId` the latest copy of each. A
// stream refresh replaces one track's object, so only that card re-renders and the list
// (keyed by id) never reorders or jumps.
import { create } from 'zustand'
import type { RouteRequest } from '@shared/api'
import type { Blocker, Checkpoint, Step, Track, TrackState } from '@shared/domain'
import { call, errorMessage, isApiError } from '../api/client'
import type { LoadStatus } from './resource'
import { summary } from './summary'

export interface TracksState {
  ids: string[]
  byId: Record<string, Track>
  status: LoadStatus
  error: string | null
}

const initial: TracksState = { ids: [], byId: {}, status: 'idle', error: null }
export const useTracks = create<TracksState>(() => initial)

export const resetTracks = () => useTracks.setState(initial, true)

let loadingAll: Promise<void> | null = null

/**
 * The first screenful, asked for beside the full list when nothing is shown yet: a workspace
 * with 1,000 tracks (a 1.5 MB answer) shows its first cards as soon as a dozen are in, and
 * the full list replaces them when it lands.
 */
const FIRST_PAGE = 12

export function loadTracks(): Promise<void> {
  if (loadingAll) return loadingAll
  if (useTracks.getState().status === 'idle') useTracks.setState({ status: 'loading' })
  let fullLanded = false
  if (useTracks.getState().ids.length === 0) {
    void call('listTracks', { query: { limit: FIRST_PAGE } })
      .then((page) => {
        if (fullLanded || useTracks.getState().ids.length > 0 || page.length === 0) return
        const byId: Record<string, Track> = {}
        for (const t of page) byId[t.id] = t
        useTracks.setState({ ids: page.map((t) => t.id), byId, status: 'ready', error: null })
      })
      .catch(() => {}) // the full list reports any error
  }
  loadingAll = call('listTracks')
    .then((list) => {
      fullLanded = true
      const byId: Record<string, Track> = {}
      for (const t of list) byId[t.id] = keepIdentity(useTracks.getState().byId[t.id], t)
      useTracks.setState({ ids: list.map((t) => t.id), byId, status: 'ready', error: null })
    })
    .catch((e: unknown) => {
      useTracks.setState((s) => ({ status: s.ids.length ? s.status : 'error', error: errorMessage(e) }))
    })
    .finally(() => {
      loadingAll = null
    })
  return loadingAll
}

/** Refetch one track (after our own edit or a stream notice); a 404 means it was deleted. */
export async function refreshTrack(id: string): Promise<void> {
  // The edit in flight refetches when it lands; fetching now would show a half-applied state.
  if (hasPendingEdits(id)) return
  try {
    const t = await call('getTrack', { params: { id } })
    upsert(t)
  } catch (e) {
    if (isApiError(e) && e.status === 404) removeTrack(id)
    else throw e
  }
}

export function upsert(t: Track): void {
  useTracks.setState((s) => ({
    ids: s.ids.includes(t.id) ? s.ids : [...s.ids, t.id],
    byId: { ...s.byId, [t.id]: keepIdentity(s.byId[t.id], t) },
  }))
}

export function removeTrack(id: string): void {
  useTracks.setState((s) => {
    if (!s.byId[id]) return s
    const byId = { ...s.byId }
    delete byId[id]
    return { ids: s.ids.filter((x) => x !== id), byId }
  })
}

/** An unchanged refetch keeps the old object so selectors see no change and nothing re-renders. */
function keepIdentity(prev: Track | undefined, next: Track): Track {
  return prev && prev.updatedAt === next.updatedAt && JSON.stringify(prev) === JSON.stringify(next) ? prev : next
}

export const selectTrack = (id: string) => (s: TracksState) => s.byId[id]

export function selectIdsByLens(lens: TrackState | 'all') {
  return (s: TracksState) => (lens === 'all' ? s.ids : s.ids.filter((id) => s.byId[id]?.state === lens))
}

export function selectCounts(s: TracksState): Record<TrackState | 'all', number> {
  const c = { all: s.ids.length, active: 0, waiting: 0, blocked: 0, done: 0 }
  for (const id of s.ids) {
    const st = s.byId[id]?.state
    if (st) c[st]++
  }
  return c
}

// ---- edits: each one calls the API, patches what it can at once, then refetches the
// track and the summary because state and progress are derived on the server.

/** Edits in flight per track: while any is, refetches would undo the optimistic patches. */
const pendingEdits = new Map<string, number>()
/** Per child (step, checkpoint, blocker) the PATCHes go out one after another, in order. */
const childQueues = new Map<string, Promise<unknown>>()

export const hasPendingEdits = (trackId: string) => (pendingEdits.get(trackId) ?? 0) > 0

async function afterEdit(trackId: string): Promise<void> {
  await Promise.all([refreshTrack(trackId), summary.load()])
}

/**
 * Runs one edit of a track. Rapid edits (arrow keys through a select) each send a request,
 * in order, and only the last to finish refetches, so the control never flickers back.
 */
async function editTrack(trackId: string, queueKey: string, request: () => Promise<unknown>): Promise<void> {
  pendingEdits.set(trackId, (pendingEdits.get(trackId) ?? 0) + 1)
  const queued = (childQueues.get(queueKey) ?? Promise.resolve()).catch(() => {}).then(request)
  childQueues.set(queueKey, queued)
  try {
    await queued
  } finally {
    if (childQueues.get(queueKey) === queued) childQueues.delete(queueKey)
    const left = (pendingEdits.get(trackId) ?? 1) - 1
    if (left > 0) pendingEdits.set(trackId, left)
    else {
      pendingEdits.delete(trackId)
      // Also after a failure: puts the server's truth back over the optimistic patch.
      await afterEdit(trackId)
    }
  }
}

function patchChild<K extends 'steps' | 'checkpoints' | 'blockers'>(
  trackId: string,
  key: K,
  childId: string,
  patch: Partial<Track[K][number]>,
): void {
  useTracks.setState((s) => {
    const t = s.byId[trackId]
    if (!t) return s
    const list = (t[key] as Array<{ id: string }>).map((c) => (c.id === childId ? { ...c, ...patch } : c))
    return { byId: { ...s.byId, [trackId]: { ...t, [key]: list } } }
  })
}

export async function createTrack(body: NonNullable<RouteRequest<'createTrack'>['body']>): Promise<Track> {
  const t = await call('createTrack', { body })
  upsert(t)
  void summary.load()
  return t
}

export async function updateTrack(id: string, body: NonNullable<RouteRequest<'updateTrack'>['body']>): Promise<void> {
  const t = await call('updateTrack', { params: { id }, body })
  upsert(t)
  void summary.load()
}

export async function deleteTrack(id: string): Promise<void> {
  await call('deleteTrack', { params: { id } })
  removeTrack(id)
  void summary.load()
}

export function addStep(trackId: string, body: NonNullable<RouteRequest<'addStep'>['body']>): Promise<void> {
  return editTrack(trackId, `track:${trackId}`, () => call('addStep', { params: { id: trackId }, body }))
}

export function addCheckpoint(
  trackId: string,
  body: NonNullable<RouteRequest<'addCheckpoint'>['body']>,
): Promise<void> {
  return editTrack(trackId, `track:${trackId}`, () => call('addCheckpoint', { params: { id: trackId }, body }))
}

export function addBlocker(trackId: string, body: NonNullable<RouteRequest<'addBlocker'>['body']>): Promise<void> {
  return editTrack(trackId, `track:${trackId}`, () => call('addBlocker', { params: { id: trackId }, body }))
}

export function updateStep(
  trackId: string,
  stepId: string,
  patch: Partial<Pick<Step, 'state' | 'title' | 'owner' | 'note'>>,
): Promise<void> {
  patchChild(trackId, 'steps', stepId, patch)
  return editTrack(trackId, stepId, () => call('updateStep', { params: { id: stepId }, body: patch }))
}

export function updateCheckpoint(
  trackId: string,
  checkpointId: string,
  patch: Partial<Pick<Checkpoint, 'state' | 'title' | 'owner' | 'note'>>,
): Promise<void> {
  patchChild(trackId, 'checkpoints', checkpointId, patch)
  return editTrack(trackId, checkpointId, () => call('updateCheckpoint', { params: { id: checkpointId }, body: patch }))
}

export function updateBlocker(
  trackId: string,
  blockerId: string,
  patch: Partial<Pick<Blocker, 'open' | 'note'>>,
): Promise<void> {
  patchChild(trackId, 'blockers', blockerId, patch)
  return editTrack(trackId, blockerId, () => call('updateBlocker', { params: { id: blockerId }, body: patch }))
}
