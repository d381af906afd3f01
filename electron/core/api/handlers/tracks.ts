import type { Handlers } from '../router'
import type { CoreContext } from '../../context'
import { listTracks, summaryOfAll } from '../../store/track-queries'
import type { TrackService } from '../../tracks/service'

export function trackHandlers(ctx: CoreContext, tracks: TrackService): Handlers {
  const store = ctx.ws.store
  return {
    summary: () => summaryOfAll(store),
    listTracks: ({ query }) => listTracks(store, query),
    getTrack: ({ params }) => tracks.mustTrack(params.id),
    createTrack: ({ body }) => tracks.create(body),
    updateTrack: ({ params, body }) => tracks.update(params.id, body),
    deleteTrack: ({ params }) => {
      tracks.delete(params.id)
      return { deleted: true, id: params.id }
    },
    addStep: ({ params, body }) => tracks.addStep(params.id, body),
    addCheckpoint: ({ params, body }) => tracks.addCheckpoint(params.id, body),
    addBlocker: ({ params, body }) => tracks.addBlocker(params.id, body),
    updateStep: ({ params, body }) => tracks.updateStep(params.id, body),
    updateCheckpoint: ({ params, body }) => tracks.updateCheckpoint(params.id, body),
    updateBlocker: ({ params, body }) => tracks.updateBlocker(params.id, body),
  }
}
