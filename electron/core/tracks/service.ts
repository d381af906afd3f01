// Track writes and their track.changed events together: a caller cannot change a track, its
// steps, checkpoints or blockers without every shell hearing of it.
import type { z } from 'zod'
import type {
  BlockerInput,
  BlockerPatch,
  CheckpointInput,
  CheckpointPatch,
  StepInput,
  StepPatch,
  TrackInput,
  TrackPatch,
} from '../../../shared/api'
import type { Blocker, Checkpoint, Step, Track } from '../../../shared/domain'
import type { CoreContext } from '../context'
import { notFound } from '../errors'
import * as repo from '../store/tracks'
import { getTrack } from '../store/track-queries'

type In<S extends z.ZodTypeAny> = z.output<S>

export class TrackService {
  constructor(private readonly ctx: CoreContext) {}

  private get store() {
    return this.ctx.ws.store
  }

  private changed(trackId: string, deleted = false): void {
    this.ctx.bus.emit('track.changed', deleted ? { trackId, deleted } : { trackId })
  }

  mustTrack(id: string): Track {
    const tr = getTrack(this.store, id)
    if (!tr) throw notFound('Track', id)
    return tr
  }

  private mustExist(id: string): void {
    if (!repo.trackExists(this.store, id)) throw notFound('Track', id)
  }

  create(input: In<typeof TrackInput>): Track {
    const id = repo.createTrack(this.store, input)
    this.changed(id)
    return this.mustTrack(id)
  }

  update(id: string, patch: In<typeof TrackPatch>): Track {
    if (!repo.updateTrack(this.store, id, patch)) throw notFound('Track', id)
    this.changed(id)
    return this.mustTrack(id)
  }

  delete(id: string): void {
    if (!repo.deleteTrack(this.store, id)) throw notFound('Track', id)
    this.changed(id, true)
  }

  addStep(trackId: string, input: In<typeof StepInput>): Step {
    this.mustExist(trackId)
    const s = repo.addStep(this.store, trackId, input)
    this.changed(trackId)
    return s
  }

  addCheckpoint(trackId: string, input: In<typeof CheckpointInput>): Checkpoint {
    this.mustExist(trackId)
    const c = repo.addCheckpoint(this.store, trackId, input)
    this.changed(trackId)
    return c
  }

  addBlocker(trackId: string, input: In<typeof BlockerInput>): Blocker {
    this.mustExist(trackId)
    const b = repo.addBlocker(this.store, trackId, input)
    this.changed(trackId)
    return b
  }

  updateStep(id: string, patch: In<typeof StepPatch>): Step {
    const s = repo.updateStep(this.store, id, patch)
    if (!s) throw notFound('Step', id)
    this.changed(s.trackId)
    return s
  }

  updateCheckpoint(id: string, patch: In<typeof CheckpointPatch>): Checkpoint {
    const c = repo.updateCheckpoint(this.store, id, patch)
    if (!c) throw notFound('Checkpoint', id)
    this.changed(c.trackId)
    return c
  }

  updateBlocker(id: string, patch: In<typeof BlockerPatch>): Blocker {
    const b = repo.updateBlocker(this.store, id, patch)
    if (!b) throw notFound('Blocker', id)
    this.changed(b.trackId)
    return b
  }
}
