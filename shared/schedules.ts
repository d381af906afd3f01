// Schedules (DESIGN.md "Profiles and login health"): a saved flow started on a cron
// expression. The cron and time zone are checked by the core (croner), not here, so the
// renderer does not bundle the cron library.
import { z } from 'zod'
import type { RunStatus } from './domain'
import { idSchema } from './id-schema'

/** What to do with times that passed while Opdesk was closed: nothing, or one run on start. */
export const SCHEDULE_MISSED = ['skip', 'once'] as const
export type ScheduleMissed = (typeof SCHEDULE_MISSED)[number]
/** How the last scheduled time was handled. */
export const SCHEDULE_OUTCOMES = ['started', 'skipped-overlap', 'skipped-missed', 'waiting-login', 'failed'] as const
export type ScheduleOutcome = (typeof SCHEDULE_OUTCOMES)[number]

/** Runs a schedule starts record `startedBy: schedule:<id>`. */
export const SCHEDULE_ACTOR_PREFIX = 'schedule:'
export const scheduleActor = (id: string) => `${SCHEDULE_ACTOR_PREFIX}${id}`
export function scheduleIdOf(startedBy: string | null | undefined): string | null {
  return startedBy?.startsWith(SCHEDULE_ACTOR_PREFIX) ? startedBy.slice(SCHEDULE_ACTOR_PREFIX.length) : null
}

export interface Schedule {
  id: string
  /** A label; the flow's name is shown when there is none. */
  name: string | null
  flowId: string
  flowName: string
  /** Five fields (minute hour day-of-month month day-of-week), or six with seconds first. */
  cron: string
  /** IANA time zone the cron is read in (default: the machine's zone when it was created). */
  timezone: string
  params: Record<string, string>
  trackId: string | null
  stepId: string | null
  missed: ScheduleMissed
  enabled: boolean
  createdBy: string
  createdAt: string
  updatedAt: string
  /** The next times it fires (ISO), soonest first; empty while disabled. */
  nextRuns: string[]
  /** The last scheduled time handled, how, and the run it started (if any). */
  lastSlotAt: string | null
  lastOutcome: ScheduleOutcome | null
  lastError: string | null
  lastRunId: string | null
  lastRunStatus: RunStatus | null
}

const paramsRecord = z.record(z.string().min(1).max(100), z.string().max(10_000))
const optId = idSchema.nullable().optional()

export const ScheduleInput = z.strictObject({
  flowId: idSchema,
  cron: z.string().trim().min(1).max(200),
  timezone: z.string().trim().min(1).max(100).optional(),
  name: z.string().trim().max(200).nullable().optional(),
  params: paramsRecord.optional(),
  trackId: optId,
  stepId: optId,
  missed: z.enum(SCHEDULE_MISSED).optional(),
  enabled: z.boolean().optional(),
})
export const SchedulePatch = ScheduleInput.partial()
export type ScheduleInputT = z.output<typeof ScheduleInput>
export type SchedulePatchT = z.output<typeof SchedulePatch>
