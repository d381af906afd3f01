// The run service: the facade the API handlers call. It creates runs (validate, judge,
// queue), executes them through an executor, and takes the operator's actions (cancel,
// retry, resume, continue). Status and events are written by the lifecycle alone;
// approvals and start-up recovery are their own modules, reached through this facade.
import type { AlertKind, AssistAction, OnFailure, PolicyResult, Run, RunKind, RunStatus } from '../../../shared/domain'
import type { StandingApproval } from '../../../shared/terms'
import { badRequest, conflict, DomainError, notFound } from '../errors'
import type { CoreContext } from '../context'
import { nowIso } from '../ids'
import type { EventLog, NewEvent } from '../store/events'
import * as alerts from '../store/alerts'
import { transaction } from '../store/db'
import * as runs from '../store/runs'
import { getStep, trackExists } from '../store/tracks'
import { getSetting } from '../store/settings'
import type { SecretStore } from '../secrets/secrets'
import { RunQueue, type QueuedItem, type RunCapacity } from './scheduler'
import { RunSession } from './session'
import type { RunExecutor } from './control'
import { RunFollowUp } from './follow-up'
import { RunLifecycle, SYSTEM_ACTOR } from './lifecycle'
import { RunApprovals } from './approvals'
import { OWNER, RunRecovery } from './recovery'

export { SYSTEM_ACTOR } from './lifecycle'
export { DEFAULT_APPROVAL_DEADLINE_MS } from './approvals'
export { OWNER, ownerAlive } from './recovery'

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

/** Builds the executor of a run; the run row carries what it needs (its profile, its command). */
export interface ExecutorFactory {
  (run: Run): RunExecutor
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

export class RunService {
  readonly lifecycle: RunLifecycle
  readonly approvals: RunApprovals
  readonly recovery: RunRecovery
  /** How the linked track follows this service's runs (step active, resolutions, mark done). */
  readonly followUp: RunFollowUp
  private readonly queue: RunQueue
  private readonly sessions = new Map<string, RunSession>()
  private readonly startTries = new Map<string, number>()
  /** Who canceled a running run, so its end names them. */
  private readonly canceledBy = new Map<string, string>()
  /** Set by shutdown: runs canceled from then on were stopped with Opdesk, not by a person. */
  private stopping = false

  constructor(private readonly deps: RunServiceDeps) {
    const { ctx } = deps
    // The follow-up writes through the lifecycle, which tells it of successes: bound late.
    this.lifecycle = new RunLifecycle(ctx, { succeeded: (run) => this.followUp.succeeded(run) })
    this.followUp = new RunFollowUp({ ctx, lifecycle: this.lifecycle })
    const enqueue = (run: Run) => this.enqueue(run)
    this.approvals = new RunApprovals({ ctx, lifecycle: this.lifecycle, session: (id) => this.sessions.get(id), enqueue })
    this.recovery = new RunRecovery({ ctx, lifecycle: this.lifecycle, approvals: this.approvals, enqueue })
    const concurrency = getSetting(ctx.ws.store, 'runs.concurrency') ?? 2
    this.queue = new RunQueue(concurrency, (item) => this.execute(item), deps.capacity ?? null)
  }

  private get store() {
    return this.deps.ctx.ws.store
  }

  // ── the lifecycle, for the session, the profile service and the scheduler ──

  get events(): EventLog {
    return this.lifecycle.events
  }
  append(runId: string, events: NewEvent[]): void {
    this.lifecycle.append(runId, events)
  }
  changed(run: Run): void {
    this.lifecycle.changed(run)
  }
  raise(run: Run, kind: AlertKind, message: string): void {
    this.lifecycle.raise(run, kind, message)
  }
  move(runId: string, to: RunStatus, reason: string | null, patch: runs.RunPatch = {}): Run {
    return this.lifecycle.move(runId, to, reason, patch)
  }

  // ── approvals and recovery ───────────────────────────────────────────────

  openApproval(run: Run, reason: string, detail: Record<string, unknown> = {}): string {
    return this.approvals.openApproval(run, reason, detail)
  }
  reuseStanding(run: Run, reason: string, detail: Record<string, unknown> = {}): boolean {
    return this.approvals.reuseStanding(run, reason, detail)
  }
  listStanding(): StandingApproval[] {
    return this.approvals.listStanding()
  }
  revokeStanding(id: string, by: string): StandingApproval {
    return this.approvals.revokeStanding(id, by)
  }
  decide(runId: string, decision: 'approved' | 'rejected', by: string, note: string | null, remember: string | null = null): Run {
    return this.approvals.decide(this.mustRun(runId), decision, by, note, remember)
  }
  expireApprovals(now = Date.now()): string[] {
    return this.approvals.expireApprovals(now)
  }
  recover(opts: { requeue?: boolean; isAlive?: (owner: string) => boolean } = {}): { interrupted: string[]; requeued: string[] } {
    return this.recovery.recover(opts)
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
    const run = transaction(this.store, () => {
      const r = this.lifecycle.insert(
        {
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
        },
        plan.policy,
        { attempt: link.attempt, by: link.by, ...(link.retryOf ? { retryOf: link.retryOf } : {}), ...(link.origin ?? {}) },
      )
      this.followUp.started(r)
      return runs.getRun(this.store, r.id)!
    })
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
    this.enqueue(run)
    return runs.getRun(this.store, run.id)!
  }

  /** Queued behind any run holding the same profile (the row's column, set at creation). */
  private enqueue(run: Pick<Run, 'id' | 'kind' | 'profile'>): void {
    this.queue.enqueue({ runId: run.id, lock: run.profile ?? null, kind: run.kind })
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
      this.lifecycle.rejectPending(runId, by, 'Run canceled')
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
    const finish = (to: 'succeeded' | 'failed' | 'canceled', error: string | null, patch: runs.RunPatch) =>
      this.lifecycle.finish(run, to, error, patch, this.canceledBy.get(run.id) ?? SYSTEM_ACTOR)
    try {
      if (!factory) throw new Error(`No ${run.kind} executor in this build`)
      const result = await factory(run).execute(session)
      await session.settle()
      if (session.signal.aborted) {
        finish('canceled', this.cancelReason(run.id), {})
      } else if (result.status === 'succeeded') {
        finish('succeeded', null, { exitCode: result.exitCode ?? null })
      } else {
        finish('failed', session.redact(result.error), { exitCode: result.exitCode ?? null })
      }
    } catch (err) {
      await session.settle()
      const message = session.redact(err instanceof Error ? err.message : String(err))
      if (session.signal.aborted) finish('canceled', this.cancelReason(run.id), {})
      else finish('failed', message, {})
    } finally {
      session.close()
      this.sessions.delete(run.id)
      this.canceledBy.delete(run.id)
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
   * Stops starting runs (queued ones stay queued for the next start), lets running ones
   * finish for up to graceMs, then cancels the rest (their executors end their process
   * trees) and waits up to waitMs for them to settle.
   */
  async shutdown(opts: { graceMs?: number; waitMs?: number } = {}): Promise<void> {
    this.stopping = true
    this.queue.pause()
    this.recovery.stop()
    const settled = async (until: number) => {
      while (this.sessions.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 25))
    }
    await settled(Date.now() + (opts.graceMs ?? 0))
    for (const s of this.sessions.values()) s.cancel()
    await settled(Date.now() + (opts.waitMs ?? 10_000))
  }
}
