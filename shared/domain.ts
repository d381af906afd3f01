// Domain vocabulary shared by core, shells and renderer. Pure TypeScript: no node:, DOM or electron.
import type { ApprovalTerms, TermChange } from './terms'

export const STEP_STATES = ['queued', 'active', 'done', 'blocked', 'skipped'] as const
export const CHECKPOINT_KINDS = ['review', 'evidence', 'approval', 'policy', 'handoff'] as const
export const CHECKPOINT_STATES = ['pending', 'ready', 'waiting', 'passed', 'failed'] as const
export const TRACK_STATES = ['active', 'waiting', 'blocked', 'done'] as const
/** check: a profile's login check; login: a person logs a profile in through the takeover view. */
export const RUN_KINDS = ['browser', 'command', 'check', 'login'] as const
export const RUN_STATUSES = [
  'queued',
  'running',
  'waiting-mfa',
  'waiting-approval',
  'waiting-assist',
  'blocked',
  'succeeded',
  'failed',
  'canceled',
  'interrupted',
] as const
export const RUN_PHASES = ['planning', 'execution', 'review', 'artifact'] as const
export const POLICY_VERDICTS = ['allow', 'requires-approval', 'deny'] as const
export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const
export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected'] as const
export const ALERT_KINDS = ['mfa-needed', 'approval-needed', 'assist-needed', 'run-failed', 'stale-wait', 'schedule-skipped', 'login-stale'] as const
export const ARTIFACT_KINDS = ['screenshot', 'trace', 'download', 'report'] as const

export type StepState = (typeof STEP_STATES)[number]
export type CheckpointKind = (typeof CHECKPOINT_KINDS)[number]
export type CheckpointState = (typeof CHECKPOINT_STATES)[number]
export type TrackState = (typeof TRACK_STATES)[number]
export type RunKind = (typeof RUN_KINDS)[number]
export type RunStatus = (typeof RUN_STATUSES)[number]
export type RunPhase = (typeof RUN_PHASES)[number]
export type PolicyVerdict = (typeof POLICY_VERDICTS)[number]
export type RiskLevel = (typeof RISK_LEVELS)[number]
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number]
export type AlertKind = (typeof ALERT_KINDS)[number]
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number]

export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = [
  'succeeded',
  'failed',
  'canceled',
  'blocked',
  'interrupted',
]
export const WAITING_RUN_STATUSES: readonly RunStatus[] = ['waiting-mfa', 'waiting-approval', 'waiting-assist']
/** Waits where a person works on the live page (the takeover view). */
export const TAKEOVER_RUN_STATUSES: readonly RunStatus[] = ['waiting-mfa', 'waiting-assist']
export const ON_FAILURE = ['assist', 'fail'] as const
export type OnFailure = (typeof ON_FAILURE)[number]
export const ASSIST_ACTIONS = ['retry-step', 'skip-step', 'fail'] as const
export type AssistAction = (typeof ASSIST_ACTIONS)[number]

/** Legal run status transitions; anything else is refused (HTTP 409). */
export const RUN_TRANSITIONS: Record<RunStatus, readonly RunStatus[]> = {
  queued: ['running', 'blocked', 'canceled', 'interrupted', 'waiting-approval', 'failed'],
  running: ['waiting-mfa', 'waiting-approval', 'waiting-assist', 'succeeded', 'failed', 'canceled', 'interrupted', 'blocked'],
  'waiting-mfa': ['running', 'failed', 'canceled', 'interrupted'],
  'waiting-assist': ['running', 'failed', 'canceled', 'interrupted'],
  'waiting-approval': ['running', 'queued', 'failed', 'canceled', 'interrupted'],
  blocked: [],
  succeeded: [],
  failed: [],
  canceled: [],
  interrupted: [],
}

export function canTransition(from: RunStatus, to: RunStatus): boolean {
  return RUN_TRANSITIONS[from].includes(to)
}

export interface Step {
  id: string
  trackId: string
  ordinal: number
  title: string
  state: StepState
  owner: string | null
  note: string | null
  core: boolean
}

/** How a failed or blocked run stopped blocking its track (DESIGN.md "Track"). */
export const RUN_RESOLUTIONS = ['succeeded-later', 'retried', 'dismissed'] as const
export type RunResolutionHow = (typeof RUN_RESOLUTIONS)[number]
export interface RunResolution {
  how: RunResolutionHow
  /** Who: the person who dismissed or retried, or who started the later successful run. */
  by: string
  at: string
  /** Why (a dismissal always has one). */
  note: string | null
  /** The run that carried the work on (the retry, or the later success); null for a dismissal. */
  runId: string | null
}

/** One run started from a step, as the step row shows it (newest first). */
export interface StepRunLink {
  id: string
  status: RunStatus
  /** Flow name, else the command, else the run id. */
  title: string
  attempt: number
  createdAt: string
  endedAt: string | null
  resolution: RunResolution | null
  /** Failed or blocked and not resolved: this run keeps the track blocked. */
  blocking: boolean
  /** Succeeded while its step is not done yet: the step row offers "mark done". */
  offersMarkDone: boolean
}

/** A step of an assembled track, with the runs started from it. */
export interface TrackStep extends Step {
  runs: StepRunLink[]
}

export interface Checkpoint {
  id: string
  trackId: string
  ordinal: number
  title: string
  kind: CheckpointKind
  state: CheckpointState
  owner: string | null
  note: string | null
  runId: string | null
  approvalId: string | null
}

export interface Blocker {
  id: string
  trackId: string
  title: string
  note: string | null
  owner: string | null
  open: boolean
  createdAt: string
  resolvedAt: string | null
}

export interface LinkedContext {
  approvals: number
  alerts: number
  browserRuns: number
  runRecords: number
  nextCheckpoint: { id: string; title: string; kind: CheckpointKind; state: CheckpointState } | null
}

export interface TrackRecord {
  id: string
  title: string
  objective: string | null
  owner: string | null
  due: string | null
  nextAction: string | null
  waitingOn: string | null
  createdAt: string
  updatedAt: string
}

/** A track as every shell sees it: the stored record plus everything derived from it. */
export interface Track extends TrackRecord {
  steps: TrackStep[]
  checkpoints: Checkpoint[]
  blockers: Blocker[]
  progress: number
  coreDone: number
  coreTotal: number
  state: TrackState
  linked: LinkedContext
}

export interface Summary {
  active: number
  waiting: number
  blocked: number
  done: number
  total: number
  averageProgress: number
}

export interface RunSummaryLink {
  id: string
  kind: RunKind
  status: RunStatus
  stepId: string | null
  resolved: boolean
}

export interface PolicyResult {
  verdict: PolicyVerdict
  risk: RiskLevel
  reasons: string[]
}

export interface Run {
  id: string
  kind: RunKind
  status: RunStatus
  phase: RunPhase
  attempt: number
  retryOf: string | null
  trackId: string | null
  stepId: string | null
  flowId: string | null
  flowName: string | null
  flowSource: string | null
  flowHash: string | null
  command: string | null
  params: Record<string, string>
  policy: PolicyResult | null
  progress: { current: number; total: number; label: string | null }
  createdAt: string
  startedAt: string | null
  endedAt: string | null
  error: string | null
  outputs: Record<string, unknown>
  exitCode: number | null
  /** Who started the run (a token's name, the desktop user, or `system`). */
  startedBy: string
  /** What a failing browser step does: wait for a person (assist) or end the run (fail). */
  onFailure: OnFailure
  /** Set once a failed or blocked run no longer blocks its track. */
  resolution: RunResolution | null
  /** The linked track's and step's titles (null when unlinked or since deleted). */
  trackTitle: string | null
  stepTitle: string | null
  /** The persistent browser profile it used (a flow's `profile`, or the profile a check/login run is for). */
  profile?: string | null
  takeoverUrl?: string | null
}

export interface RunEvent {
  runId: string
  seq: number
  ts: string
  type: string
  data: Record<string, unknown>
  prevHash: string
  hash: string
}

export interface Approval {
  id: string
  runId: string
  trackId: string | null
  reason: string
  status: ApprovalStatus
  requestedAt: string
  decidedAt: string | null
  decidedBy: string | null
  note: string | null
  /** What the approver needs to decide (DESIGN.md "approval-context"). */
  context: ApprovalContext
  /** After this the run fails with the reason; null: no deadline. */
  deadlineAt: string | null
}

export interface ApprovalContext {
  kind: RunKind | null
  flowName: string | null
  flowHash: string | null
  command: string | null
  track: { id: string; title: string } | null
  step: { id: string; title: string } | null
  /** Where in the flow it stopped: the step's number and label, or the line of an approval step. */
  flowStep: { index: number | null; label: string | null; line: number | null } | null
  params: Record<string, string>
  /** The origins the flow may touch: its allowedOrigins, else the origins its gotos name. */
  origins: string[]
  policyReasons: string[]
  evidence: { id: string; kind: ArtifactKind; name: string }[]
  requestedBy: string
  /** Why it stopped at this point (a url it wants to visit, the stage). */
  detail: Record<string, unknown>
  /** What approving agrees to (DESIGN.md "Approvals bound to terms"); null on approvals from before terms. */
  terms: ApprovalTerms | null
  /**
   * Asked again because the terms differ from a live standing approval in the same flow (or
   * program) and point: which one, and the difference term by term.
   */
  termsDiff: { standingId: string; changes: TermChange[] } | null
}

export interface Alert {
  id: string
  kind: AlertKind
  runId: string | null
  trackId: string | null
  message: string
  createdAt: string
  ackedAt: string | null
}

export interface Artifact {
  id: string
  runId: string
  kind: ArtifactKind
  name: string
  path: string
  sha256: string
  bytes: number
  createdAt: string
}

export interface FlowRecord {
  id: string
  name: string
  source: string
  hash: string
  createdAt: string
  updatedAt: string
  /** The current version's number (every save that changes the text makes one). */
  version: number
  /** Who saved the current version. */
  updatedBy: string | null
}

/** One saved text of a flow (GET /api/flows/:id/versions). */
export interface FlowVersion {
  flowId: string
  version: number
  name: string
  source: string
  hash: string
  createdBy: string
  createdAt: string
}

