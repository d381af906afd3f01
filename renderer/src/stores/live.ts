// Turns stream notices into refetches. Notices only say *what* changed; we mark it dirty
// and flush after a short quiet period (with a ceiling), so a burst of 500 step updates
// costs a handful of requests instead of 500, and no view ever polls.
import type { StreamMessage } from '@shared/api'
import { subscribe } from '../api/stream'
import { alerts } from './alerts'
import { failureStats, flowStats } from './analytics'
import { approvals, standing } from './approvals'
import { setStreamStatus } from './connection'
import { flows } from './flows'
import { needsYou } from './needsYou'
import { schedules } from './schedules'
import { profiles } from './profiles'
import { refreshEvents, refreshRun, refreshArtifacts, refreshTimeline, runs, useRunDetail } from './runs'
import { summary } from './summary'
import { loadTracks, refreshTrack, removeTrack, useTracks } from './tracks'

const QUIET_MS = 120
const MAX_WAIT_MS = 800
/** Past this many changed tracks one list call is cheaper than one call per track. */
const MANY_TRACKS = 12

interface Dirty {
  allTracks: boolean
  tracks: Set<string>
  summary: boolean
  runs: boolean
  run: boolean
  events: boolean
  alerts: boolean
  approvals: boolean
  flows: boolean
  needsYou: boolean
  schedules: boolean
  profiles: boolean
}

const fresh = (): Dirty => ({
  allTracks: false,
  tracks: new Set(),
  summary: false,
  runs: false,
  run: false,
  events: false,
  alerts: false,
  approvals: false,
  flows: false,
  needsYou: false,
  schedules: false,
  profiles: false,
})

let dirty = fresh()
let quietTimer: ReturnType<typeof setTimeout> | null = null
let firstDirtyAt = 0

function schedule(): void {
  const now = Date.now()
  if (!quietTimer) firstDirtyAt = now
  else clearTimeout(quietTimer)
  const wait = Math.max(0, Math.min(QUIET_MS, firstDirtyAt + MAX_WAIT_MS - now))
  quietTimer = setTimeout(flush, wait)
}

export function handle(msg: StreamMessage): void {
  const openRunId = useRunDetail.getState().runId
  switch (msg.type) {
    case 'hello':
      return // the first frame; reconnects are handled by refetchAll
    case 'track.changed': {
      const d = msg.data as StreamMessage<'track.changed'>['data']
      if (d.deleted) removeTrack(d.trackId)
      else dirty.tracks.add(d.trackId)
      dirty.summary = true
      break
    }
    case 'run.changed': {
      const d = msg.data as StreamMessage<'run.changed'>['data']
      dirty.runs = true
      // Every entry into and out of a wait is a status change: the needs-you list follows it.
      dirty.needsYou = true
      // A schedule shows its last run's status.
      dirty.schedules = true
      // A run's status feeds its track's derived state (waiting on MFA, blocked by failure).
      if (d.trackId) {
        dirty.tracks.add(d.trackId)
        dirty.summary = true
      }
      if (d.runId === openRunId) dirty.run = true
      break
    }
    case 'run.event': {
      const d = msg.data as StreamMessage<'run.event'>['data']
      if (d.runId === openRunId) dirty.events = true
      break
    }
    case 'alert.changed':
      dirty.alerts = true
      break
    case 'approval.changed':
      dirty.approvals = true
      dirty.needsYou = true
      break
    case 'flow.changed':
      dirty.flows = true
      dirty.profiles = true
      break
    case 'profile.changed':
      dirty.profiles = true
      break
    case 'schedule.changed':
      dirty.schedules = true
      break
  }
  schedule()
}

export function flush(): void {
  if (quietTimer) clearTimeout(quietTimer)
  quietTimer = null
  const d = dirty
  dirty = fresh()
  const tracksLoaded = useTracks.getState().status !== 'idle'
  if (tracksLoaded) {
    if (d.allTracks || d.tracks.size > MANY_TRACKS) void loadTracks()
    else for (const id of d.tracks) void refreshTrack(id).catch(() => {})
  }
  if (d.summary || d.allTracks) void summary.refreshIfUsed()
  if (d.runs) {
    void runs.refreshIfUsed()
    void flowStats.refreshIfUsed()
    void failureStats.refreshIfUsed()
  }
  if (d.alerts) void alerts.refreshIfUsed()
  if (d.approvals) {
    void approvals.refreshIfUsed()
    void standing.refreshIfUsed()
  }
  if (d.flows) void flows.refreshIfUsed()
  if (d.needsYou) void needsYou.refreshIfUsed()
  if (d.schedules) void schedules.refreshIfUsed()
  if (d.profiles) void profiles.refreshIfUsed()
  const runId = useRunDetail.getState().runId
  if (runId && d.run) {
    void refreshRun(runId)
    void refreshArtifacts(runId)
  }
  if (runId && (d.events || d.run)) {
    void refreshEvents(runId)
    void refreshTimeline(runId)
  }
}

/** After the stream was down we cannot know what we missed: refetch whatever is in use. */
export function refetchAll(): void {
  dirty.allTracks = true
  dirty.summary = dirty.runs = dirty.alerts = dirty.approvals = dirty.flows = dirty.needsYou = dirty.schedules = dirty.profiles = true
  if (useRunDetail.getState().runId) dirty.run = true
  flush()
}

export function startLive(): () => void {
  const stop = subscribe(handle, {
    onReconnect: refetchAll,
    onStatus: setStreamStatus,
  })
  return () => {
    stop()
    setStreamStatus('off')
    if (quietTimer) clearTimeout(quietTimer)
    quietTimer = null
    dirty = fresh()
  }
}
