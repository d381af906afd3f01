// Schedule repository: rows only. When a schedule fires is the scheduler's business; the
// one rule kept here is the claim on a scheduled time (claimSlot), a compare-and-set so two
// processes sharing a workspace never both start it.
import type { RunStatus } from '../../../shared/domain'
import type { Schedule, ScheduleMissed, ScheduleOutcome } from '../../../shared/schedules'
import { newId, nowIso } from '../ids'
import { cached, type Store } from './db'

/**
 * A stored schedule, before what is derived from it (next times), plus `since`: when it was
 * created, given another time or switched back on; no earlier scheduled time counts as missed.
 */
export type ScheduleRecord = Omit<Schedule, 'nextRuns'> & { since: string }

interface Row {
  id: string
  name: string | null
  flow_id: string
  flow_name: string | null
  cron: string
  timezone: string
  params: string
  track_id: string | null
  step_id: string | null
  missed: ScheduleMissed
  enabled: number
  created_by: string
  created_at: string
  updated_at: string
  since: string
  last_slot_at: string | null
  last_outcome: ScheduleOutcome | null
  last_error: string | null
  last_run_id: string | null
  last_run_status: RunStatus | null
}

const SELECT = `SELECT s.*, f.name AS flow_name, r.status AS last_run_status
  FROM schedules s LEFT JOIN flows f ON f.id = s.flow_id LEFT JOIN runs r ON r.id = s.last_run_id`

const toRecord = (r: Row): ScheduleRecord => ({
  id: r.id,
  name: r.name,
  flowId: r.flow_id,
  flowName: r.flow_name ?? r.flow_id,
  cron: r.cron,
  timezone: r.timezone,
  params: JSON.parse(r.params) as Record<string, string>,
  trackId: r.track_id,
  stepId: r.step_id,
  missed: r.missed,
  enabled: r.enabled === 1,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  since: r.since,
  lastSlotAt: r.last_slot_at,
  lastOutcome: r.last_outcome,
  lastError: r.last_error,
  lastRunId: r.last_run_id,
  lastRunStatus: r.last_run_status,
})

/** What a new schedule is made of: the record without what the store assigns or records later. */
export type NewSchedule = Omit<
  ScheduleRecord,
  'id' | 'flowName' | 'createdAt' | 'updatedAt' | 'lastSlotAt' | 'lastOutcome' | 'lastError' | 'lastRunId' | 'lastRunStatus'
>

export function insertSchedule(store: Store, s: NewSchedule): ScheduleRecord {
  const id = newId('sch')
  const at = nowIso()
  cached(
    store.sqlite,
    `INSERT INTO schedules (id, name, flow_id, cron, timezone, params, track_id, step_id, missed, enabled, created_by, created_at, updated_at, since)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    s.name,
    s.flowId,
    s.cron,
    s.timezone,
    JSON.stringify(s.params),
    s.trackId,
    s.stepId,
    s.missed,
    s.enabled ? 1 : 0,
    s.createdBy,
    at,
    at,
    s.since,
  )
  return getSchedule(store, id)!
}

export function getSchedule(store: Store, id: string): ScheduleRecord | null {
  const r = cached(store.sqlite, `${SELECT} WHERE s.id = ?`).get(id) as Row | undefined
  return r ? toRecord(r) : null
}

export function listSchedules(store: Store): ScheduleRecord[] {
  return (cached(store.sqlite, `${SELECT} ORDER BY s.created_at, s.id`).all() as Row[]).map(toRecord)
}

export type SchedulePatch = Partial<Omit<NewSchedule, 'createdBy'>>

const COLUMNS: Record<keyof SchedulePatch, string> = {
  name: 'name',
  flowId: 'flow_id',
  cron: 'cron',
  timezone: 'timezone',
  params: 'params',
  trackId: 'track_id',
  stepId: 'step_id',
  missed: 'missed',
  enabled: 'enabled',
  since: 'since',
}

export function updateSchedule(store: Store, id: string, patch: SchedulePatch): ScheduleRecord | null {
  const sets: string[] = ['updated_at = ?']
  const values: unknown[] = [nowIso()]
  for (const [key, value] of Object.entries(patch) as [keyof SchedulePatch, unknown][]) {
    if (value === undefined) continue
    sets.push(`${COLUMNS[key]} = ?`)
    values.push(key === 'params' ? JSON.stringify(value) : key === 'enabled' ? (value ? 1 : 0) : value)
  }
  cached(store.sqlite, `UPDATE schedules SET ${sets.join(', ')} WHERE id = ?`).run(...values, id)
  return getSchedule(store, id)
}

export function deleteSchedule(store: Store, id: string): boolean {
  return cached(store.sqlite, 'DELETE FROM schedules WHERE id = ?').run(id).changes > 0
}

/**
 * Takes a scheduled time for this process: true only for the first caller, and only while
 * the schedule is enabled and the time is later than the last one handled.
 */
export function claimSlot(store: Store, id: string, slotAt: string): boolean {
  return (
    cached(
      store.sqlite,
      `UPDATE schedules SET last_slot_at = ? WHERE id = ? AND enabled = 1 AND (last_slot_at IS NULL OR last_slot_at < ?)`,
    ).run(slotAt, id, slotAt).changes > 0
  )
}

export function recordOutcome(
  store: Store,
  id: string,
  o: { outcome: ScheduleOutcome; runId?: string | null; error?: string | null },
): void {
  cached(
    store.sqlite,
    'UPDATE schedules SET last_outcome = ?, last_run_id = coalesce(?, last_run_id), last_error = ? WHERE id = ?',
  ).run(o.outcome, o.runId ?? null, o.error ?? null, id)
}
