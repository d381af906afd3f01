// One executing run: the RunControl its executor uses, and the hooks the service calls
// for operator actions (cancel, resume, approval decisions).
import { mkdirSync } from 'node:fs'
import { formatDuration } from '../../../shared/flow'
import { join, relative } from 'node:path'
import type { AlertKind, Artifact, ArtifactKind, Run, RunPhase } from '../../../shared/domain'
import type { CoreContext } from '../context'
import * as alerts from '../store/alerts'
import { recordArtifact } from '../store/artifacts'
import type { NewEvent } from '../store/events'
import * as runs from '../store/runs'
import { redact, type SecretStore } from '../secrets/secrets'
import { RejectedError, type AssistDecision, type AssistInfo, type MfaWaitInfo, type ResumeAnswer, type ResumeRequest, type RunControl } from './control'
import type { RunService } from './service'

export class RunSession implements RunControl {
  private readonly abort = new AbortController()
  private resumeHandler: ((req: ResumeRequest) => Promise<ResumeAnswer>) | null = null
  private approvalWaiter: { resolve(): void; reject(err: Error): void } | null = null
  private assistWaiter: ((d: AssistDecision) => void) | null = null
  private readonly secretsSeen = new Set<string>()
  private pendingArtifacts: Promise<unknown>[] = []
  private outputs: Record<string, unknown> = {}

  constructor(
    private readonly service: RunService,
    private readonly ctx: CoreContext,
    private readonly secrets: SecretStore,
    public run: Run,
  ) {}

  get signal(): AbortSignal {
    return this.abort.signal
  }
  get log() {
    return this.ctx.log
  }
  private get store() {
    return this.ctx.ws.store
  }

  evidenceDir(): string {
    const dir = join(this.ctx.ws.paths.evidence, this.run.id)
    mkdirSync(dir, { recursive: true })
    return dir
  }

  relPath(abs: string): string {
    return relative(this.ctx.ws.paths.root, abs).split('\\').join('/')
  }

  emit(type: string, data: Record<string, unknown> = {}): void {
    this.emitMany([{ type, data }])
  }

  emitMany(events: NewEvent[]): void {
    // Last line of defence: nothing registered as sensitive reaches the log, whatever the caller passed.
    const clean = this.secretsSeen.size
      ? events.map((e) => ({ type: e.type, data: JSON.parse(this.redact(JSON.stringify(e.data ?? {}))) as Record<string, unknown> }))
      : events
    this.service.append(this.run.id, clean)
  }

  setProcess(p: runs.RunProcess | null): void {
    runs.patchRun(this.store, this.run.id, { process: p })
  }

  setPhase(phase: RunPhase): void {
    runs.patchRun(this.store, this.run.id, { phase })
    this.refresh()
  }

  setProgress(current: number, total: number, label: string | null): void {
    runs.patchRun(this.store, this.run.id, { progress: { current, total, label: label === null ? null : this.redact(label) } })
    this.refresh()
  }

  setOutputs(outputs: Record<string, unknown>): void {
    this.outputs = { ...this.outputs, ...outputs }
    runs.patchRun(this.store, this.run.id, { outputs: JSON.parse(this.redact(JSON.stringify(this.outputs))) as Record<string, unknown> })
    this.refresh()
  }

  async addArtifact(kind: ArtifactKind, name: string, absPath: string): Promise<Artifact> {
    const p = recordArtifact(this.store, { runId: this.run.id, kind, name, absPath, relPath: this.relPath(absPath) })
    this.pendingArtifacts.push(p)
    const art = await p
    this.emit('evidence.captured', { artifactId: art.id, kind, name, sha256: art.sha256, bytes: art.bytes })
    return art
  }

  enterMfaWait(info: MfaWaitInfo): void {
    this.emit('mfa.detected', { ...info })
    const wait = this.service.lifecycle.waitFor(info.timeoutMs)
    this.run = this.service.move(this.run.id, 'waiting-mfa', `Waiting for a person: ${info.kind} prompt`, { wait })
    this.service.raise(this.run, 'mfa-needed', `Run ${this.run.flowName ?? this.run.id} needs a person for ${describeKind(info.kind)} at ${info.url}`)
  }

  leaveMfaWait(reason: string): void {
    for (const alertId of alerts.ackRunAlerts(this.store, this.run.id, ['mfa-needed', 'stale-wait'])) {
      this.ctx.bus.emit('alert.changed', { alertId })
    }
    this.run = this.service.move(this.run.id, 'running', reason)
  }

  waitForAssist(info: AssistInfo): Promise<AssistDecision> {
    this.emit('assist.requested', { index: info.index, label: info.label, line: info.line, error: info.error, timeoutMs: info.timeoutMs })
    const wait = this.service.lifecycle.waitFor(info.timeoutMs)
    this.run = this.service.move(this.run.id, 'waiting-assist', `Step ${info.index} failed; waiting for a person to decide`, { wait })
    this.service.raise(
      this.run,
      'assist-needed',
      `Run ${this.run.flowName ?? this.run.id} failed at step ${info.index} (${info.label}) and waits for you: continue, skip or fail`,
    )
    return new Promise<AssistDecision>((resolve, reject) => {
      const timers: NodeJS.Timeout[] = []
      const done = (): void => {
        timers.forEach(clearTimeout)
        this.signal.removeEventListener('abort', onAbort)
        this.assistWaiter = null
        for (const alertId of alerts.ackRunAlerts(this.store, this.run.id, ['assist-needed', 'stale-wait'])) {
          this.ctx.bus.emit('alert.changed', { alertId })
        }
      }
      const onAbort = (): void => {
        done()
        reject(new Error('Canceled while waiting for a person to decide'))
      }
      timers.push(
        setTimeout(() => {
          done()
          resolve({ action: 'fail', note: `Nobody decided within ${formatDuration(info.timeoutMs)}`, by: 'system' })
        }, info.timeoutMs),
      )
      this.signal.addEventListener('abort', onAbort, { once: true })
      this.assistWaiter = (d) => {
        done()
        this.emit('assist.decided', { action: d.action, by: d.by, note: d.note })
        resolve(d)
      }
    })
  }

  /** Called by the service with a person's decision; false when nobody is waiting for one (already decided). */
  decideAssist(d: AssistDecision): boolean {
    const w = this.assistWaiter
    if (!w) return false
    w(d)
    return true
  }

  leaveAssistWait(reason: string): void {
    this.run = this.service.move(this.run.id, 'running', reason)
  }

  onResume(handler: ((req: ResumeRequest) => Promise<ResumeAnswer>) | null): void {
    this.resumeHandler = handler
  }

  async resume(req: ResumeRequest): Promise<ResumeAnswer> {
    if (!this.resumeHandler) return { ok: false, message: 'This run is not waiting for a person right now' }
    return this.resumeHandler(req)
  }

  async requestApproval(reason: string, detail: Record<string, unknown> = {}): Promise<void> {
    // Approved before with these very terms and still standing: go on without asking.
    const { timeoutMs: _t, ...termsDetail } = detail
    void _t
    if (this.service.reuseStanding(this.run, reason, termsDetail)) return
    const decision = new Promise<void>((resolve, reject) => {
      this.approvalWaiter = { resolve, reject }
    })
    this.service.openApproval(this.run, reason, detail)
    const onAbort = () => this.approvalWaiter?.reject(new Error('Canceled while waiting for approval'))
    this.signal.addEventListener('abort', onAbort, { once: true })
    try {
      await decision
    } finally {
      this.signal.removeEventListener('abort', onAbort)
      this.approvalWaiter = null
    }
  }

  /** Called by the service when a person decides this run's pending approval. */
  decided(decision: 'approved' | 'rejected', by: string, note: string | null): void {
    const w = this.approvalWaiter
    if (!w) return
    if (decision === 'approved') {
      this.run = this.service.move(this.run.id, 'running', `Approved by ${by}`)
      w.resolve()
    } else {
      w.reject(new RejectedError(`Rejected by ${by}${note ? `: ${note}` : ''}`))
    }
  }

  /** The approval's deadline passed with nobody deciding: the run fails with the reason. */
  expired(message: string): void {
    this.approvalWaiter?.reject(new RejectedError(message))
  }

  alert(kind: AlertKind, message: string): void {
    this.service.raise(this.run, kind, this.redact(message))
  }

  reveal(secretName: string): string {
    const value = this.secrets.reveal(secretName)
    this.sensitive(value)
    return value
  }

  sensitive(value: string): void {
    if (value) this.secretsSeen.add(value)
  }

  redact(text: string): string {
    return redact(text, this.secretsSeen)
  }

  cancel(): void {
    if (!this.abort.signal.aborted) {
      this.emit('log', { level: 'info', message: 'Cancel requested' })
      this.abort.abort()
    }
  }

  /** Waits for artifact bookkeeping still in flight before the run is finished. */
  async settle(): Promise<void> {
    await Promise.allSettled(this.pendingArtifacts)
  }

  close(): void {
    this.resumeHandler = null
    this.secretsSeen.clear()
  }

  private refresh(): void {
    this.run = runs.getRun(this.store, this.run.id)!
    this.service.changed(this.run)
  }
}

export function describeKind(kind: string): string {
  switch (kind) {
    case 'code':
      return 'a one-time code'
    case 'push':
      return 'a push approval'
    case 'chooser':
      return 'an MFA method choice'
    case 'login':
      return 'a login wall'
    default:
      return 'a sign-in prompt'
  }
}
