import type { Handlers } from '../router'
import type { CoreContext } from '../../context'
import * as repo from '../../store/tracks'
import { getTrack, listTracks, summaryOfAll } from '../../store/track-queries'
import { notFound } from '../../errors'

export function trackHandlers(ctx: CoreContext): Handlers {
  const store = ctx.ws.store
  const changed = (trackId: string, deleted = false) => ctx.bus.emit('track.changed', deleted ? { trackId, deleted } : { trackId })
  const mustTrack = (id: string) => {
    const tr = getTrack(store, id)
    if (!tr) throw notFound('Track', id)
    return tr
  }
  const mustExist = (id: string) => {
    if (!repo.trackExists(store, id)) throw notFound('Track', id)
  }

  return {
    summary: () => {
      return summaryOfAll(store)
    },
    listTracks: ({ query }) => listTracks(store, query),
    getTrack: ({ params }) => mustTrack(params.id),
    createTrack: ({ body }) => {
      const id = repo.createTrack(store, body)
      changed(id)
      return mustTrack(id)
    },
    updateTrack: ({ params, body }) => {
      if (!repo.updateTrack(store, params.id, body)) throw notFound('Track', params.id)
      changed(params.id)
      return mustTrack(params.id)
    },
    deleteTrack: ({ params }) => {
      if (!repo.deleteTrack(store, params.id)) throw notFound('Track', params.id)
      changed(params.id, true)
      return { deleted: true, id: params.id }
    },
    addStep: ({ params, body }) => {
      mustExist(params.id)
      const s = repo.addStep(store, params.id, body)
      changed(params.id)
      return s
    },
    addCheckpoint: ({ params, body }) => {
      mustExist(params.id)
      const c = repo.addCheckpoint(store, params.id, body)
      changed(params.id)
      return c
    },
    addBlocker: ({ params, body }) => {
      mustExist(params.id)
      const b = repo.addBlocker(store, params.id, body)
      changed(params.id)
      return b
    },
    updateStep: ({ params, body }) => {
      const s = repo.updateStep(store, params.id, body)
      if (!s) throw notFound('Step', params.id)
      changed(s.trackId)
      return s
    },
    updateCheckpoint: ({ params, body }) => {
      const c = repo.updateCheckpoint(store, params.id, body)
      if (!c) throw notFound('Checkpoint', params.id)
      changed(c.trackId)
      return c
    },
    updateBlocker: ({ params, body }) => {
      const b = repo.updateBlocker(store, params.id, body)
      if (!b) throw notFound('Blocker', params.id)
      changed(b.trackId)
      return b
    },
  }
}
