// The derived parts of a track, exactly as DESIGN.md states them. Pure functions over
// counts ("facts") so the same rules serve one card and a 10,000-track summary query.
import type { Checkpoint, CheckpointState, StepState, Summary, TrackState } from '../../../shared/domain'
import { loginWaitingOn } from '../../../shared/profiles'

export interface TrackFacts {
  /** Core steps that count toward progress (skipped ones are not owed and do not count). */
  coreTotal: number
  coreDone: number
  blockedSteps: number
  checkpointsTotal: number
  checkpointsPassed: number
  failedCheckpoints: number
  waitingCheckpoints: number
  openBlockers: number
  /** Linked runs failed or blocked that nobody has resolved yet. */
  unresolvedFailedRuns: number
  waitingMfaRuns: number
  waitingApprovalRuns: number
  /** A profile this track's runs use is stale: the track waits for someone to log it in. */
  waitingLogin: string | null
}

export const EMPTY_FACTS: TrackFacts = {
  coreTotal: 0,
  coreDone: 0,
  blockedSteps: 0,
  checkpointsTotal: 0,
  checkpointsPassed: 0,
  failedCheckpoints: 0,
  waitingCheckpoints: 0,
  openBlockers: 0,
  unresolvedFailedRuns: 0,
  waitingMfaRuns: 0,
  waitingApprovalRuns: 0,
  waitingLogin: null,
}

export function progressOf(f: Pick<TrackFacts, 'coreTotal' | 'coreDone'>): number {
  return f.coreTotal === 0 ? 0 : f.coreDone / f.coreTotal
}

/** blocked > waiting > done > active. */
export function stateOf(f: TrackFacts): TrackState {
  if (f.blockedSteps > 0 || f.failedCheckpoints > 0 || f.openBlockers > 0 || f.unresolvedFailedRuns > 0)
    return 'blocked'
  if (f.waitingMfaRuns > 0 || f.waitingApprovalRuns > 0 || f.waitingCheckpoints > 0 || f.waitingLogin) return 'waiting'
  // A track with nothing to do yet is not "done": done needs at least one finished core step.
  if (f.coreTotal > 0 && f.coreDone === f.coreTotal && f.checkpointsPassed === f.checkpointsTotal) return 'done'
  return 'active'
}

export const MFA_WAITING_ON = 'MFA / operator login assist'
export const APPROVAL_WAITING_ON = 'Approval decision'

/** A waiting run says what the track waits on; otherwise the operator's own words stand. */
export function waitingOnOf(f: TrackFacts, stored: string | null): string | null {
  if (f.waitingMfaRuns > 0) return MFA_WAITING_ON
  if (f.waitingApprovalRuns > 0) return APPROVAL_WAITING_ON
  if (f.waitingLogin) return loginWaitingOn(f.waitingLogin)
  return stored
}

export function nextCheckpointOf<C extends Pick<Checkpoint, 'ordinal' | 'state'>>(checkpoints: C[]): C | null {
  const open = checkpoints.filter((c) => c.state !== 'passed').sort((a, b) => a.ordinal - b.ordinal)
  return open[0] ?? null
}

/** Facts from in-memory children (the per-card path); the summary path computes them in SQL. */
export function factsFrom(
  steps: { state: StepState; core: boolean }[],
  checkpoints: { state: CheckpointState }[],
  blockers: { open: boolean }[],
  runs: { status: string; resolved: boolean }[],
  waitingLogin: string | null = null,
): TrackFacts {
  const core = steps.filter((s) => s.core && s.state !== 'skipped')
  return {
    coreTotal: core.length,
    coreDone: core.filter((s) => s.state === 'done').length,
    blockedSteps: steps.filter((s) => s.state === 'blocked').length,
    checkpointsTotal: checkpoints.length,
    checkpointsPassed: checkpoints.filter((c) => c.state === 'passed').length,
    failedCheckpoints: checkpoints.filter((c) => c.state === 'failed').length,
    waitingCheckpoints: checkpoints.filter((c) => c.state === 'waiting').length,
    openBlockers: blockers.filter((b) => b.open).length,
    unresolvedFailedRuns: runs.filter((r) => (r.status === 'failed' || r.status === 'blocked') && !r.resolved).length,
    waitingMfaRuns: runs.filter((r) => r.status === 'waiting-mfa' || r.status === 'waiting-assist').length,
    waitingApprovalRuns: runs.filter((r) => r.status === 'waiting-approval').length,
    waitingLogin,
  }
}

export function summarize(items: { state: TrackState; progress: number }[]): Summary {
  const counts: Record<TrackState, number> = { active: 0, waiting: 0, blocked: 0, done: 0 }
  let progress = 0
  for (const i of items) {
    counts[i.state]++
    progress += i.progress
  }
  return summaryFromCounts(counts, progress, items.length)
}

/** The summary from per-state counts and the sum of progress (for one-pass callers). */
export function summaryFromCounts(counts: Record<TrackState, number>, progressSum: number, total: number): Summary {
  const avg = total === 0 ? 0 : progressSum / total
  return { ...counts, total, averageProgress: Math.round(avg * 1000) / 1000 }
}

// ── how tracks and runs follow each other (DESIGN.md "Track") ──────────────────────────

/** Statuses of a linked run that block its track until someone resolves it. */
export const BLOCKING_RUN_STATUSES = ['failed', 'blocked'] as const
export const isBlockingStatus = (status: string): boolean => (BLOCKING_RUN_STATUSES as readonly string[]).includes(status)

/**
 * The state a step takes when a run starts from it: work on it has begun, so it is active.
 * A step a person already marked done or skipped keeps that decision (a run for evidence
 * must not reopen it).
 */
export function stepStateOnRunStart(current: StepState): StepState {
  return current === 'done' || current === 'skipped' ? current : 'active'
}

/** A run blocks its track while it failed (or was blocked by policy) and nobody resolved it. */
export function runBlocks(run: { status: string; resolvedAt: string | null }): boolean {
  return isBlockingStatus(run.status) && run.resolvedAt === null
}

/** A successful run offers "mark done" while its step is still owed. */
export function offersMarkDone(run: { status: string }, step: { state: StepState }): boolean {
  return run.status === 'succeeded' && step.state !== 'done' && step.state !== 'skipped'
}

export type FollowUpRefusal = { ok: false; reason: string; kind: 'conflict' | 'bad_request'; field?: string }
export type FollowUpCheck = { ok: true } | FollowUpRefusal

/** A person may dismiss a blocking run, with a note saying why. */
export function canDismiss(run: { id: string; status: string; resolvedAt: string | null }, note: string | null): FollowUpCheck {
  if (!isBlockingStatus(run.status))
    return { ok: false, kind: 'conflict', reason: `Run ${run.id} is ${run.status}; only a failed or blocked run can be dismissed` }
  if (run.resolvedAt !== null) return { ok: false, kind: 'conflict', reason: `Run ${run.id} was already resolved` }
  if (!note || !note.trim())
    return { ok: false, kind: 'bad_request', field: 'note', reason: 'Say why the failure no longer matters: a dismissal needs a note' }
  return { ok: true }
}

/**
 * "Mark done" from a run: the run succeeded and started from a step; evidence goes only to an
 * evidence checkpoint of the same track.
 */
export function canMarkDone(
  run: { id: string; status: string; stepId: string | null; trackId: string | null },
  checkpoint: { id: string; trackId: string; kind: string } | null,
): FollowUpCheck {
  if (run.status !== 'succeeded')
    return { ok: false, kind: 'conflict', reason: `Run ${run.id} is ${run.status}; only a successful run can mark its step done` }
  if (!run.stepId) return { ok: false, kind: 'conflict', reason: `Run ${run.id} was not started from a step` }
  if (checkpoint && checkpoint.trackId !== run.trackId)
    return { ok: false, kind: 'bad_request', field: 'checkpointId', reason: `Checkpoint ${checkpoint.id} belongs to another track` }
  if (checkpoint && checkpoint.kind !== 'evidence')
    return { ok: false, kind: 'bad_request', field: 'checkpointId', reason: `Checkpoint ${checkpoint.id} is a ${checkpoint.kind} checkpoint, not an evidence one` }
  return { ok: true }
}
