// Runs waiting for a person or a decision, oldest wait first: what each needs and the one
// action that gives it. Read straight from the runs and their event chains, so the list is
// as current as the store and nothing has to be kept in step with it.
import type { NeedsYouItem } from '../../../shared/api'
import { WAITING_RUN_STATUSES, type Run } from '../../../shared/domain'
import { scheduleIdOf } from '../../../shared/schedules'
import { cached, type Store } from './db'
import { getRun } from './runs'

interface WaitRow {
  id: string
  since: string | null
  status_reason: string | null
  approval_id: string | null
  approval_reason: string | null
  prompt: string | null
  track_title: string | null
  step_title: string | null
}

/** `describe` turns the latest mfa.detected event's data into words. */
export function listNeedsYou(
  store: Store,
  opts: { takeoverPath: (runId: string) => string | null; describePrompt: (data: Record<string, unknown>) => string },
): NeedsYouItem[] {
  // The wait began with the latest run.status event into the status the run has now.
  const rows = cached(store.sqlite, 
      `SELECT r.id,
         w.ts AS since, json_extract(w.data, '$.reason') AS status_reason,
         a.id AS approval_id, a.reason AS approval_reason,
         (SELECT data FROM run_events m WHERE m.run_id = r.id AND m.type = 'mfa.detected' ORDER BY m.seq DESC LIMIT 1) AS prompt,
         t.title AS track_title, s.title AS step_title
       FROM runs r
       LEFT JOIN run_events w ON w.run_id = r.id AND w.seq = (
         SELECT max(e.seq) FROM run_events e
          WHERE e.run_id = r.id AND e.type = 'run.status' AND json_extract(e.data, '$.to') = r.status)
       LEFT JOIN approvals a ON a.id = (
         SELECT p.id FROM approvals p WHERE p.run_id = r.id AND p.status = 'pending' ORDER BY p.requested_at DESC LIMIT 1)
       LEFT JOIN tracks t ON t.id = r.track_id
       LEFT JOIN steps s ON s.id = r.step_id
       WHERE r.status IN (SELECT value FROM json_each(?))
       ORDER BY coalesce(w.ts, r.created_at) ASC, r.rowid ASC`,
    )
    .all(JSON.stringify(WAITING_RUN_STATUSES)) as WaitRow[]
  const items: NeedsYouItem[] = []
  for (const row of rows) {
    const run = getRun(store, row.id)
    if (!run) continue
    items.push(itemFor(run, row, opts))
  }
  return items
}

function itemFor(
  run: Run,
  row: WaitRow,
  opts: { takeoverPath: (runId: string) => string | null; describePrompt: (data: Record<string, unknown>) => string },
): NeedsYouItem {
  const base = {
    runId: run.id,
    since: row.since ?? run.createdAt,
    title: run.flowName ?? run.command ?? run.id,
    kind: run.kind,
    trackId: run.trackId,
    trackTitle: row.track_title,
    stepId: run.stepId,
    stepTitle: row.step_title,
    scheduleId: scheduleIdOf(run.startedBy),
  }
  if (run.status === 'waiting-approval') {
    return {
      ...base,
      status: 'waiting-approval',
      need: 'approval',
      action: 'approve',
      reason: row.approval_reason ?? row.status_reason ?? 'Needs approval',
      approvalId: row.approval_id,
      takeoverUrl: null,
    }
  }
  if (run.status === 'waiting-assist') {
    return {
      ...base,
      status: 'waiting-assist',
      need: 'assist',
      action: 'continue',
      reason: row.status_reason ?? 'A step failed; decide how the run goes on',
      approvalId: null,
      takeoverUrl: opts.takeoverPath(run.id),
    }
  }
  const prompt = row.prompt ? (JSON.parse(row.prompt) as Record<string, unknown>) : null
  return {
    ...base,
    status: 'waiting-mfa',
    need: 'mfa',
    action: 'take-over',
    reason: prompt ? opts.describePrompt(prompt) : (row.status_reason ?? 'Waiting for a person'),
    approvalId: null,
    takeoverUrl: opts.takeoverPath(run.id),
  }
}
