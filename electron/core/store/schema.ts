// Drizzle schema for a workspace database. drizzle-kit generates the SQL migrations from
// this file (npm run db:generate); never edit an applied migration, add a new one.
import { sql } from 'drizzle-orm'
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`

export const tracks = sqliteTable('tracks', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  objective: text('objective'),
  owner: text('owner'),
  due: text('due'),
  nextAction: text('next_action'),
  waitingOn: text('waiting_on'),
  createdAt: text('created_at').notNull().default(now),
  updatedAt: text('updated_at').notNull().default(now),
  // Counters kept by triggers (migration 0001) so state and progress of 10,000 tracks
  // come from one table scan instead of aggregating every step, checkpoint and run.
  coreTotal: integer('core_total').notNull().default(0),
  coreDone: integer('core_done').notNull().default(0),
  blockedSteps: integer('blocked_steps').notNull().default(0),
  checkpointsTotal: integer('checkpoints_total').notNull().default(0),
  checkpointsPassed: integer('checkpoints_passed').notNull().default(0),
  failedCheckpoints: integer('failed_checkpoints').notNull().default(0),
  waitingCheckpoints: integer('waiting_checkpoints').notNull().default(0),
  openBlockers: integer('open_blockers').notNull().default(0),
  unresolvedFailedRuns: integer('unresolved_failed_runs').notNull().default(0),
  waitingMfaRuns: integer('waiting_mfa_runs').notNull().default(0),
  waitingApprovalRuns: integer('waiting_approval_runs').notNull().default(0),
  // The profile whose login this track waits for (set while that profile is stale); not a
  // trigger counter: the profile service sets and clears it when the profile's health changes.
  waitingLogin: text('waiting_login'),
})

export const steps = sqliteTable(
  'steps',
  {
    id: text('id').primaryKey(),
    trackId: text('track_id')
      .notNull()
      .references(() => tracks.id, { onDelete: 'cascade' }),
    ordinal: integer('ordinal').notNull(),
    title: text('title').notNull(),
    state: text('state', { enum: ['queued', 'active', 'done', 'blocked', 'skipped'] }).notNull().default('queued'),
    owner: text('owner'),
    note: text('note'),
    core: integer('core', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [index('steps_track_idx').on(t.trackId, t.ordinal)],
)

export const checkpoints = sqliteTable(
  'checkpoints',
  {
    id: text('id').primaryKey(),
    trackId: text('track_id')
      .notNull()
      .references(() => tracks.id, { onDelete: 'cascade' }),
    ordinal: integer('ordinal').notNull(),
    title: text('title').notNull(),
    kind: text('kind', { enum: ['review', 'evidence', 'approval', 'policy', 'handoff'] }).notNull(),
    state: text('state', { enum: ['pending', 'ready', 'waiting', 'passed', 'failed'] }).notNull().default('pending'),
    owner: text('owner'),
    note: text('note'),
    runId: text('run_id'),
    approvalId: text('approval_id'),
  },
  (t) => [index('checkpoints_track_idx').on(t.trackId, t.ordinal)],
)

export const blockers = sqliteTable(
  'blockers',
  {
    id: text('id').primaryKey(),
    trackId: text('track_id')
      .notNull()
      .references(() => tracks.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    note: text('note'),
    owner: text('owner'),
    open: integer('open', { mode: 'boolean' }).notNull().default(true),
    createdAt: text('created_at').notNull().default(now),
    resolvedAt: text('resolved_at'),
  },
  (t) => [index('blockers_track_idx').on(t.trackId)],
)

export const flows = sqliteTable(
  'flows',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    source: text('source').notNull(),
    hash: text('hash').notNull(),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [uniqueIndex('flows_name_idx').on(t.name)],
)

/** Every saved text of a flow, numbered from 1 per flow: who saved it, when, its hash. */
export const flowVersions = sqliteTable(
  'flow_versions',
  {
    flowId: text('flow_id')
      .notNull()
      .references(() => flows.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    name: text('name').notNull(),
    source: text('source').notNull(),
    hash: text('hash').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.flowId, t.version] })],
)

export const profiles = sqliteTable('profiles', {
  name: text('name').primaryKey(),
  createdAt: text('created_at').notNull().default(now),
  lastUsedAt: text('last_used_at'),
  // The login check (url, logged-in condition, login page, interval, lead time); null: none set.
  check: text('check', { mode: 'json' }).$type<Record<string, unknown>>(),
  // ok | stale | unknown, as the last check or login left it ('checking' is live, never stored).
  healthState: text('health_state', { enum: ['ok', 'stale', 'unknown'] }).notNull().default('unknown'),
  healthReason: text('health_reason'),
  checkedAt: text('checked_at'),
})

export const runs = sqliteTable(
  'runs',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['browser', 'command', 'check', 'login'] }).notNull(),
    status: text('status').notNull(),
    phase: text('phase').notNull().default('planning'),
    attempt: integer('attempt').notNull().default(1),
    retryOf: text('retry_of'),
    trackId: text('track_id').references(() => tracks.id, { onDelete: 'set null' }),
    stepId: text('step_id').references(() => steps.id, { onDelete: 'set null' }),
    flowId: text('flow_id').references(() => flows.id, { onDelete: 'set null' }),
    flowName: text('flow_name'),
    flowSource: text('flow_source'),
    flowHash: text('flow_hash'),
    command: text('command'),
    cwd: text('cwd'),
    params: text('params', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
    policyVerdict: text('policy_verdict'),
    policyRisk: text('policy_risk'),
    policyReasons: text('policy_reasons', { mode: 'json' }).$type<string[]>(),
    progressCurrent: integer('progress_current').notNull().default(0),
    progressTotal: integer('progress_total').notNull().default(0),
    progressLabel: text('progress_label'),
    createdAt: text('created_at').notNull().default(now),
    startedAt: text('started_at'),
    endedAt: text('ended_at'),
    error: text('error'),
    outputs: text('outputs', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
    exitCode: integer('exit_code'),
    // Set when an operator dealt with a failed/blocked run so it stops blocking its track.
    resolvedAt: text('resolved_at'),
    // How the failure stopped blocking its track (succeeded-later | retried | dismissed), who
    // resolved it, their note (a dismissal needs one) and the run that carried the work on.
    resolution: text('resolution'),
    resolvedBy: text('resolved_by'),
    resolutionNote: text('resolution_note'),
    resolvedByRun: text('resolved_by_run'),
    // The chain's head, kept beside the run so deleting trailing events is detected too.
    headSeq: integer('head_seq').notNull().default(0),
    headHash: text('head_hash'),
    // Which process drives the run (pid@host) and when it last said so: start-up marks a run
    // interrupted only when its owner is gone, never a run another live process is driving.
    owner: text('owner'),
    heartbeatAt: text('heartbeat_at'),
    // Who started the run (token name or desktop user); 'system' for runs from before identities.
    startedBy: text('started_by'),
    // assist | fail: what a failing browser step does when the flow does not say.
    onFailure: text('on_failure'),
    // The persistent browser profile the run used (its flow's `profile`, or the profile a check/login run is for).
    profile: text('profile'),
    // The process group a command run started (pid, /proc start time, boot id), set when it
    // starts and cleared when it ends: start-up recovery ends an orphan only if it is provably
    // this one.
    pid: integer('pid'),
    pidStartTime: text('pid_start_time'),
    pidBootId: text('pid_boot_id'),
    // While the run waits (for MFA, assist or approval): since when, and when the wait times out.
    waitStartedAt: text('wait_started_at'),
    waitDeadlineAt: text('wait_deadline_at'),
  },
  (t) => [
    index('runs_status_idx').on(t.status, t.createdAt),
    index('runs_track_idx').on(t.trackId, t.createdAt),
    index('runs_created_idx').on(t.createdAt),
    index('runs_flow_idx').on(t.flowName, t.createdAt),
    index('runs_step_idx').on(t.stepId, t.createdAt),
    index('runs_profile_idx').on(t.profile, t.createdAt),
  ],
)

export const runEvents = sqliteTable(
  'run_events',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    ts: text('ts').notNull(),
    type: text('type').notNull(),
    data: text('data').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.seq] }), index('run_events_type_idx').on(t.type)],
)

export const approvals = sqliteTable(
  'approvals',
  {
    id: text('id').primaryKey(),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    trackId: text('track_id'),
    reason: text('reason').notNull(),
    status: text('status', { enum: ['pending', 'approved', 'rejected'] }).notNull().default('pending'),
    requestedAt: text('requested_at').notNull().default(now),
    decidedAt: text('decided_at'),
    decidedBy: text('decided_by'),
    note: text('note'),
    // What the approver sees: flow, hash, step, params, origins, reasons, evidence, who asked.
    context: text('context', { mode: 'json' }).$type<Record<string, unknown>>(),
    // After this instant an undecided approval fails its run with the reason.
    deadlineAt: text('deadline_at'),
  },
  (t) => [index('approvals_status_idx').on(t.status), index('approvals_run_idx').on(t.runId)],
)

export const alerts = sqliteTable(
  'alerts',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['mfa-needed', 'approval-needed', 'assist-needed', 'run-failed', 'stale-wait', 'login-stale'] }).notNull(),
    runId: text('run_id'),
    trackId: text('track_id'),
    message: text('message').notNull(),
    createdAt: text('created_at').notNull().default(now),
    ackedAt: text('acked_at'),
  },
  (t) => [index('alerts_open_idx').on(t.ackedAt), index('alerts_track_idx').on(t.trackId)],
)

export const artifacts = sqliteTable(
  'artifacts',
  {
    id: text('id').primaryKey(),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['screenshot', 'trace', 'download', 'report'] }).notNull(),
    name: text('name').notNull(),
    path: text('path').notNull(),
    sha256: text('sha256').notNull(),
    bytes: integer('bytes').notNull(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('artifacts_run_idx').on(t.runId)],
)

export const secrets = sqliteTable('secrets', {
  name: text('name').primaryKey(),
  // AES-256-GCM or safeStorage ciphertext; the plaintext never touches this database.
  ciphertext: blob('ciphertext', { mode: 'buffer' }).notNull(),
  scheme: text('scheme', { enum: ['aes-256-gcm', 'safe-storage'] }).notNull(),
  createdAt: text('created_at').notNull().default(now),
  updatedAt: text('updated_at').notNull().default(now),
})

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
})

/** Host-mode API tokens: only the sha256 of the token is kept, never the token itself. */
export const tokens = sqliteTable('tokens', {
  name: text('name').primaryKey(),
  role: text('role', { enum: ['viewer', 'operator', 'approver', 'admin'] }).notNull(),
  hash: text('hash').notNull().unique(),
  createdAt: text('created_at').notNull().default(now),
  lastUsedAt: text('last_used_at'),
})

/**
 * Standing approvals ("approve and remember for N days"): a later run whose terms are
 * identical (terms_text) proceeds without asking until expires_at, unless revoked. The id is
 * the approval that was decided with `remember`.
 */
export const standingApprovals = sqliteTable(
  'standing_approvals',
  {
    id: text('id').primaryKey(),
    runId: text('run_id').notNull(),
    scope: text('scope').notNull(),
    reason: text('reason').notNull(),
    terms: text('terms', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    // The flattened terms a reuse is matched by (shared/terms.ts termsText).
    termsText: text('terms_text').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull().default(now),
    expiresAt: text('expires_at').notNull(),
    revokedAt: text('revoked_at'),
    revokedBy: text('revoked_by'),
    lastUsedAt: text('last_used_at'),
    uses: integer('uses').notNull().default(0),
  },
  (t) => [index('standing_terms_idx').on(t.termsText), index('standing_scope_idx').on(t.scope, t.createdAt)],
)

/**
 * Schedules: a flow started on a cron expression. `since` is where counting slots starts
 * (creation, or the last change to when it runs); `last_slot_at` is the last scheduled time
 * handled (fired, skipped or missed) and doubles as the claim a firing process takes, so two
 * processes on one workspace never start the same slot twice.
 */
export const schedules = sqliteTable(
  'schedules',
  {
    id: text('id').primaryKey(),
    name: text('name'),
    flowId: text('flow_id')
      .notNull()
      .references(() => flows.id, { onDelete: 'cascade' }),
    cron: text('cron').notNull(),
    timezone: text('timezone').notNull(),
    params: text('params', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
    trackId: text('track_id').references(() => tracks.id, { onDelete: 'set null' }),
    stepId: text('step_id').references(() => steps.id, { onDelete: 'set null' }),
    missed: text('missed', { enum: ['skip', 'once'] }).notNull().default('skip'),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
    since: text('since').notNull(),
    lastSlotAt: text('last_slot_at'),
    lastRunId: text('last_run_id'),
    lastOutcome: text('last_outcome'),
    lastError: text('last_error'),
  },
  (t) => [index('schedules_flow_idx').on(t.flowId)],
)
