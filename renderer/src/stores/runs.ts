// The runs list (grows a page at a time as the operator scrolls) and the one run whose
// detail is open, with its event log fetched incrementally by sequence number.
import { create } from 'zustand'
import type { RunTimeline } from '@shared/api'
import type { Artifact, Run, RunEvent } from '@shared/domain'
import { call, errorMessage, isNotAvailable } from '../api/client'
import { RUNS_FILTER_KEYS, type RunsFilter } from '../lib/route'
import { createResource, type LoadStatus } from './resource'

export const RUNS_PAGE = 500

/** The filter is the address's (#/runs?status=…&trackId=…): the view sets it whole, so nothing leaks between links. */
export const useRunFilter = create<{ filter: RunsFilter; limit: number }>(() => ({ filter: {}, limit: RUNS_PAGE }))

export const runs = createResource(() => {
  const { filter, limit } = useRunFilter.getState()
  return call('listRuns', { query: { ...filter, limit } })
})
export const useRuns = runs.use

const sameFilter = (a: RunsFilter, b: RunsFilter) => RUNS_FILTER_KEYS.every((k) => (a[k] ?? '') === (b[k] ?? ''))

export function setRunsFilter(filter: RunsFilter): void {
  if (sameFilter(useRunFilter.getState().filter, filter) && runs.use.getState().status !== 'idle') return
  useRunFilter.setState({ filter, limit: RUNS_PAGE })
  void runs.load()
}

export function loadMoreRuns(): void {
  const total = runs.use.getState().data?.total ?? 0
  const { limit } = useRunFilter.getState()
  if (limit >= total) return
  useRunFilter.setState({ limit: limit + RUNS_PAGE })
  void runs.load()
}

// ---- run detail

export interface RunDetailState {
  runId: string | null
  run: Run | null
  events: RunEvent[]
  last: number
  artifacts: Artifact[]
  /** Steps, waits and output folded from the events by the core (GET /api/runs/:id/timeline). */
  timeline: RunTimeline | null
  status: LoadStatus
  error: string | null
}

const emptyDetail: RunDetailState = {
  runId: null,
  run: null,
  events: [],
  last: 0,
  artifacts: [],
  timeline: null,
  status: 'idle',
  error: null,
}
export const useRunDetail = create<RunDetailState>(() => emptyDetail)

// Large pages: a 100,000-event log catches up in 20 requests (the route caps a page at 10,000).
const EVENTS_PAGE = 5000
let eventsInflight: Promise<void> | null = null

export async function openRun(runId: string): Promise<void> {
  if (useRunDetail.getState().runId !== runId) useRunDetail.setState({ ...emptyDetail, runId, status: 'loading' })
  await Promise.all([refreshRun(runId), refreshEvents(runId), refreshArtifacts(runId), refreshTimeline(runId)])
}

export const closeRun = () => useRunDetail.setState(emptyDetail, true)

export async function refreshRun(runId: string): Promise<void> {
  try {
    const run = await call('getRun', { params: { id: runId } })
    if (useRunDetail.getState().runId === runId) useRunDetail.setState({ run, status: 'ready', error: null })
  } catch (e) {
    if (useRunDetail.getState().runId !== runId) return
    useRunDetail.setState({ status: isNotAvailable(e) ? 'unavailable' : 'error', error: errorMessage(e) })
  }
}

/** Appends events after the last one we hold; the log is append-only, so nothing earlier changes. */
export function refreshEvents(runId: string): Promise<void> {
  if (eventsInflight) return eventsInflight.then(() => refreshEvents(runId))
  eventsInflight = (async () => {
    try {
      for (;;) {
        const { last } = useRunDetail.getState()
        const page = await call('listEvents', { params: { id: runId }, query: { after: last, limit: EVENTS_PAGE } })
        if (useRunDetail.getState().runId !== runId) return
        if (page.events.length === 0) return
        useRunDetail.setState((s) => ({
          events: [...s.events, ...page.events],
          last: page.events[page.events.length - 1]!.seq,
        }))
        if (page.events.length < EVENTS_PAGE) return
      }
    } catch {
      // The run itself reports the error state; a missing event route is just an empty log.
    } finally {
      eventsInflight = null
    }
  })()
  return eventsInflight
}

let timelineInflight: Promise<void> | null = null
let timelineAgain = false

/**
 * Refetches the timeline: one request at a time, and one more after it when new events
 * arrived meanwhile, so a chatty run costs at most two requests in flight and the last
 * answer always includes the last event.
 */
export function refreshTimeline(runId: string): Promise<void> {
  if (timelineInflight) {
    timelineAgain = true
    return timelineInflight
  }
  timelineInflight = (async () => {
    try {
      let id: string | null = runId
      do {
        timelineAgain = false
        const timeline = await call('runTimeline', { params: { id } })
        if (useRunDetail.getState().runId === id) useRunDetail.setState({ timeline })
        // Asked again meanwhile: fetch for whichever run is open now.
        id = useRunDetail.getState().runId
      } while (timelineAgain && id)
    } catch {
      // The run reports the error state; without a timeline the view falls back to the events.
    } finally {
      timelineInflight = null
      timelineAgain = false
    }
  })()
  return timelineInflight
}

export async function refreshArtifacts(runId: string): Promise<void> {
  try {
    const artifacts = await call('listArtifacts', { params: { id: runId } })
    if (useRunDetail.getState().runId === runId) useRunDetail.setState({ artifacts })
  } catch {
    // Same as events: no artifacts to show.
  }
}

export type RunAction = 'approve' | 'reject' | 'cancel' | 'retry' | 'resume'

/** A failed run's blocker, set aside by a person who says why. */
export const dismissRun = (runId: string, note: string) => call('dismissRun', { params: { id: runId }, body: { note } })

/** The run's step is done; its evidence may pass an evidence checkpoint of the track. */
export const markRunDone = (runId: string, checkpointId: string | null) =>
  call('markRunDone', { params: { id: runId }, body: checkpointId ? { checkpointId } : {} })

export async function runAction(runId: string, action: RunAction): Promise<Run> {
  const p = { id: runId }
  switch (action) {
    case 'approve':
      return call('approveRun', { params: p, body: {} })
    case 'reject':
      return call('rejectRun', { params: p, body: {} })
    case 'cancel':
      return call('cancelRun', { params: p })
    case 'retry':
      // The flow as it is now (the server's default): a fix made since the failure is what runs.
      return call('retryRun', { params: p, body: {} })
    case 'resume':
      return call('resumeRun', { params: p, body: {} })
  }
}
