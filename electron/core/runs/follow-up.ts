// How a track follows the runs started from its steps (DESIGN.md "Track"): a run that starts
// makes its step active; a success resolves the step's earlier failures and offers "mark
// done"; a failure stops blocking when a person dismisses it with a note or retries it.
// Every resolution is recorded on the resolved run (a `run.resolved` event: how, who, why).
import type { Run, RunResolutionHow } from '../../../shared/domain'
import { canDismiss, canMarkDone, type FollowUpRefusal } from '../domain/track-rules'
import { DomainError, notFound } from '../errors'
import type { CoreContext } from '../context'
import type { RunLifecycle } from './lifecycle'
import { transaction } from '../store/db'
import * as runs from '../store/runs'
import { activateStepForRun, getCheckpoint, getStep, updateCheckpoint, updateStep } from '../store/tracks'

export interface FollowUpDeps {
  ctx: CoreContext
  /** Writes the resolutions into the runs' chains (the lifecycle is their one writer). */
  lifecycle: Pick<RunLifecycle, 'record' | 'notify'>
}

const refused = (r: FollowUpRefusal) => new DomainError(r.kind, r.reason, r.field)

export class RunFollowUp {
  constructor(private readonly deps: FollowUpDeps) {}

  private get store() {
    return this.deps.ctx.ws.store
  }

  /** Inside the transaction that creates the run: its step is being worked on now. */
  started(run: Pick<Run, 'stepId'>): void {
    if (run.stepId) activateStepForRun(this.store, run.stepId)
  }

  /** Marks one blocking run resolved and records it in that run's own chain; false if it was not blocking. */
  private resolve(runId: string, how: RunResolutionHow, by: string, note: string | null, byRun: string | null): boolean {
    const done = transaction(this.store, () => {
      if (!runs.resolveRun(this.store, runId, { how, by, note, runId: byRun })) return false
      this.deps.lifecycle.record(runId, [{ type: 'run.resolved', data: { how, by, note, runId: byRun } }])
      return true
    })
    if (done) this.announce(runId, 'run.resolved')
    return done
  }

  private announce(runId: string, type: string): void {
    const run = runs.getRun(this.store, runId)
    if (!run) return
    const { bus } = this.deps.ctx
    this.deps.lifecycle.notify(runId, type)
    bus.emit('run.changed', { runId, status: run.status, trackId: run.trackId })
    if (run.trackId) bus.emit('track.changed', { trackId: run.trackId })
  }

  /** A run of a step succeeded: the step's earlier failures no longer block the track. */
  succeeded(run: Run): string[] {
    if (!run.stepId) return []
    return runs
      .blockingRunsOfStep(this.store, run.stepId)
      .filter((id) => id !== run.id && this.resolve(id, 'succeeded-later', run.startedBy, null, run.id))
  }

  /** A retry carries the work on: the old failure no longer blocks the track. */
  retried(old: Run, retry: Run, by: string): void {
    this.resolve(old.id, 'retried', by, null, retry.id)
  }

  /** A person decides a failure no longer matters, and says why. */
  dismiss(runId: string, note: string | null, by: string): Run {
    const run = runs.getRun(this.store, runId)
    if (!run) throw notFound('Run', runId)
    const check = canDismiss({ id: run.id, status: run.status, resolvedAt: run.resolution?.at ?? null }, note)
    if (!check.ok) throw refused(check)
    if (!this.resolve(runId, 'dismissed', by, note!.trim(), null)) throw new DomainError('conflict', `Run ${runId} was already resolved`)
    this.deps.ctx.log.info('run dismissed', { runId, by })
    return runs.getRun(this.store, runId)!
  }

  /**
   * "Mark done" from a successful run: its step is done, and the run's evidence may be
   * attached to an evidence checkpoint of the track (which then passes).
   */
  markDone(runId: string, checkpointId: string | null, by: string): Run {
    const run = runs.getRun(this.store, runId)
    if (!run) throw notFound('Run', runId)
    const checkpoint = checkpointId ? getCheckpoint(this.store, checkpointId) : null
    if (checkpointId && !checkpoint) throw notFound('Checkpoint', checkpointId)
    const check = canMarkDone(run, checkpoint)
    if (!check.ok) throw refused(check)
    const step = getStep(this.store, run.stepId!)
    if (!step) throw new DomainError('conflict', `The step run ${runId} was started from no longer exists`)
    transaction(this.store, () => {
      updateStep(this.store, step.id, { state: 'done' })
      if (checkpoint) updateCheckpoint(this.store, checkpoint.id, { runId: run.id, state: 'passed' })
      this.deps.lifecycle.record(run.id, [
        { type: 'step.marked-done', data: { stepId: step.id, checkpointId: checkpoint?.id ?? null, by } },
      ])
    })
    this.announce(run.id, 'step.marked-done')
    return runs.getRun(this.store, runId)!
  }
}
