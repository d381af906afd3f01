// The one API definition. Every shell (HTTP host, Electron IPC) and the renderer's client
// derive from this table: route name → method, path, zod schemas for params/query/body.
import { z } from 'zod'
import {
  CHECKPOINT_KINDS,
  CHECKPOINT_STATES,
  RUN_STATUSES,
  STEP_STATES,
  TRACK_STATES,
  APPROVAL_STATUSES,
} from './domain'
import type {
  Alert,
  Approval,
  Artifact,
  Blocker,
  Checkpoint,
  FlowRecord,
  FlowVersion,
  PolicyResult,
  Run,
  RunEvent,
  Step,
  Summary,
  Track,
} from './domain'
import type { FlowParam } from './flow'
import type { PhaseOutcome } from './phases'
import type { SandboxStatus } from './sandbox'
import { parseRemember, type StandingApproval } from './terms'
import { idSchema } from './id-schema'
import { ScheduleInput, SchedulePatch, type Schedule } from './schedules'
import { ProfileInput, profileNameSchema, type ProfileView } from './profiles'

export { idSchema }

const text = (max: number) => z.string().trim().min(1).max(max)
const optText = (max: number) => z.string().trim().max(max).nullable().optional()
/** Dates are ISO-8601 (a day like 2026-12-01 or a full timestamp). */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'must be an ISO date like 2026-12-01')
  .nullable()
  .optional()

export const StepInput = z.strictObject({
  title: text(200),
  state: z.enum(STEP_STATES).optional(),
  owner: optText(100),
  note: optText(2000),
  core: z.boolean().optional(),
  ordinal: z.number().int().min(0).max(10_000).optional(),
})
export const StepPatch = StepInput.partial()

export const CheckpointInput = z.strictObject({
  title: text(200),
  kind: z.enum(CHECKPOINT_KINDS),
  state: z.enum(CHECKPOINT_STATES).optional(),
  owner: optText(100),
  note: optText(2000),
  runId: idSchema.nullable().optional(),
  approvalId: idSchema.nullable().optional(),
  ordinal: z.number().int().min(0).max(10_000).optional(),
})
export const CheckpointPatch = CheckpointInput.partial()

export const BlockerInput = z.strictObject({
  title: text(200),
  note: optText(2000),
  owner: optText(100),
  open: z.boolean().optional(),
})
export const BlockerPatch = BlockerInput.partial()

export const TrackInput = z.strictObject({
  title: text(200),
  objective: optText(2000),
  owner: optText(100),
  due: isoDate,
  nextAction: optText(500),
  waitingOn: optText(200),
  steps: z.array(StepInput).max(500).optional(),
  checkpoints: z.array(CheckpointInput).max(200).optional(),
  blockers: z.array(BlockerInput).max(200).optional(),
})
export const TrackPatch = TrackInput.omit({ steps: true, checkpoints: true, blockers: true }).partial()

/** Saving under a name another flow has is refused (409 name_taken) unless `overwrite` says to replace it. */
export const FlowInput = z.strictObject({
  source: z.string().min(1).max(1_000_000),
  name: text(200).optional(),
  overwrite: z.boolean().optional(),
})
/**
 * Edit a saved flow. The name is `name`, else the source's `name:`. `baseVersion` is the
 * version the edit started from (If-Match style): a newer save in between answers 409.
 */
export const FlowPatch = z
  .strictObject({
    source: z.string().min(1).max(1_000_000).optional(),
    name: text(200).optional(),
    baseVersion: z.number().int().min(1).optional(),
  })
  .refine((v) => v.source !== undefined || v.name !== undefined, { message: 'give source or name', path: ['source'] })
export const FlowValidateInput = z.strictObject({ source: z.string().max(1_000_000) })

const paramsRecord = z.record(z.string().min(1).max(100), z.string().max(10_000))
export const RunInput = z
  .strictObject({
    flowId: idSchema.optional(),
    flow: z.string().min(1).max(1_000_000).optional(),
    command: z.string().min(1).max(100_000).optional(),
    cwd: z.string().max(4096).optional(),
    trackId: idSchema.optional(),
    stepId: idSchema.optional(),
    params: paramsRecord.optional(),
    /** A failing browser step waits for a person (the UI's default) or ends the run (the default here). */
    onFailure: z.enum(['assist', 'fail']).optional(),
  })
  .refine((v) => [v.flowId, v.flow, v.command].filter((x) => x !== undefined).length === 1, {
    message: 'give exactly one of flowId, flow or command',
    path: ['flowId'],
  })
/** `params` (with `flow`) are the values the run would get; missing ones take their defaults. */
export const PolicyCheckInput = z
  .strictObject({
    command: z.string().min(1).max(100_000).optional(),
    flow: z.string().min(1).max(1_000_000).optional(),
    params: paramsRecord.optional(),
  })
  .refine((v) => (v.command === undefined) !== (v.flow === undefined), {
    message: 'give exactly one of command or flow',
    path: ['command'],
  })
/** `by` is accepted for older clients and ignored: who decides is the caller's identity. */
export const DecisionInput = z.strictObject({ by: optText(100), note: optText(2000) })
/** Approve; `remember` (ISO-8601 duration ≤ P90D, e.g. P7D) also makes a standing approval for these terms. */
export const ApproveInput = DecisionInput.extend({
  remember: z
    .string()
    .trim()
    .max(40)
    .refine((v) => parseRemember(v).ok, { message: 'must be an ISO-8601 duration from PT1M to P90D, like P7D' })
    .nullable()
    .optional(),
})
export const ContinueInput = z.strictObject({
  action: z.enum(['retry-step', 'skip-step', 'fail']),
  note: optText(2000),
})
/** `current` (default): a registered flow as it is now; `snapshot`: exactly the flow the run ran. */
export const RetryInput = z.strictObject({ flow: z.enum(['current', 'snapshot']).optional() })
/** Dismissing a failed run's blocker needs a note saying why. */
export const DismissInput = z.strictObject({ note: text(2000) })
/** Mark the run's step done; optionally attach the run's evidence to an evidence checkpoint. */
export const MarkDoneInput = z.strictObject({ checkpointId: idSchema.nullable().optional() })
export const ResumeInput = z.strictObject({ force: z.boolean().optional(), by: optText(100) })
/** One browser server of the pool: a Playwright browser server (or anything speaking its protocol). */
export const PoolEndpointInput = z.strictObject({
  name: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}$/, 'letters, digits, space, ".", "_" or "-" (at most 40)'),
  endpoint: z
    .string()
    .trim()
    .max(4096)
    .regex(/^wss?:\/\/[^\s/]+/, 'must be a ws:// or wss:// Playwright browser server endpoint'),
  capacity: z.number().int().min(1, 'at least 1 run at a time').max(64),
})
export type PoolEndpoint = z.infer<typeof PoolEndpointInput>
export const SettingsPatch = z.strictObject({
  'browser.executablePath': z.string().trim().min(1).max(4096).nullable().optional(),
  'browser.endpoint': z
    .string()
    .trim()
    .regex(/^wss?:\/\//, 'must be a ws:// or wss:// Playwright browser server endpoint')
    .max(4096)
    .nullable()
    .optional(),
  /** Browser servers runs are placed on (by free capacity); when set, browser.endpoint is not used. */
  'browser.pool': z
    .array(PoolEndpointInput)
    .max(32)
    .superRefine((list, ctx) => {
      const seen = new Set<string>()
      list.forEach((e, i) => {
        if (seen.has(e.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `the name "${e.name}" is used twice` })
        seen.add(e.name)
      })
    })
    .nullable()
    .optional(),
  'browser.headless': z.boolean().nullable().optional(),
  'runs.concurrency': z.number().int().min(1).max(16).nullable().optional(),
  'runs.trace': z.boolean().nullable().optional(),
  'commands.timeoutMs': z.number().int().min(1000).max(24 * 3600_000).nullable().optional(),
  /** Desktop: the name recorded for this person's actions (default: the OS user). */
  'operator.displayName': z.string().trim().min(1).max(100).nullable().optional(),
  /** Separation of duties: nobody approves a run they started. */
  'approvals.separateDuties': z.boolean().nullable().optional(),
  /** How long an approval may stay undecided before its run fails. */
  'approvals.deadlineMs': z.number().int().min(60_000).max(30 * 24 * 3600_000).nullable().optional(),
})
export const PolicyInput = z.strictObject({ source: z.string().max(1_000_000) })

export const SecretInput = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'letters, digits and _ only, not starting with a digit'),
  value: z.string().min(1).max(100_000),
})

const idParams = z.strictObject({ id: idSchema })
const nameParams = z.strictObject({ name: profileNameSchema })
const intQ = (max: number) => z.coerce.number().int().min(0).max(max)
/** A day (2026-11-27, UTC) or an ISO instant. */
const dateQ = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'must be an ISO date like 2026-12-01')
  .refine((v) => Number.isFinite(Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v)), 'is not a real date')
const boolQ = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')

interface RouteDef {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  path: string
  params?: z.ZodType
  query?: z.ZodType
  body?: z.ZodType
}

function route<const R extends RouteDef>(r: R): R {
  return r
}

export const routes = {
  health: route({ method: 'GET', path: '/api/health' }),
  summary: route({ method: 'GET', path: '/api/summary' }),
  listTracks: route({
    method: 'GET',
    path: '/api/tracks',
    query: z.strictObject({ state: z.enum(TRACK_STATES).optional(), limit: intQ(10_000).optional(), offset: intQ(1e9).optional() }),
  }),
  createTrack: route({ method: 'POST', path: '/api/tracks', body: TrackInput }),
  getTrack: route({ method: 'GET', path: '/api/tracks/:id', params: idParams }),
  updateTrack: route({ method: 'PATCH', path: '/api/tracks/:id', params: idParams, body: TrackPatch }),
  deleteTrack: route({ method: 'DELETE', path: '/api/tracks/:id', params: idParams }),
  addStep: route({ method: 'POST', path: '/api/tracks/:id/steps', params: idParams, body: StepInput }),
  addCheckpoint: route({ method: 'POST', path: '/api/tracks/:id/checkpoints', params: idParams, body: CheckpointInput }),
  addBlocker: route({ method: 'POST', path: '/api/tracks/:id/blockers', params: idParams, body: BlockerInput }),
  updateStep: route({ method: 'PATCH', path: '/api/steps/:id', params: idParams, body: StepPatch }),
  updateCheckpoint: route({ method: 'PATCH', path: '/api/checkpoints/:id', params: idParams, body: CheckpointPatch }),
  updateBlocker: route({ method: 'PATCH', path: '/api/blockers/:id', params: idParams, body: BlockerPatch }),
  listFlows: route({ method: 'GET', path: '/api/flows' }),
  createFlow: route({ method: 'POST', path: '/api/flows', body: FlowInput }),
  getFlow: route({ method: 'GET', path: '/api/flows/:id', params: idParams }),
  updateFlow: route({ method: 'PATCH', path: '/api/flows/:id', params: idParams, body: FlowPatch }),
  listFlowVersions: route({ method: 'GET', path: '/api/flows/:id/versions', params: idParams }),
  validateFlow: route({ method: 'POST', path: '/api/flows/validate', body: FlowValidateInput }),
  policyCheck: route({ method: 'POST', path: '/api/policy-check', body: PolicyCheckInput }),
  createRun: route({ method: 'POST', path: '/api/runs', body: RunInput }),
  listRuns: route({
    method: 'GET',
    path: '/api/runs',
    query: z.strictObject({
      status: z.enum(RUN_STATUSES).optional(),
      trackId: idSchema.optional(),
      flowId: idSchema.optional(),
      q: z.string().trim().max(200).optional(),
      from: dateQ.optional(),
      to: dateQ.optional(),
      limit: intQ(10_000).optional(),
      offset: intQ(1e9).optional(),
    }),
  }),
  getRun: route({ method: 'GET', path: '/api/runs/:id', params: idParams }),
  listEvents: route({
    method: 'GET',
    path: '/api/runs/:id/events',
    params: idParams,
    query: z.strictObject({ after: intQ(1e12).optional(), limit: intQ(10_000).optional() }),
  }),
  approveRun: route({ method: 'POST', path: '/api/runs/:id/approve', params: idParams, body: ApproveInput }),
  rejectRun: route({ method: 'POST', path: '/api/runs/:id/reject', params: idParams, body: DecisionInput }),
  cancelRun: route({ method: 'POST', path: '/api/runs/:id/cancel', params: idParams }),
  retryRun: route({ method: 'POST', path: '/api/runs/:id/retry', params: idParams, body: RetryInput }),
  dismissRun: route({ method: 'POST', path: '/api/runs/:id/dismiss', params: idParams, body: DismissInput }),
  markRunDone: route({ method: 'POST', path: '/api/runs/:id/mark-done', params: idParams, body: MarkDoneInput }),
  resumeRun: route({ method: 'POST', path: '/api/runs/:id/resume', params: idParams, body: ResumeInput }),
  continueRun: route({ method: 'POST', path: '/api/runs/:id/continue', params: idParams, body: ContinueInput }),
  reportRun: route({ method: 'POST', path: '/api/runs/:id/report', params: idParams }),
  listArtifacts: route({ method: 'GET', path: '/api/runs/:id/artifacts', params: idParams }),
  artifactContent: route({ method: 'GET', path: '/api/artifacts/:id/content', params: idParams }),
  runTrace: route({ method: 'GET', path: '/api/runs/:id/trace', params: idParams }),
  listApprovals: route({
    method: 'GET',
    path: '/api/approvals',
    query: z.strictObject({ status: z.enum(APPROVAL_STATUSES).optional() }),
  }),
  listStanding: route({ method: 'GET', path: '/api/approvals/standing' }),
  revokeStanding: route({ method: 'POST', path: '/api/approvals/standing/:id/revoke', params: idParams }),
  listAlerts: route({ method: 'GET', path: '/api/alerts', query: z.strictObject({ open: boolQ.optional() }) }),
  ackAlert: route({ method: 'POST', path: '/api/alerts/:id/ack', params: idParams }),
  needsYou: route({ method: 'GET', path: '/api/needs-you' }),
  runTimeline: route({ method: 'GET', path: '/api/runs/:id/timeline', params: idParams }),
  flowAnalytics: route({ method: 'GET', path: '/api/analytics/flows' }),
  failureAnalytics: route({ method: 'GET', path: '/api/analytics/failures' }),
  getSettings: route({ method: 'GET', path: '/api/settings' }),
  updateSettings: route({ method: 'PATCH', path: '/api/settings', body: SettingsPatch }),
  getPolicy: route({ method: 'GET', path: '/api/policy' }),
  putPolicy: route({ method: 'POST', path: '/api/policy', body: PolicyInput }),
  listSecrets: route({ method: 'GET', path: '/api/secrets' }),
  putSecret: route({ method: 'POST', path: '/api/secrets', body: SecretInput }),
  listSchedules: route({ method: 'GET', path: '/api/schedules' }),
  createSchedule: route({ method: 'POST', path: '/api/schedules', body: ScheduleInput }),
  getSchedule: route({ method: 'GET', path: '/api/schedules/:id', params: idParams }),
  updateSchedule: route({ method: 'PATCH', path: '/api/schedules/:id', params: idParams, body: SchedulePatch }),
  deleteSchedule: route({ method: 'DELETE', path: '/api/schedules/:id', params: idParams }),
  listProfiles: route({ method: 'GET', path: '/api/profiles' }),
  getProfile: route({ method: 'GET', path: '/api/profiles/:name', params: nameParams }),
  putProfile: route({ method: 'POST', path: '/api/profiles', body: ProfileInput }),
  checkProfile: route({ method: 'POST', path: '/api/profiles/:name/check', params: nameParams }),
  loginProfile: route({ method: 'POST', path: '/api/profiles/:name/login', params: nameParams }),
} as const

export type Routes = typeof routes
export type RouteName = keyof Routes

/** Roles, each including the ones before it: viewer < operator < approver < admin. */
export const ROLES = ['viewer', 'operator', 'approver', 'admin'] as const
export type Role = (typeof ROLES)[number]
/** Who is asking: a token's name and role (host mode) or the desktop user (an admin). Never null. */
export interface Actor {
  name: string
  role: Role
}
export function roleAllows(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need)
}

/**
 * The least role each route needs. viewer reads; operator starts, takes over, resumes,
 * cancels and edits tracks; approver also approves and rejects; admin changes policy,
 * settings and secrets (and tokens, from the CLI).
 */
export const ROUTE_ROLES: Record<RouteName, Role> = {
  health: 'viewer',
  summary: 'viewer',
  listTracks: 'viewer',
  createTrack: 'operator',
  getTrack: 'viewer',
  updateTrack: 'operator',
  deleteTrack: 'operator',
  addStep: 'operator',
  addCheckpoint: 'operator',
  addBlocker: 'operator',
  updateStep: 'operator',
  updateCheckpoint: 'operator',
  updateBlocker: 'operator',
  listFlows: 'viewer',
  createFlow: 'operator',
  getFlow: 'viewer',
  updateFlow: 'operator',
  listFlowVersions: 'viewer',
  validateFlow: 'viewer',
  policyCheck: 'viewer',
  createRun: 'operator',
  listRuns: 'viewer',
  getRun: 'viewer',
  listEvents: 'viewer',
  approveRun: 'approver',
  rejectRun: 'approver',
  cancelRun: 'operator',
  retryRun: 'operator',
  dismissRun: 'operator',
  markRunDone: 'operator',
  resumeRun: 'operator',
  continueRun: 'operator',
  reportRun: 'operator',
  listArtifacts: 'viewer',
  artifactContent: 'viewer',
  runTrace: 'viewer',
  listApprovals: 'viewer',
  listStanding: 'viewer',
  revokeStanding: 'approver',
  listAlerts: 'viewer',
  needsYou: 'viewer',
  runTimeline: 'viewer',
  ackAlert: 'operator',
  flowAnalytics: 'viewer',
  failureAnalytics: 'viewer',
  getSettings: 'viewer',
  updateSettings: 'admin',
  getPolicy: 'viewer',
  putPolicy: 'admin',
  listSecrets: 'viewer',
  putSecret: 'admin',
  listSchedules: 'viewer',
  getSchedule: 'viewer',
  // A schedule starts runs in the operator's stead, so it takes what starting a run takes.
  createSchedule: 'operator',
  updateSchedule: 'operator',
  deleteSchedule: 'operator',
  listProfiles: 'viewer',
  getProfile: 'viewer',
  putProfile: 'operator',
  checkProfile: 'operator',
  loginProfile: 'operator',
}

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined
type InferIn<T> = T extends z.ZodType ? z.input<T> : undefined
type Present<K extends string, V> = V extends undefined ? { [P in K]?: undefined } : { [P in K]: V }

/** What a handler receives after validation. */
export type RouteInput<N extends RouteName> = Present<'params', Infer<Routes[N] extends { params: infer P } ? P : undefined>> &
  Present<'query', Infer<Routes[N] extends { query: infer Q } ? Q : undefined>> &
  Present<'body', Infer<Routes[N] extends { body: infer B } ? B : undefined>>

/** What a client sends (before validation: query values may be strings). */
export type RouteRequest<N extends RouteName> = {
  params?: InferIn<Routes[N] extends { params: infer P } ? P : undefined>
  query?: Partial<Record<string, string | number | boolean | undefined>>
  body?: InferIn<Routes[N] extends { body: infer B } ? B : undefined>
}

export interface Health {
  ok: true
  version: string
  workspace: string
  schemaVersion: number
  /** Whether command runs are confined here; when not, every command needs approval. */
  sandbox: SandboxStatus
}
export interface FlowValidation {
  ok: boolean
  problems: { line: number; column: number; message: string; path?: string }[]
  name?: string
  steps?: number
  hash?: string
}
/** A saved flow with what a launcher needs to ask for: its parameters and profile. */
export interface FlowDetail extends FlowRecord {
  /** Declared parameters; null when the saved text no longer parses (e.g. a secret it names was removed). */
  params: Record<string, FlowParam> | null
  profile: string | null
  problems: FlowValidation['problems']
}
export interface FlowAnalyticsRow {
  flowName: string
  runs: number
  succeeded: number
  failed: number
  successRate: number
  medianDurationMs: number | null
  p90DurationMs: number | null
  takeoversPerRun: number
  meanWaitMs: number | null
  retries: number
}
export interface FailurePattern {
  signature: string
  count: number
  lastSeen: string
  exampleRunIds: string[]
}
/** What a waiting run needs from a person, and the one action that gives it. */
export type NeedKind = 'mfa' | 'approval' | 'assist'
export type NeedAction = 'take-over' | 'approve' | 'continue'
/** One run waiting for a person or a decision (GET /api/needs-you, oldest first). */
export interface NeedsYouItem {
  runId: string
  status: 'waiting-mfa' | 'waiting-approval' | 'waiting-assist'
  need: NeedKind
  action: NeedAction
  /** When the run started waiting (ISO): the list's order. */
  since: string
  /** What is needed, in words: the approval's reason or the prompt that stopped the run. */
  reason: string
  /** Flow name, else the command, else the run id. */
  title: string
  kind: Run['kind']
  trackId: string | null
  trackTitle: string | null
  stepId: string | null
  stepTitle: string | null
  /** The pending approval an Approve decides (approval needs only). */
  approvalId: string | null
  /** Where to take over (mfa and assist needs only). */
  takeoverUrl: string | null
  /** The schedule that started the run (its startedBy is schedule:<id>), else null. */
  scheduleId?: string | null
}
/** A step's state in the timeline (`waiting` while a person or a decision holds it). */
export type TimelineStepStatus = 'running' | 'waiting' | 'succeeded' | 'failed' | 'skipped' | 'canceled'
/** A screenshot kept during a step (evidence) or when it failed. */
export interface TimelineShot {
  artifactId: string
  name: string
  at: string
}
/** One flow step, its start and end events folded together (GET /api/runs/:id/timeline). */
export interface TimelineStep {
  index: number
  action: string
  label: string
  /** The flow source line, when the engine reported it. */
  line: number | null
  status: TimelineStepStatus
  startedAt: string
  endedAt: string | null
  /** Wall time from start to end (waits for a person included); null while it runs. */
  durationMs: number | null
  /** How many times the step started (a step runs again after a person got past a prompt). */
  attempts: number
  error: string | null
  /** Screenshots kept while the step ran or just after it, oldest first. */
  screenshots: TimelineShot[]
  failureShot: TimelineShot | null
  /** The step's first and last event sequence numbers, to find it in the raw log. */
  firstSeq: number
  lastSeq: number
}
/** A stretch the run spent waiting for a person or a decision. */
export interface TimelineWait {
  kind: 'approval' | 'mfa' | 'assist'
  startedAt: string
  endedAt: string | null
  durationMs: number | null
  /** Why it waited: the approval's reason or the prompt that stopped the run. */
  reason: string | null
  /** The step it happened in, if any. */
  stepIndex: number | null
  /** Who ended the wait (approved, rejected, resumed), when a person did. */
  by: string | null
  /** How it ended: approved, rejected, resume, forced, until-met, prompt-gone, retry-step, skip-step, fail, canceled... */
  outcome: string | null
  /** Who took over the page during the wait, in order. */
  people: string[]
  firstSeq: number
}
/** One line of command output, stdout and stderr kept apart; may carry ANSI colour codes. */
export interface TimelineOutputLine {
  seq: number
  ts: string
  stream: 'stdout' | 'stderr'
  text: string
}
export type TimelinePhase = PhaseOutcome
export interface RunTimeline {
  runId: string
  kind: Run['kind']
  status: Run['status']
  startedAt: string | null
  endedAt: string | null
  durationMs: number | null
  /** The phases with what really happened in each (a failed run's later phases are skipped, not done). */
  phases: TimelinePhase[]
  steps: TimelineStep[]
  waits: TimelineWait[]
  /** The last output lines (at most OUTPUT_LINES_KEPT), oldest first. */
  output: TimelineOutputLine[]
  /** How many output lines there were in all (more than `output` holds when cut). */
  outputLines: number
  exitCode: number | null
  /** The last event folded in. */
  lastSeq: number
}
export const OUTPUT_LINES_KEPT = 5000

export interface Page<T> {
  items: T[]
  total: number
}
/** Binary content travels as base64 over IPC; HTTP streams it raw. */
export interface ArtifactContent {
  contentType: string
  fileName: string
  path: string
}

/** Workspace settings (browser path, concurrency, remote endpoint...): JSON values by key. */
export interface WorkspaceSettings {
  'browser.executablePath'?: string
  'browser.endpoint'?: string
  'browser.pool'?: PoolEndpoint[]
  'browser.headless'?: boolean
  'runs.concurrency'?: number
  'runs.trace'?: boolean
  'commands.timeoutMs'?: number
  'operator.displayName'?: string
  'approvals.separateDuties'?: boolean
  'approvals.deadlineMs'?: number
}

export interface WorkspaceSettingsView {
  workspace: string
  settings: WorkspaceSettings
  /** The browser runs would use now, or why none can be found. */
  browser: { path: string | null; problem: string | null; remote: string | null }
  /** The browser servers of `browser.pool` as the engine sees them now (empty: no pool). */
  pool?: PoolEndpointStatus[]
  /** Who this session acts as (the token's name and role, or the desktop user). */
  you?: Actor
}
/** A pool endpoint's health: `unknown` until first used, `down` with the reason it stopped answering. */
export interface PoolEndpointStatus {
  name: string
  endpoint: string
  capacity: number
  state: 'unknown' | 'up' | 'down'
  /** Runs holding a browser there now. */
  running: number
  reason: string | null
  /** When the state last changed (ISO), null before first use. */
  since: string | null
}
export interface PolicyView {
  /** Where the stored policy is exported (policy.yaml); editing that file changes nothing. */
  path: string
  /** Whether a policy has been stored (else the shipped defaults apply). */
  exists: boolean
  /** The stored policy, or the shipped defaults when there is none. */
  source: string
  problems: { line: number; column: number; message: string }[]
  /** Every stored change, oldest first. */
  changes?: PolicyChange[]
}
/** One change of the stored policy: when, who (null only in changes stored before identities), what. */
export interface PolicyChange {
  at: string
  by: string | null
  /** `-removed` / `+added` lines. */
  diff: string
}

export interface RouteOutputs {
  health: Health
  summary: Summary
  listTracks: Track[]
  createTrack: Track
  getTrack: Track
  updateTrack: Track
  deleteTrack: { deleted: true; id: string }
  addStep: Step
  addCheckpoint: Checkpoint
  addBlocker: Blocker
  updateStep: Step
  updateCheckpoint: Checkpoint
  updateBlocker: Blocker
  listFlows: FlowRecord[]
  createFlow: FlowRecord
  getFlow: FlowDetail
  updateFlow: FlowRecord
  listFlowVersions: FlowVersion[]
  validateFlow: FlowValidation
  policyCheck: PolicyResult
  createRun: Run
  listRuns: Page<Run>
  getRun: Run
  listEvents: { events: RunEvent[]; last: number }
  approveRun: Run
  rejectRun: Run
  cancelRun: Run
  retryRun: Run
  dismissRun: Run
  markRunDone: Run
  resumeRun: Run
  continueRun: Run
  reportRun: Artifact
  listArtifacts: Artifact[]
  artifactContent: ArtifactContent
  /** The run's trace segments stitched into one zip (runs/trace-stitch.ts). */
  runTrace: ArtifactContent
  listApprovals: Approval[]
  listStanding: StandingApproval[]
  revokeStanding: StandingApproval
  listAlerts: Alert[]
  ackAlert: Alert
  needsYou: NeedsYouItem[]
  runTimeline: RunTimeline
  flowAnalytics: FlowAnalyticsRow[]
  failureAnalytics: FailurePattern[]
  getSettings: WorkspaceSettingsView
  updateSettings: WorkspaceSettingsView
  getPolicy: PolicyView
  putPolicy: PolicyView
  listSecrets: { name: string; createdAt: string; updatedAt: string }[]
  putSecret: { name: string; createdAt: string; updatedAt: string }
  listSchedules: Schedule[]
  createSchedule: Schedule
  getSchedule: Schedule
  updateSchedule: Schedule
  deleteSchedule: { deleted: true; id: string }
  listProfiles: ProfileView[]
  getProfile: ProfileView
  putProfile: ProfileView
  checkProfile: Run
  loginProfile: Run
}
export type RouteOutput<N extends RouteName> = RouteOutputs[N]

/** `name_taken` (409): a flow is saved under a name another flow has, without `overwrite`. */
export const ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'name_taken',
  'rate_limited',
  'internal',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]
/** One located problem in a flow file (line and column are 1-based). */
export interface ProblemLocation {
  line: number
  column: number
  message: string
}
export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; field?: string; problems?: ProblemLocation[] }
}

export { buildPath } from './route-paths'

/** The live stream: one typed map of change notifications (the renderer refetches what changed). */
export interface StreamEvents {
  hello: { at: string }
  'track.changed': { trackId: string; deleted?: boolean }
  'run.changed': { runId: string; status: string; trackId: string | null }
  'run.event': { runId: string; seq: number; type: string }
  'alert.changed': { alertId: string }
  'approval.changed': { approvalId: string; runId: string }
  'flow.changed': { flowId: string }
  'schedule.changed': { scheduleId: string; deleted?: boolean }
  'profile.changed': { name: string }
}
export type StreamEventName = keyof StreamEvents
export interface StreamMessage<K extends StreamEventName = StreamEventName> {
  type: K
  data: StreamEvents[K]
}
