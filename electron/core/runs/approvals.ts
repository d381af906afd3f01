// A run's approvals: asking (record, alert, waiting-approval), reusing a standing approval
// with the same terms, deciding, remembering and revoking, and failing runs nobody decided by
// the deadline. Status and events go through the lifecycle.
import type { Run } from '../../../shared/domain'
import { parseRemember, type StandingApproval } from '../../../shared/terms'
import type { CoreContext } from '../context'
import { badRequest, conflict, DomainError, notFound } from '../errors'
import * as alerts from '../store/alerts'
import { transaction } from '../store/db'
import * as runs from '../store/runs'
import { getSetting } from '../store/settings'
import * as standing from '../store/standing'
import { approvalContext, approvalScope, approvalTerms } from './approval-context'
import { SYSTEM_ACTOR, type RunLifecycle } from './lifecycle'
import type { RunSession } from './session'

/** An approval nobody decides fails its run after this long unless the setting says otherwise. */
export const DEFAULT_APPROVAL_DEADLINE_MS = 24 * 3600_000

export interface ApprovalDeps {
  ctx: CoreContext
  lifecycle: RunLifecycle
  /** The executing run's session (a mid-run approval), if it executes here. */
  session(runId: string): RunSession | undefined
  /** Queues a run approved before it started. */
  enqueue(run: Run): void
}

export class RunApprovals {
  constructor(private readonly deps: ApprovalDeps) {}

  private get store() {
    return this.deps.ctx.ws.store
  }
  private get lifecycle() {
    return this.deps.lifecycle
  }

  /** Creates the approval record, alert and waiting-approval status. */
  openApproval(run: Run, reason: string, detail: Record<string, unknown> = {}): string {
    const { timeoutMs, ...rest } = detail
    const ms = typeof timeoutMs === 'number' ? timeoutMs : (getSetting(this.store, 'approvals.deadlineMs') ?? DEFAULT_APPROVAL_DEADLINE_MS)
    const since = Date.now()
    const deadlineAt = new Date(since + ms).toISOString()
    const wait = { since: new Date(since).toISOString(), deadlineAt }
    const approval = transaction(this.store, () => {
      const context = approvalContext(this.store, runs.getRun(this.store, run.id) ?? run, rest)
      const a = alerts.insertApproval(this.store, { runId: run.id, trackId: run.trackId, reason, context, deadlineAt })
      this.lifecycle.record(run.id, [
        { type: 'approval.requested', data: { approvalId: a.id, reason, requestedBy: context.requestedBy, deadlineAt, ...rest } },
      ])
      return a
    })
    this.lifecycle.move(run.id, 'waiting-approval', reason, { wait })
    this.lifecycle.raise(run, 'approval-needed', `Run ${run.flowName ?? run.command ?? run.id} needs approval: ${reason}`)
    this.deps.ctx.bus.emit('approval.changed', { approvalId: approval.id, runId: run.id })
    return approval.id
  }

  /**
   * A live standing approval with exactly this run's terms at this point: the run goes on
   * without asking (`approval.reused`). Matched, counted and recorded in one transaction, so a
   * revocation committed first is always seen and the run asks again. Returns whether reused.
   */
  reuseStanding(run: Run, reason: string, detail: Record<string, unknown> = {}): boolean {
    const current = runs.getRun(this.store, run.id) ?? run
    const terms = approvalTerms(current, detail, runs.getRunCwd(this.store, run.id))
    const used = transaction(this.store, () => {
      const s = standing.useStanding(this.store, terms)
      if (!s) return null
      this.lifecycle.record(run.id, [
        {
          type: 'approval.reused',
          data: { approvalId: s.id, reason, approvedBy: s.createdBy, approvedAt: s.createdAt, expiresAt: s.expiresAt, point: terms.point },
        },
      ])
      return s
    })
    if (!used) return false
    this.lifecycle.notify(run.id, 'approval.reused')
    this.deps.ctx.bus.emit('approval.changed', { approvalId: used.id, runId: run.id })
    return true
  }

  listStanding(): StandingApproval[] {
    return standing.listStanding(this.store)
  }

  /** Revokes a standing approval (recorded with who); later runs with its terms ask again. */
  revokeStanding(id: string, by: string): StandingApproval {
    const s = standing.getStanding(this.store, id)
    if (!s) throw notFound('Standing approval', id)
    const won = transaction(this.store, () => {
      if (!standing.revokeStanding(this.store, id, by)) return false
      // In the hash chain of the run whose approval it was, beside the decision it undoes.
      if (runs.getRun(this.store, s.runId)) this.lifecycle.record(s.runId, [{ type: 'approval.revoked', data: { approvalId: id, by } }])
      return true
    })
    if (!won) {
      const now = standing.getStanding(this.store, id)
      throw conflict(`Standing approval ${id} was already revoked by ${now?.revokedBy ?? 'someone'} at ${now?.revokedAt ?? '?'}`)
    }
    this.lifecycle.notify(s.runId, 'approval.revoked')
    this.deps.ctx.log.info('standing approval revoked', { approvalId: id, by })
    this.deps.ctx.bus.emit('approval.changed', { approvalId: id, runId: s.runId })
    return standing.getStanding(this.store, id)!
  }

  decide(run: Run, decision: 'approved' | 'rejected', by: string, note: string | null, remember: string | null = null): Run {
    const runId = run.id
    const rememberMs = remember === null ? null : parseRemember(remember)
    if (rememberMs && !rememberMs.ok) throw badRequest(rememberMs.message, 'remember')
    if (remember !== null && decision !== 'approved') throw badRequest('Only an approval can be remembered', 'remember')
    if (run.status !== 'waiting-approval') throw conflict(`Run ${runId} is ${run.status}; there is nothing to decide`)
    const approval = alerts.pendingApprovalFor(this.store, runId)
    if (!approval) throw conflict(`Run ${runId} has no pending approval; it was already decided`)
    if (approval.deadlineAt && Date.parse(approval.deadlineAt) <= Date.now()) {
      this.expireApprovals()
      throw conflict(`The approval for run ${runId} passed its deadline (${approval.deadlineAt}); the run failed`)
    }
    if (decision === 'approved' && run.startedBy === by && getSetting(this.store, 'approvals.separateDuties')) {
      throw new DomainError(
        'forbidden',
        `Separation of duties: ${by} started run ${runId} and may not approve it; another approver must decide (rejecting or canceling it is allowed)`,
      )
    }
    const terms = approval.context.terms
    if (rememberMs && !terms) throw badRequest(`The approval for run ${runId} records no terms, so it cannot be remembered`, 'remember')
    const won = transaction(this.store, () => {
      if (!alerts.decideApproval(this.store, approval.id, { status: decision, by, note })) return false
      let expiresAt: string | null = null
      if (rememberMs?.ok && terms) {
        expiresAt = new Date(Date.now() + rememberMs.ms).toISOString()
        standing.insertStanding(this.store, { id: approval.id, runId, scope: approvalScope(run), reason: approval.reason, terms, createdBy: by, expiresAt })
      }
      this.lifecycle.record(runId, [
        { type: 'approval.decided', data: { approvalId: approval.id, decision, by, note, ...(expiresAt ? { remember, expiresAt } : {}) } },
      ])
      return alerts.ackRunAlerts(this.store, runId, ['approval-needed'])
    })
    if (!won) throw conflict(`The approval for run ${runId} was already decided`)
    this.deps.ctx.bus.emit('approval.changed', { approvalId: approval.id, runId })
    for (const alertId of won) this.deps.ctx.bus.emit('alert.changed', { alertId })
    const session = this.deps.session(runId)
    if (session) {
      // Mid-run approval: the executor is waiting on it and moves the run on.
      session.decided(decision, by, note)
      return runs.getRun(this.store, runId)!
    }
    if (decision === 'rejected') {
      const why = `Rejected by ${by}${note ? `: ${note}` : ''}`
      return this.lifecycle.move(runId, 'failed', why, { error: why })
    }
    // Approved before it started: queued behind its profile, which the run row names.
    const queued = this.lifecycle.move(runId, 'queued', `Approved by ${by}`)
    this.deps.enqueue(queued)
    return queued
  }

  /**
   * Approvals nobody decided by their deadline: decided `rejected` by the system, and the run
   * fails with the reason. Called on the heartbeat; returns the runs it failed.
   */
  expireApprovals(now = Date.now()): string[] {
    const failed: string[] = []
    for (const a of alerts.overdueApprovals(this.store, new Date(now).toISOString())) {
      const why = `Nobody decided the approval by its deadline (${a.deadlineAt}): ${a.reason}`
      const won = transaction(this.store, () => {
        if (!alerts.decideApproval(this.store, a.id, { status: 'rejected', by: SYSTEM_ACTOR, note: why })) return false
        this.lifecycle.record(a.runId, [{ type: 'approval.decided', data: { approvalId: a.id, decision: 'rejected', by: SYSTEM_ACTOR, note: why } }])
        return alerts.ackRunAlerts(this.store, a.runId, ['approval-needed'])
      })
      if (!won) continue
      this.deps.ctx.bus.emit('approval.changed', { approvalId: a.id, runId: a.runId })
      for (const alertId of won) this.deps.ctx.bus.emit('alert.changed', { alertId })
      const session = this.deps.session(a.runId)
      if (session) session.expired(why)
      else {
        const run = runs.getRun(this.store, a.runId)
        if (run?.status === 'waiting-approval') this.lifecycle.move(a.runId, 'failed', why, { error: why })
      }
      failed.push(a.runId)
    }
    return failed
  }
}
