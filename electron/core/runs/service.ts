// Run lifecycle: create (validate, judge, queue), execute through an executor, and the
// operator's actions (cancel, retry, approve, reject, resume). Every status change is a
// compare-and-set in the store plus a `run.status` event in the run's hash chain.
import { hostname } from 'node:os'
import type { AlertKind, AssistAction, OnFailure, PolicyResult, Run, RunKind, RunStatus } from '../../../shared/domain'
import { badRequest, conflict, DomainError, notFound } from '../errors'
import type { CoreContext } from '../context'
import { nowIso } from '../ids'
import * as alerts from '../store/alerts'
import { EventLog, type NewEvent } from '../store/events'
import * as runs from '../store/runs'
import { getStep, trackExists } from '../store/tracks'
import { getSetting } from '../store/settings'
import type { SecretStore } from '../secrets/secrets'
import { stillLeadsGroup, type ProcessIdentity } from '../sandbox/proc'
import { RunQueue, type QueuedItem, type RunCapacity } from './scheduler'
import { RunSession } from './session'
import { approvalContext, approvalScope, approvalTerms } from './approval-context'
import * as standing from '../store/standing'
import { parseRemember, type StandingApproval } from '../../../shared/terms'
import type { RunExecutor } from './control'
import { RunFollowUp } from './follow-up'

export interface PreparedRun {
  kind: RunKind
  flowId?: string | null
  flowName?: string | null
  flowSource?: string | null
  flowHash?: string | null
  command?: string | null
  cwd?: string | null
  params: Record<string, string>
  steps: number
  profile: string | null
  policy: PolicyResult
}

/** Turns a request into a validated, judged run plan; throws DomainError(400) on a bad flow. */
export interface RunPlanner {
  plan(input: { flowId?: string; flow?: string; command?: string; cwd?: string; params?: Record<string, string> }): PreparedRun
  /** Re-plans a stored run for a retry (same source, same params, policy judged again). */
  replan(run: Run, cwd: string | null): PreparedRun
}

export interface ExecutorFactory {
  (run: Run, plan: { profile: string | null }): RunExecutor
}

export interface RunServiceDeps {
  ctx: CoreContext
  secrets: SecretStore
  planner: RunPlanner
  executors: Partial<Record<RunKind, ExecutorFactory>>
  /** Where a person takes over a waiting run (host mode sets the origin-relative path). */
  takeoverPath?: (runId: string) => string
  /** Holds browser runs `queued` while every browser server is full (the engine's pool). */
  capacity?: RunCapacity
}

/** What a retry runs: the registered flow as it is now, or the run's own snapshot. */
export type RetryFlow = 'current' | 'snapshot'

export const OWNER = `${process.pid}@${hostname()}`
/** Who Opdesk's own decisions are recorded as (deadlines, runs that ended before a decision). */
export const SYSTEM_ACTOR = 'system'
/** An approval nobody decides fails its run after this long unless the setting says otherwise. */
export const DEFAULT_APPROVAL_DEADLINE_MS = 24 * 3600_000

export class RunService {
  readonly events: EventLog
  /** How the linked track follows this service's runs (step active, resolutions, mark done). */
  readonly followUp: RunFollowUp
  private readonly queue: RunQueue
  private readonly sessions = new Map<string, RunSession>()
  private heartbeatTimer: NodeJS.Timeout | null = null
  private readonly startTries = new Map<string, number>()
  /** Who canceled a running run, so its end names them. */
  private readonly canceledBy = new Map<string, string>()
  /** Set by shutdown: runs canceled from then on were stopped with Opdesk, not by a person. */
  private stopping = false

  constructor(private readonly deps: RunServiceDeps) {
    this.events = new EventLog(deps.ctx.ws.store)
    this.followUp = new RunFollowUp({ ctx: deps.ctx, events: this.events })
    const concurrency = getSetting(deps.ctx.ws.store, 'runs.concurrency') ?? 2
    this.queue = new RunQueue(concurrency, (item) => this.execute(item), deps.capacity ?? null)
  }

  private get store() {
    return this.deps.ctx.ws.store
  }

  // ── events and notifications ──────────────────────────────────────────────

  append(runId: string, events: NewEvent[]): void {
    if (events.length === 0) return
    const { last } = this.events.append(runId, events)
    this.deps.ctx.bus.emit('run.event', { runId, seq: last, type: events.at(-1)!.type })
  }

  changed(run: Run): void {
    this.deps.ctx.bus.emit('run.changed', { runId: run.id, status: run.status, trackId: run.trackId })
    if (run.trackId) this.deps.ctx.bus.emit('track.changed', { trackId: run.trackId })
  }

  raise(run: Run, kind: AlertKind, message: string): void {
    const a = alerts.insertAlert(this.store, { kind, runId: run.id, trackId: run.trackId, message })
    this.append(run.id, [{ type: 'alert.raised', data: { alertId: a.id, kind, message } }])
    this.deps.ctx.bus.emit('alert.changed', { alertId: a.id })
    if (run.trackId) this.deps.ctx.bus.emit('track.changed', { trackId: run.trackId })
  }

  /** Status change + its event in one transaction; refused (409) when illegal. */
  move(runId: string, to: RunStatus, reason: string | null, patch: runs.RunPatch = {}): Run {
    const run = this.store.sqlite.transaction(() => {
      const { from, run } = runs.transition(this.store, runId, to, patch)
      this.events.append(runId, [{ type: 'run.status', data: { from, to, ...(reason ? { reason } : {}) } }])
      return run
    }).immediate()
    this.deps.ctx.bus.emit('run.event', { runId, seq: this.events.lastSeq(runId), type: 'run.status' })
    this.changed(run)
    return run
  }

  // ── creating runs ────────────────────────────────────────────────────────

  create(input: {
    flowId?: string
    flow?: string
    command?: string
    cwd?: string
    trackId?: string
    stepId?: string
    params?: Record<string, string>
    onFailure?: OnFailure
  }, by: string = SYSTEM_ACTOR, origin?: Record<string, unknown>): Run {
    let trackId = input.trackId ?? null
    if (input.stepId) {
      const step = getStep(this.store, input.stepId)
      if (!step) throw notFound('Step', input.stepId)
      if (trackId && step.trackId !== trackId) throw badRequest(`Step ${input.stepId} belongs to another track`, 'stepId')
      trackId = step.trackId
    }
    if (trackId && !trackExists(this.store, trackId)) throw notFound('Track', trackId)
    const plan = this.deps.planner.plan(input)
    return this.start(plan, { trackId, stepId: input.stepId ?? null, attempt: 1, retryOf: null, by, onFailure: input.onFailure, origin })
  }

  private start(
    plan: PreparedRun,
    link: {
      trackId: string | null
      stepId: string | null
      attempt: number
      retryOf: string | null
      by: string
      onFailure?: OnFailure
      /** What started it besides a person (a schedule and its time), kept in the first event. */
      origin?: Record<string, unknown>
    },
  ): Run {
    const run = this.store.sqlite.transaction(() => {
      const r = runs.insertRun(this.store, {
        kind: plan.kind,
        trackId: link.trackId,
        stepId: link.stepId,
        flowId: plan.flowId ?? null,
        flowName: plan.flowName ?? null,
        flowSource: plan.flowSource ?? null,
        flowHash: plan.flowHash ?? null,
        command: plan.command ?? null,
        cwd: plan.cwd ?? null,
        params: plan.params,
        attempt: link.attempt,
        retryOf: link.retryOf,
        progressTotal: plan.steps,
        startedBy: link.by,
        onFailure: link.onFailure,
        profile: plan.profile,
      })
      runs.patchRun(this.store, r.id, { policy: plan.policy })
      this.events.append(r.id, [
        {
          type: 'run.status',
          data: {
            from: null,
            to: 'queued',
            attempt: link.attempt,
            by: link.by,
            ...(link.retryOf ? { retryOf: link.retryOf } : {}),
            ...(link.origin ?? {}),
          },
        },
        { type: 'policy.verdict', data: { ...plan.policy, stage: 'pre-run' } },
      ])
      this.followUp.started(r)
      return runs.getRun(this.store, r.id)!
    }).immediate()
    this.changed(run)
    if (plan.policy.verdict === 'deny') {
      return this.move(run.id, 'blocked', `Denied by policy: ${plan.policy.reasons.join('; ')}`, {
        error: `Denied by policy: ${plan.policy.reasons.join('; ')}`,
      })
    }
    if (plan.policy.verdict === 'requires-approval') {
      const reason = plan.policy.reasons.join('; ') || 'Policy requires approval'
      if (!this.reuseStanding(run, reason)) {
        this.openApproval(run, reason)
        return runs.getRun(this.store, run.id)!
      }
    }
    this.enqueue(run.id, plan)
    return runs.getRun(this.store, run.id)!
  }

  private enqueue(runId: string, plan: Pick<PreparedRun, 'profile' | 'kind'>): void {
    this.queue.enqueue({ runId, lock: plan.profile ? `profile:${plan.profile}` : null, kind: plan.kind })
  }

  /**
   * A profile's `check` or `login` run (the profile service's): nothing to plan or judge (the
   * operator set its url through the API), queued behind any run holding the profile.
   */
  createProfileRun(kind: 'check' | 'login', profile: string, by: string): Run {
    const policy: PolicyResult = { verdict: 'allow', risk: 'low', reasons: [`${kind} of profile ${profile}`] }
    const title = kind === 'check' ? `Login check: ${profile}` : `Log in: ${profile}`
    return this.start(
      { kind, flowName: title, params: { profile }, steps: kind === 'check' ? 2 : 4, profile, policy },
      { trackId: null, stepId: null, attempt: 1, retryOf: null, by },
    )
  }

  // ── approvals ────────────────────────────────────────────────────────────

  /** Creates the approval record, alert and waiting-approval status. */
  openApproval(run: Run, reason: string, detail: Record<string, unknown> = {}): string {
    const { timeoutMs, ...rest } = detail
    const wait = typeof timeoutMs === 'number' ? timeoutMs : (getSetting(this.store, 'approvals.deadlineMs') ?? DEFAULT_APPROVAL_DEADLINE_MS)
    const deadlineAt = new Date(Date.now() + wait).toISOString()
    const approval = this.store.sqlite.transaction(() => {
      const context = approvalContext(this.store, runs.getRun(this.store, run.id) ?? run, rest)
      const a = alerts.insertApproval(this.store, { runId: run.id, trackId: run.trackId, reason, context, deadlineAt })
      this.events.append(run.id, [
        { type: 'approval.requested', data: { approvalId: a.id, reason, requestedBy: context.requestedBy, deadlineAt, ...rest } },
      ])
      return a
    }).immediate()
    this.move(run.id, 'waiting-approval', reason)
    this.raise(run, 'approval-needed', `Run ${run.flowName ?? run.command ?? run.id} needs approval: ${reason}`)
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
    const used = this.store.sqlite.transaction(() => {
      const s = standing.useStanding(this.store, terms)
      if (!s) return null
      this.events.append(run.id, [
        {
          type: 'approval.reused',
          data: { approvalId: s.id, reason, approvedBy: s.createdBy, approvedAt: s.createdAt, expiresAt: s.expiresAt, point: terms.point },
        },
      ])
      return s
    }).immediate()
    if (!used) return false
    this.deps.ctx.bus.emit('run.event', { runId: run.id, seq: this.events.lastSeq(run.id), type: 'approval.reused' })
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
    const won = this.store.sqlite.transaction(() => {
      if (!standing.revokeStanding(this.store, id, by)) return false
      // In the hash chain of the run whose approval it was, beside the decision it undoes.
      if (runs.getRun(this.store, s.runId)) this.events.append(s.runId, [{ type: 'approval.revoked', data: { approvalId: id, by } }])
      return true
    }).immediate()
    if (!won) {
      const now = standing.getStanding(this.store, id)
      throw conflict(`Standing approval ${id} was already revoked by ${now?.revokedBy ?? 'someone'} at ${now?.revokedAt ?? '?'}`)
    }
    this.deps.ctx.bus.emit('run.event', { runId: s.runId, seq: this.events.lastSeq(s.runId), type: 'approval.revoked' })
    this.deps.ctx.log.info('standing approval revoked', { approvalId: id, by })
    this.deps.ctx.bus.emit('approval.changed', { approvalId: id, runId: s.runId })
    return standing.getStanding(this.store, id)!
  }

  decide(runId: string, decision: 'approved' | 'rejected', by: string, note: string | null, remember: string | null = null): Run {
    const run = this.mustRun(runId)
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
    const won = this.store.sqlite.transaction(() => {
      if (!alerts.decideApproval(this.store, approval.id, { status: decision, by, note })) return false
      let expiresAt: string | null = null
      if (rememberMs?.ok && terms) {
        expiresAt = new Date(Date.now() + rememberMs.ms).toISOString()
        standing.insertStanding(this.store, { id: approval.id, runId, scope: approvalScope(run), reason: approval.reason, terms, createdBy: by, expiresAt })
      }
      this.events.append(runId, [
        { type: 'approval.decided', data: { approvalId: approval.id, decision, by, note, ...(expiresAt ? { remember, expiresAt } : {}) } },
      ])
      return alerts.ackRunAlerts(this.store, runId, ['approval-needed'])
    }).immediate()
    if (!won) throw conflict(`The approval for run ${runId} was already decided`)
    this.deps.ctx.bus.emit('approval.changed', { approvalId: approval.id, runId })
    for (const alertId of won) this.deps.ctx.bus.emit('alert.changed', { alertId })
    const session = this.sessions.get(runId)
    if (session) {
      // Mid-run approval: the executor is waiting on it and moves the run on.
      session.decided(decision, by, note)
      return runs.getRun(this.store, runId)!
    }
    if (decision === 'rejected') {
      const why = `Rejected by ${by}${note ? `: ${note}` : ''}`
      return this.move(runId, 'failed', why, { error: why })
    }
    const queued = this.move(runId, 'queued', `Approved by ${by}`)
    const plan = this.deps.planner.replan(queued, runs.getRunCwd(this.store, runId))
    this.enqueue(runId, plan)
    return queued
  }

  // ── operator actions ────────────────────────────────────────────────────

  cancel(runId: string, by: string = SYSTEM_ACTOR): Run {
    const run = this.mustRun(runId)
    const session = this.sessions.get(runId)
    if (session) {
      if (!session.signal.aborted) this.canceledBy.set(runId, by)
      session.cancel()
      return runs.getRun(this.store, runId)!
    }
    if (run.status === 'queued' || run.status === 'waiting-approval') {
      // Not started: it never will.
      this.queue.remove(runId)
      const pending = alerts.pendingApprovalFor(this.store, runId)
      if (pending && alerts.decideApproval(this.store, pending.id, { status: 'rejected', by, note: 'Run canceled' })) {
        this.append(runId, [{ type: 'approval.decided', data: { approvalId: pending.id, decision: 'rejected', by, note: 'Run canceled' } }])
        this.deps.ctx.bus.emit('approval.changed', { approvalId: pending.id, runId })
      }
      alerts.ackRunAlerts(this.store, runId, ['approval-needed'])
      return this.move(runId, 'canceled', `Canceled by ${by} before it started`)
    }
    throw conflict(`Run ${runId} is ${run.status}; only queued, running or waiting runs can be canceled`)
  }

  /**
   * A new attempt from the start. By default a run of a registered flow runs that flow as it
   * is now (the fix the operator made since); `flow: 'snapshot'` runs exactly what ran before.
   */
  retry(runId: string, by: string = SYSTEM_ACTOR, flow: RetryFlow = 'current'): Run {
    const run = this.mustRun(runId)
    if (run.kind === 'check' || run.kind === 'login')
      throw conflict(`Run ${runId} is a profile ${run.kind}; start a new one from the profile instead of retrying`)
    if (!['failed', 'canceled', 'interrupted', 'blocked'].includes(run.status)) {
      throw conflict(`Run ${runId} is ${run.status}; only failed, canceled, blocked or interrupted runs can be retried`)
    }
    const plan =
      flow === 'current' && run.kind === 'browser' && run.flowId
        ? this.deps.planner.plan({ flowId: run.flowId, params: run.params })
        : this.deps.planner.replan(run, runs.getRunCwd(this.store, runId))
    const next = this.start(plan, { trackId: run.trackId, stepId: run.stepId, attempt: run.attempt + 1, retryOf: run.id, by, onFailure: run.onFailure })
    this.followUp.retried(run, next, by)
    return runs.getRun(this.store, next.id)!
  }

  async resume(runId: string, force: boolean, by: string): Promise<Run> {
    const run = this.mustRun(runId)
    const session = this.sessions.get(runId)
    if (run.status !== 'waiting-mfa' || !session) throw conflict(`Run ${runId} is ${run.status}; only a run waiting for MFA can be resumed`)
    const answer = await session.resume({ force, by })
    if (!answer.ok) throw conflict(answer.message)
    return runs.getRun(this.store, runId)!
  }

  /** A person's decision on a run whose failed step waits for them (retry it, skip it, or fail). */
  async continueRun(runId: string, action: AssistAction, note: string | null, by: string): Promise<Run> {
    const run = this.mustRun(runId)
    const session = this.sessions.get(runId)
    if (run.status !== 'waiting-assist' || !session)
      throw conflict(`Run ${runId} is ${run.status}; only a run waiting for assist can be continued`)
    if (!session.decideAssist({ action, note, by })) throw conflict(`Run ${runId} was already decided`)
    return runs.getRun(this.store, runId)!
  }

  mustRun(runId: string): Run {
    const run = runs.getRun(this.store, runId)
    if (!run) throw notFound('Run', runId)
    return run
  }

  takeoverPath(runId: string): string | null {
    return this.deps.takeoverPath ? this.deps.takeoverPath(runId) : `/#/takeover/${runId}`
  }

  session(runId: string): RunSession | undefined {
    return this.sessions.get(runId)
  }

  // ── execution ───────────────────────────────────────────────────────────

  private async execute(item: QueuedItem): Promise<void> {
    let run: Run
    try {
      runs.claimRun(this.store, item.runId, OWNER)
      run = this.move(item.runId, 'running', null, { startedAt: nowIso(), phase: 'execution' })
    } catch (err) {
      // Canceled meanwhile, or another process took it: not ours to run.
      if (err instanceof DomainError) return
      // The database was busy past its timeout (another process writing hard): try again
      // shortly rather than leave the run queued with nobody to start it.
      const tries = (this.startTries.get(item.runId) ?? 0) + 1
      this.startTries.set(item.runId, tries)
      this.deps.ctx.log.error('could not start run', { runId: item.runId, tries, error: String(err) })
      if (tries < 5) setTimeout(() => this.queue.enqueue(item), 500 * tries).unref()
      return
    }
    this.startTries.delete(item.runId)
    const factory = this.deps.executors[run.kind]
    const session = new RunSession(this, this.deps.ctx, this.deps.secrets, run)
    this.sessions.set(run.id, session)
    try {
      if (!factory) throw new Error(`No ${run.kind} executor in this build`)
      const result = await factory(run, { profile: item.lock?.replace(/^profile:/, '') ?? null }).execute(session)
      await session.settle()
      if (session.signal.aborted) {
        this.finish(run, 'canceled', this.cancelReason(run.id), {})
      } else if (result.status === 'succeeded') {
        this.finish(run, 'succeeded', null, { exitCode: result.exitCode ?? null })
      } else {
        this.finish(run, 'failed', session.redact(result.error), { exitCode: result.exitCode ?? null })
      }
    } catch (err) {
      await session.settle()
      const message = session.redact(err instanceof Error ? err.message : String(err))
      if (session.signal.aborted) this.finish(run, 'canceled', this.cancelReason(run.id), {})
      else this.finish(run, 'failed', message, {})
    } finally {
      session.close()
      this.sessions.delete(run.id)
      this.canceledBy.delete(run.id)
    }
  }

  private finish(run: Run, to: 'succeeded' | 'failed' | 'canceled', error: string | null, patch: runs.RunPatch): void {
    try {
      const done = this.move(run.id, to, error, { ...patch, phase: 'artifact', error: to === 'succeeded' ? null : error })
      if (to === 'succeeded') this.followUp.succeeded(done)
      // A run that ended while a decision was still open (timeout, cancel) leaves nothing pending.
      const pending = alerts.pendingApprovalFor(this.store, run.id)
      const by = this.canceledBy.get(run.id) ?? SYSTEM_ACTOR
      if (pending && alerts.decideApproval(this.store, pending.id, { status: 'rejected', by, note: `Run ${to} before a decision` })) {
        this.append(run.id, [{ type: 'approval.decided', data: { approvalId: pending.id, decision: 'rejected', by, note: `Run ${to} before a decision` } }])
        this.deps.ctx.bus.emit('approval.changed', { approvalId: pending.id, runId: run.id })
      }
      alerts.ackRunAlerts(this.store, run.id, ['mfa-needed', 'stale-wait', 'approval-needed'])
      // A failed check is the profile's news (login-stale), not a failed piece of work.
      if (to === 'failed' && run.kind !== 'check') this.raise(done, 'run-failed', `Run ${run.flowName ?? run.command ?? run.id} failed: ${error ?? 'unknown error'}`)
    } catch (err) {
      this.deps.ctx.log.error('could not finish run', { runId: run.id, to, error: String(err) })
    }
  }

  // ── start-up and shutdown ───────────────────────────────────────────────

  /**
   * Start-up recovery: runs a dead process left running or waiting become `interrupted`
   * (a live page cannot survive its process); runs still waiting for a pre-start approval
   * keep waiting; queued runs are queued again.
   */
  recover(opts: { requeue?: boolean; isAlive?: (owner: string) => boolean } = {}): { interrupted: string[]; requeued: string[] } {
    const isAlive = opts.isAlive ?? ownerAlive
    const interrupted: string[] = []
    for (const r of runs.unfinishedRuns(this.store)) {
      const run = runs.getRun(this.store, r.id)
      if (!run) continue
      if (r.status === 'waiting-approval' && !run.startedAt) continue
      if (r.owner && r.owner !== OWNER && isAlive(r.owner)) continue
      try {
        this.move(r.id, 'interrupted', `Opdesk stopped while this run was ${r.status}; retry it to run again`, {
          error: `Interrupted: Opdesk stopped while this run was ${r.status}`,
        })
        alerts.ackRunAlerts(this.store, r.id, ['mfa-needed', 'stale-wait', 'approval-needed'])
        if (run.kind === 'command') this.killOrphan(r.id)
        interrupted.push(r.id)
      } catch {
        // Another process finished or recovered it first.
      }
    }
    const requeued: string[] = []
    for (const id of opts.requeue === false ? [] : runs.queuedRuns(this.store)) {
      const run = runs.getRun(this.store, id)!
      if (run.kind === 'check' || run.kind === 'login') {
        // Asked of the process that stopped; the profile shows its health, ask again there.
        this.move(id, 'canceled', `Opdesk restarted before this ${run.kind} ran; start it again from the profile`)
        continue
      }
      try {
        const plan = this.deps.planner.replan(run, runs.getRunCwd(this.store, id))
        this.enqueue(id, plan)
        requeued.push(id)
      } catch (err) {
        this.move(id, 'failed', `Could not restart after a restart: ${err instanceof Error ? err.message : String(err)}`)
      }
    }
    this.heartbeatTimer = setInterval(() => {
      runs.heartbeat(this.store, OWNER)
      try {
        this.expireApprovals()
      } catch (err) {
        this.deps.ctx.log.error('could not expire approvals', { error: String(err) })
      }
    }, 5_000)
    this.heartbeatTimer.unref()
    return { interrupted, requeued }
  }

  /**
   * A command run's process group may outlive a killed Opdesk: end it, but only when the
   * recorded pid is provably the same process (same boot, same start time), never a
   * stranger that was given the pid later.
   */
  private killOrphan(runId: string): void {
    const started = this.store.sqlite
      .prepare("SELECT data FROM run_events WHERE run_id = ? AND type = 'process.started' ORDER BY seq DESC LIMIT 1")
      .get(runId) as { data: string } | undefined
    if (!started || process.platform === 'win32') return
    const recorded = JSON.parse(started.data) as Partial<ProcessIdentity>
    if (!stillLeadsGroup(recorded)) return
    try {
      process.kill(-recorded.pid!, 'SIGKILL')
      this.append(runId, [{ type: 'log', data: { level: 'warn', message: `Ended process group ${recorded.pid} left running by the stopped Opdesk` } }])
    } catch {
      // Already gone.
    }
  }

  setConcurrency(n: number): void {
    this.queue.setConcurrency(n)
  }

  idle(): Promise<void> {
    return this.queue.idle()
  }

  private cancelReason(runId: string): string {
    const by = this.canceledBy.get(runId)
    if (by) return `Canceled by ${by}`
    return this.stopping ? 'Canceled because Opdesk stopped while it ran; retry it to run again' : 'Canceled by the operator'
  }

  /**
   * Approvals nobody decided by their deadline: decided `rejected` by the system, and the run
   * fails with the reason. Called on the heartbeat; returns the runs it failed.
   */
  expireApprovals(now = Date.now()): string[] {
    const failed: string[] = []
    for (const a of alerts.overdueApprovals(this.store, new Date(now).toISOString())) {
      const why = `Nobody decided the approval by its deadline (${a.deadlineAt}): ${a.reason}`
      const won = this.store.sqlite.transaction(() => {
        if (!alerts.decideApproval(this.store, a.id, { status: 'rejected', by: SYSTEM_ACTOR, note: why })) return false
        this.events.append(a.runId, [{ type: 'approval.decided', data: { approvalId: a.id, decision: 'rejected', by: SYSTEM_ACTOR, note: why } }])
        return alerts.ackRunAlerts(this.store, a.runId, ['approval-needed'])
      }).immediate()
      if (!won) continue
      this.deps.ctx.bus.emit('approval.changed', { approvalId: a.id, runId: a.runId })
      for (const alertId of won) this.deps.ctx.bus.emit('alert.changed', { alertId })
      const session = this.sessions.get(a.runId)
      if (session) session.expired(why)
      else {
        const run = runs.getRun(this.store, a.runId)
        if (run?.status === 'waiting-approval') this.move(a.runId, 'failed', why, { error: why })
      }
      failed.push(a.runId)
    }
    return failed
  }

  /**
   * Stops starting runs (queued ones stay queued for the next start), lets running ones
   * finish for up to graceMs, then cancels the rest (their executors end their process
   * trees) and waits up to waitMs for them to settle.
   */
  async shutdown(opts: { graceMs?: number; waitMs?: number } = {}): Promise<void> {
    this.stopping = true
    this.queue.pause()
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer)
    const settled = async (until: number) => {
      while (this.sessions.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 25))
    }
    await settled(Date.now() + (opts.graceMs ?? 0))
    for (const s of this.sessions.values()) s.cancel()
    await settled(Date.now() + (opts.waitMs ?? 10_000))
  }
}

/** A run's owner is `pid@host`; on this host we can ask the OS whether that pid lives. */
export function ownerAlive(owner: string): boolean {
  const [pidText, host] = owner.split('@')
  if (host !== hostname()) return true // another machine on a shared folder: assume alive
  const pid = Number(pidText)
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
