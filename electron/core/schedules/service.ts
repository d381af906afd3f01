// Schedules as the API sees them: checked input (every refusal names its field), stored
// rows, and the next times each fires. Every change re-arms the scheduler.
import type { Schedule, ScheduleInputT, SchedulePatchT } from '../../../shared/schedules'
import { badRequest, DomainError, notFound } from '../errors'
import type { CoreContext } from '../context'
import type { RunPlanner } from '../runs/service'
import * as store from '../store/schedules'
import { getFlow } from '../store/flows'
import { getStep, trackExists } from '../store/tracks'
import { checkCron, localTimeZone } from './cron'
import type { Scheduler } from './scheduler'

/** How many upcoming times a schedule shows. */
const NEXT_SHOWN = 3

export class ScheduleService {
  constructor(
    private readonly deps: { ctx: CoreContext; planner: RunPlanner; scheduler: Scheduler; now: () => number },
  ) {}

  private get store() {
    return this.deps.ctx.ws.store
  }

  list(): Schedule[] {
    return store.listSchedules(this.store).map((s) => this.view(s))
  }

  get(id: string): Schedule {
    return this.view(this.must(id))
  }

  create(input: ScheduleInputT, by: string): Schedule {
    const timezone = input.timezone ?? localTimeZone()
    const flowId = this.check({ ...input, timezone })
    const s = store.insertSchedule(this.store, {
      name: input.name || null,
      flowId,
      cron: input.cron,
      timezone,
      params: input.params ?? {},
      trackId: input.trackId ?? null,
      stepId: input.stepId ?? null,
      missed: input.missed ?? 'skip',
      enabled: input.enabled ?? true,
      createdBy: by,
      since: new Date(this.deps.now()).toISOString(),
    })
    this.deps.ctx.log.info('schedule created', { scheduleId: s.id, cron: s.cron, by })
    return this.changed(s.id)
  }

  update(id: string, patch: SchedulePatchT, by: string): Schedule {
    const before = this.must(id)
    const merged = {
      flowId: patch.flowId ?? before.flowId,
      cron: patch.cron ?? before.cron,
      timezone: patch.timezone ?? before.timezone,
      params: patch.params ?? before.params,
      trackId: patch.trackId === undefined ? before.trackId : patch.trackId,
      stepId: patch.stepId === undefined ? before.stepId : patch.stepId,
    }
    const flowId = this.check(merged)
    const enabled = patch.enabled ?? before.enabled
    // A changed time, or a schedule switched back on, counts from now: the edit itself is not
    // a reason to fire times that passed before it.
    const retimed = merged.cron !== before.cron || merged.timezone !== before.timezone || (enabled && !before.enabled)
    store.updateSchedule(this.store, id, {
      ...(patch.name !== undefined ? { name: patch.name || null } : {}),
      flowId,
      cron: merged.cron,
      timezone: merged.timezone,
      params: merged.params,
      trackId: merged.trackId,
      stepId: merged.stepId,
      missed: patch.missed,
      enabled,
      ...(retimed ? { since: new Date(this.deps.now()).toISOString() } : {}),
    })
    this.deps.ctx.log.info('schedule changed', { scheduleId: id, by })
    return this.changed(id)
  }

  delete(id: string, by: string): { deleted: true; id: string } {
    this.must(id)
    store.deleteSchedule(this.store, id)
    this.deps.scheduler.refresh(id)
    this.deps.ctx.log.info('schedule deleted', { scheduleId: id, by })
    this.deps.ctx.bus.emit('schedule.changed', { scheduleId: id, deleted: true })
    return { deleted: true, id }
  }

  private changed(id: string): Schedule {
    this.deps.scheduler.refresh(id)
    this.deps.ctx.bus.emit('schedule.changed', { scheduleId: id })
    return this.get(id)
  }

  private must(id: string): store.ScheduleRecord {
    const s = store.getSchedule(this.store, id)
    if (!s) throw notFound('Schedule', id)
    return s
  }

  /** Refuses what could never start (400 naming the field); returns the flow's id. */
  private check(v: {
    flowId: string
    cron: string
    timezone: string
    params?: Record<string, string>
    trackId?: string | null
    stepId?: string | null
  }): string {
    const flow = getFlow(this.store, v.flowId)
    if (!flow) throw badRequest(`There is no saved flow ${v.flowId}`, 'flowId')
    const cron = checkCron({ cron: v.cron, timezone: v.timezone }, this.deps.now())
    if (!cron.ok) throw badRequest(cron.message, cron.field)
    if (v.trackId && !trackExists(this.store, v.trackId)) throw badRequest(`There is no track ${v.trackId}`, 'trackId')
    if (v.stepId) {
      const step = getStep(this.store, v.stepId)
      if (!step) throw badRequest(`There is no step ${v.stepId}`, 'stepId')
      if (v.trackId && step.trackId !== v.trackId)
        throw badRequest(`Step ${v.stepId} belongs to another track`, 'stepId')
    }
    // The same check a run makes before it starts (required params, a flow that parses), now
    // rather than at 3 a.m.
    try {
      this.deps.planner.plan({ flowId: flow.id, params: v.params ?? {} })
    } catch (err) {
      if (err instanceof DomainError && err.field === 'params') throw err
      if (err instanceof DomainError) throw badRequest(`Flow “${flow.name}” cannot run: ${err.message}`, 'flowId')
      throw err
    }
    return flow.id
  }

  private view(s: store.ScheduleRecord): Schedule {
    const { since: _since, ...rest } = s
    return { ...rest, nextRuns: this.deps.scheduler.upcoming(s, NEXT_SHOWN).map((t) => new Date(t).toISOString()) }
  }
}
