// What an executor (browser flow, local command) may do to the run it executes. The
// service implements it; executors never touch the store or the bus directly.
import type { Artifact, ArtifactKind, AssistAction, Run, RunPhase } from '../../../shared/domain'
import type { Logger } from '../log'
import type { NewEvent } from '../store/events'

export interface ResumeRequest {
  force: boolean
  by: string
}
export type ResumeAnswer = { ok: true } | { ok: false; message: string }

export interface RunControl {
  readonly run: Run
  readonly signal: AbortSignal
  readonly log: Logger
  /** Absolute folder for this run's evidence (created on first use). */
  evidenceDir(): string
  /** Workspace-relative path for a file inside evidenceDir. */
  relPath(abs: string): string
  emit(type: string, data?: Record<string, unknown>): void
  emitMany(events: NewEvent[]): void
  /**
   * The process group the run started (its identity), or null once it ended: kept on the run
   * so start-up recovery can end an orphan a killed Opdesk left behind.
   */
  setProcess(p: { pid: number; startTime: string | null; bootId: string | null } | null): void
  setPhase(phase: RunPhase): void
  setProgress(current: number, total: number, label: string | null): void
  setOutputs(outputs: Record<string, unknown>): void
  addArtifact(kind: ArtifactKind, name: string, absPath: string): Promise<Artifact>
  /** Puts the run in waiting-mfa (event, alert, track) until leaveWaiting(). */
  enterMfaWait(info: MfaWaitInfo): void
  leaveMfaWait(reason: string): void
  /**
   * A failed step waits for a person (waiting-assist, event, alert) until they decide; the
   * promise settles with the decision (the caller leaves the wait), or rejects on cancel.
   */
  waitForAssist(info: AssistInfo): Promise<AssistDecision>
  /** After a retry or skip decision: back to running. */
  leaveAssistWait(reason: string): void
  /** While waiting, the Resume button calls this handler; it may refuse (condition not met). */
  onResume(handler: ((req: ResumeRequest) => Promise<ResumeAnswer>) | null): void
  /** waiting-approval until decided; resolves on approve, rejects (RejectedError) on reject. */
  requestApproval(reason: string, detail?: Record<string, unknown>): Promise<void>
  /** Raises an alert tied to this run (stale waits, etc.). */
  alert(kind: 'stale-wait' | 'run-failed' | 'mfa-needed' | 'approval-needed', message: string): void
  reveal(secretName: string): string
  /** Registers a value that must never reach events, logs or errors (secret, typed code). */
  sensitive(value: string): void
  redact(text: string): string
}

export type ExecResult = { status: 'succeeded'; exitCode?: number | null } | { status: 'failed'; error: string; exitCode?: number | null }

export interface RunExecutor {
  execute(ctl: RunControl): Promise<ExecResult>
}

export class RejectedError extends Error {
  override name = 'RejectedError'
}
export class CanceledError extends Error {
  override name = 'CanceledError'
  constructor() {
    super('Canceled by the operator')
  }
}

/** What `mfa.detected` records about a prompt (DESIGN.md "Prompt watcher"). */
export interface MfaWaitInfo {
  kind: string
  /** The top document's URL of the page that shows it. */
  url: string
  signals: string[]
  timeoutMs: number
  /** Why, in a line an operator can check. */
  reason: string
  frameUrl: string
  popup: boolean
  /** Prompt rendered → detected; null for an explicit mfa step. */
  latencyMs: number | null
}

export interface AssistInfo {
  index: number
  label: string
  line: number
  error: string
  timeoutMs: number
}

export interface AssistDecision {
  action: AssistAction
  note: string | null
  by: string
}
