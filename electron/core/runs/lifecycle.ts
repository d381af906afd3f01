// The one writer of a run's status and events. Every status change is a compare-and-set in
// the store plus a `run.status` event in the run's hash chain, in one transaction; the bus
// hears of it after the commit. Approvals, recovery and the facade all go through here.
import type { AlertKind, PolicyResult, Run, RunStatus } from '../../../shared/domain'
import type { CoreContext } from '../context'
import * as alerts from '../store/alerts'
import { EventLog, type NewEvent } from '../store/events'
import { transaction } from '../store/db'
import * as runs from '../store/runs'

/** Who Opdesk's own decisions are recorded as (deadlines, runs that ended before a decision). */
export const SYSTEM_ACTOR = 'system'

export interface LifecycleHooks {
  /** A run succeeded (the linked track follows it). */
  succeeded?(run: Run): void
}

export class RunLifecycle {
  readonly events: EventLog

  constructor(
    private readonly ctx: CoreContext,
    private readonly hooks: LifecycleHooks = {},
  ) {
    this.events = new EventLog(ctx.ws.store)
  }

  private get store() {
    return this.ctx.ws.store
  }

  /** Appends events and tells the bus. */
  append(runId: string, events: NewEvent[]): void {
    if (events.length === 0) return
    const { last } = this.events.append(runId, events)
    this.ctx.bus.emit('run.event', { runId, seq: last, type: events.at(-1)!.type })
  }

  /** Appends inside the caller's transaction; the caller calls notify() after it commits. */
  record(runId: string, events: NewEvent[]): void {
    this.events.append(runId, events)
  }

  /** The bus notice for events record() wrote, once their transaction committed. */
  notify(runId: string, type: string): void {
    this.ctx.bus.emit('run.event', { runId, seq: this.events.lastSeq(runId), type })
  }

  changed(run: Run): void {
    this.ctx.bus.emit('run.changed', { runId: run.id, status: run.status, trackId: run.trackId })
    if (run.trackId) this.ctx.bus.emit('track.changed', { trackId: run.trackId })
  }

  raise(run: Run, kind: AlertKind, message: string): void {
    const a = alerts.insertAlert(this.store, { kind, runId: run.id, trackId: run.trackId, message })
    this.append(run.id, [{ type: 'alert.raised', data: { alertId: a.id, kind, message } }])
    this.ctx.bus.emit('alert.changed', { alertId: a.id })
    if (run.trackId) this.ctx.bus.emit('track.changed', { trackId: run.trackId })
  }

  /**
   * A new run row, `queued`, with its first events; inside the caller's transaction (which
   * may write more beside it), so the caller calls changed() after the commit.
   */
  insert(r: runs.NewRun, policy: PolicyResult, first: Record<string, unknown>): Run {
    const run = runs.insertRun(this.store, r)
    runs.patchRun(this.store, run.id, { policy })
    this.events.append(run.id, [
      { type: 'run.status', data: { from: null, to: 'queued', ...first } },
      { type: 'policy.verdict', data: { ...policy, stage: 'pre-run' } },
    ])
    return run
  }

  /** Status change + its event in one transaction; refused (409) when illegal. */
  move(runId: string, to: RunStatus, reason: string | null, patch: runs.RunPatch = {}): Run {
    const run = transaction(this.store, () => {
      const { from, run } = runs.transition(this.store, runId, to, patch)
      this.events.append(runId, [{ type: 'run.status', data: { from, to, ...(reason ? { reason } : {}) } }])
      return run
    })
    this.notify(runId, 'run.status')
    this.changed(run)
    return run
  }

  /** The wait a run enters now, timing out after timeoutMs (none when it is not positive). */
  waitFor(timeoutMs: number | null | undefined): runs.RunWait {
    const since = Date.now()
    const ms = Number(timeoutMs)
    return { since: new Date(since).toISOString(), deadlineAt: Number.isFinite(ms) && ms > 0 ? new Date(since + ms).toISOString() : null }
  }

  /** Rejects the run's open approval, if any, recorded as decided by `by`; true when it did. */
  rejectPending(runId: string, by: string, note: string): boolean {
    const pending = alerts.pendingApprovalFor(this.store, runId)
    if (!pending || !alerts.decideApproval(this.store, pending.id, { status: 'rejected', by, note })) return false
    this.append(runId, [{ type: 'approval.decided', data: { approvalId: pending.id, decision: 'rejected', by, note } }])
    this.ctx.bus.emit('approval.changed', { approvalId: pending.id, runId })
    return true
  }

  /**
   * The end of an execution: the final status, nothing left pending (an open decision is
   * rejected, its alerts acknowledged) and a failure raised. Never throws: the run's end is
   * logged when the store refuses it (another process finished it first).
   */
  finish(run: Run, to: 'succeeded' | 'failed' | 'canceled', error: string | null, patch: runs.RunPatch, by: string = SYSTEM_ACTOR): void {
    try {
      const done = this.move(run.id, to, error, { ...patch, phase: 'artifact', error: to === 'succeeded' ? null : error })
      if (to === 'succeeded') this.hooks.succeeded?.(done)
      // A run that ended while a decision was still open (timeout, cancel) leaves nothing pending.
      this.rejectPending(run.id, by, `Run ${to} before a decision`)
      alerts.ackRunAlerts(this.store, run.id, ['mfa-needed', 'stale-wait', 'approval-needed'])
      // A failed check is the profile's news (login-stale), not a failed piece of work.
      if (to === 'failed' && run.kind !== 'check') this.raise(done, 'run-failed', `Run ${run.flowName ?? run.command ?? run.id} failed: ${error ?? 'unknown error'}`)
    } catch (err) {
      this.ctx.log.error('could not finish run', { runId: run.id, to, error: String(err) })
    }
  }
}
