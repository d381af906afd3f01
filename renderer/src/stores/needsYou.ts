// Runs waiting for a person or a decision (GET /api/needs-you), oldest wait first: the
// top-bar count and list, the Take over / Approve buttons on alert, step and run rows, the
// title badge and the browser notifications all read this one list. The live stream marks
// it dirty on every run status change, so it is never polled.
import type { NeedsYouItem } from '@shared/api'
import { call } from '../api/client'
import { createResource } from './resource'

export const needsYou = createResource<NeedsYouItem[]>(() => call('needsYou'))
export const useNeedsYou = needsYou.use

export const selectNeedsYouCount = (s: { data: NeedsYouItem[] | null }) => s.data?.length ?? 0

/** The item for a run, if that run is waiting for a person now. */
export const selectNeedFor = (runId: string | null | undefined) => (s: { data: NeedsYouItem[] | null }) =>
  (runId && s.data?.find((i) => i.runId === runId)) || null

/** The oldest item of a run started from this step, if one waits now. */
export const selectNeedForStep = (stepId: string) => (s: { data: NeedsYouItem[] | null }) =>
  s.data?.find((i) => i.stepId === stepId) ?? null

/** A wait is one item; the same run waiting again later is a new one (notified again). */
export const needKey = (i: NeedsYouItem) => `${i.runId}@${i.since}`

export async function approveFromList(runId: string): Promise<void> {
  await call('approveRun', { params: { id: runId }, body: {} })
  // Gone at once; the stream's refetch confirms.
  needsYou.use.setState((s) => ({ data: s.data?.filter((i) => i.runId !== runId) ?? null }))
  void needsYou.load()
}

/** The oldest item of a run linked to this track, if one waits now. */
export const selectNeedForTrack = (trackId: string) => (s: { data: NeedsYouItem[] | null }) =>
  s.data?.find((i) => i.trackId === trackId) ?? null
