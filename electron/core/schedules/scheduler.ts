// Fires schedules: one timer per enabled schedule, driven by an injectable clock. On start
// it settles the times missed while Opdesk was closed (skip them, or one run for all of
// them); while a schedule's previous run is still active its next time is skipped, recorded
// in that run's events and as an alert, never queued behind it.
import { TERMINAL_RUN_STATUSES, type Run } from '../../../shared/domain'
import { scheduleActor } from '../../../shared/schedules'
import type { CoreContext } from '../context'
import * as alerts from '../store/alerts'
import type { NewEvent } from '../store/events'
import { getRun } from '../store/runs'
import { claimSlot, getSchedule, listSchedules, recordOutcome, type ScheduleRecord } from '../store/schedules'
import type { Clock, TimerHandle } from './clock'
import { countTimes, latestTime, nextTimes } from './cron'

/** What the scheduler needs of the run service: start a run, and speak in a run's chain. */
export interface ScheduledRunStarter {
  create(
    input: { flowId: string; params: Record<string, string>; trackId?: string; stepId?: string },
    by: string,
    origin: Record<string, unknown>,
  ): Run
  append(runId: string, events: NewEvent[]): void
  raise(run: Run, kind: 'schedule-skipped', message: string): void
}

/**
 * What the scheduler needs of login health (profiles/service.ts): a scheduled run's profile is
 * checked its lead time ahead, and a run whose profile is stale waits for a login rather than
 * failing at the login wall at 3 a.m.
 */
export interface ScheduleProfiles {
  profileOfFlow(flowId: string): string | null
  isStale(name: string): boolean
  isChecking(name: string): boolean
  lastCheckedAt(name: string): number | null
  ensureFresh(name: string): Promise<'ok' | 'stale'>
  waitForLogin(name: string, signal?: AbortSignal): Promise<void>
  leadTimeMs(name: string): number
}

/** Long waits are cut into pieces so a changed wall clock (NTP, sleep) is noticed within a minute. */
const MAX_WAIT_MS = 60_000

export class Scheduler {
  private readonly timers = new Map<string, TimerHandle>()
  private running = false
  /** `scheduleId@time` of the times whose profile check has been started. */
  private readonly checked = new Set<string>()
  /** Schedules whose run is held until their profile's login; stopped with the scheduler. */
  private readonly held = new Map<string, AbortController>()

  constructor(
    private readonly deps: { ctx: CoreContext; runs: ScheduledRunStarter; clock: Clock; profiles?: ScheduleProfiles },
  ) {}

  private get store() {
    return this.deps.ctx.ws.store
  }

  get started(): boolean {
    return this.running
  }

  /** Settles missed times, then arms every enabled schedule. */
  start(): void {
    if (this.running) return
    this.running = true
    for (const s of listSchedules(this.store)) {
      if (!s.enabled) continue
      try {
        this.catchUp(s)
      } catch (err) {
        this.deps.ctx.log.error('could not settle missed schedule times', { scheduleId: s.id, error: String(err) })
      }
      this.arm(s.id)
    }
  }

  stop(): void {
    this.running = false
    for (const w of this.held.values()) w.abort()
    this.held.clear()
    for (const t of this.timers.values()) this.deps.clock.clearTimer(t)
    this.timers.clear()
  }

  /** A schedule was created, changed or deleted: arm it again from now (or drop it). */
  refresh(id: string): void {
    this.disarm(id)
    if (this.running) this.arm(id)
  }

  /** When the schedule fires next, counted from where it stands (never before now). */
  upcoming(s: ScheduleRecord, n: number): number[] {
    if (!s.enabled) return []
    try {
      return nextTimes(s, this.from(s, this.deps.clock.now()), n)
    } catch {
      return [] // a stored cron the library no longer reads: listed, never fired
    }
  }

  private from(s: ScheduleRecord, now: number): number {
    return Math.max(Date.parse(s.since), s.lastSlotAt ? Date.parse(s.lastSlotAt) : 0, now)
  }

  private disarm(id: string): void {
    const t = this.timers.get(id)
    if (t !== undefined) this.deps.clock.clearTimer(t)
    this.timers.delete(id)
  }

  private arm(id: string): void {
    const s = getSchedule(this.store, id)
    if (!s?.enabled) return
    const now = this.deps.clock.now()
    const [next] = this.upcoming(s, 1)
    if (next === undefined) return
    // Check the run's profile once inside its lead window; until then, wake first for that.
    const profile = this.profileOf(s)
    const checkAt = profile ? this.checkDue(s, profile, next) : null
    if (profile && checkAt !== null && now >= checkAt && now < next) this.guard(id, () => this.checkAhead(s, profile, next))
    const target = checkAt !== null && checkAt > now ? checkAt : next
    const wait = Math.min(Math.max(0, target - now), MAX_WAIT_MS)
    this.timers.set(
      id,
      this.deps.clock.setTimer(() => this.onTimer(id, next), wait),
    )
  }

  private onTimer(id: string, due: number): void {
    this.timers.delete(id)
    if (!this.running) return
    const now = this.deps.clock.now()
    if (now >= due) {
      const s = getSchedule(this.store, id)
      // Woken late (a sleeping machine): the times that passed meanwhile collapse into one.
      const slot = s ? (latestTime(s, now) ?? due) : due
      if (s?.enabled) this.guard(s.id, () => this.fire(s, slot, null))
    }
    this.arm(id)
  }

  private guard(id: string, fn: () => void): void {
    try {
      fn()
    } catch (err) {
      this.deps.ctx.log.error('schedule could not fire', { scheduleId: id, error: String(err) })
    }
  }

  private profileOf(s: ScheduleRecord): string | null {
    return this.deps.profiles?.profileOfFlow(s.flowId) ?? null
  }

  /**
   * When the profile of the run due at `due` should be checked, or null: no profile, this time
   * done, or the profile already checked (or being checked) inside this run's lead window.
   */
  private checkDue(s: ScheduleRecord, profile: string, due: number): number | null {
    if (this.checked.has(`${s.id}@${due}`)) return null
    const profiles = this.deps.profiles!
    const from = due - profiles.leadTimeMs(profile)
    const last = profiles.lastCheckedAt(profile)
    if (profiles.isChecking(profile) || (last !== null && last >= from)) return null
    return from
  }

  /** Starts the profile check of the run due at `due` (once: `checked` remembers it). */
  private checkAhead(s: ScheduleRecord, profile: string, due: number): void {
    this.checked.add(`${s.id}@${due}`)
    this.deps.profiles!.ensureFresh(profile).catch((err: unknown) =>
      this.deps.ctx.log.warn('profile check before a scheduled run failed to start', { scheduleId: s.id, profile, error: String(err) }),
    )
  }

  /** Times that passed while Opdesk was closed: skipped, or one run for all of them. */
  private catchUp(s: ScheduleRecord): void {
    const now = this.deps.clock.now()
    const after = Math.max(Date.parse(s.since), s.lastSlotAt ? Date.parse(s.lastSlotAt) : 0)
    const missed = countTimes(s, after, now)
    if (missed === 0) return
    const latest = latestTime(s, now)!
    const count = missed >= 1000 ? '1000 or more' : String(missed)
    if (s.missed === 'once') {
      this.fire(s, latest, { missed })
      return
    }
    if (!claimSlot(this.store, s.id, new Date(latest).toISOString())) return
    const why = `Skipped ${count} time${missed === 1 ? '' : 's'} missed while Opdesk was closed (the latest ${new Date(latest).toISOString()})`
    recordOutcome(this.store, s.id, { outcome: 'skipped-missed', error: why })
    this.deps.ctx.log.info('schedule times missed while closed were skipped', { scheduleId: s.id, missed })
    this.deps.ctx.bus.emit('schedule.changed', { scheduleId: s.id })
  }

  private fire(s: ScheduleRecord, slot: number, catchUp: { missed: number } | null): void {
    const scheduledFor = new Date(slot).toISOString()
    // Another process on this workspace (or an earlier pass) handled this time already.
    if (!claimSlot(this.store, s.id, scheduledFor)) return
    const label = s.name ?? s.flowName
    if (this.held.has(s.id)) {
      // One held run per schedule: later times fold into it rather than pile up behind a login.
      this.deps.ctx.log.info('scheduled time folded into the run waiting for a login', { scheduleId: s.id, scheduledFor })
      return
    }
    const previous = s.lastRunId ? getRun(this.store, s.lastRunId) : null
    if (previous && !TERMINAL_RUN_STATUSES.includes(previous.status)) {
      const why = `Schedule “${label}” skipped its ${scheduledFor} run: its previous run ${previous.id} is still ${previous.status}`
      recordOutcome(this.store, s.id, { outcome: 'skipped-overlap', error: why })
      this.deps.runs.append(previous.id, [
        { type: 'schedule.skipped', data: { scheduleId: s.id, scheduledFor, reason: 'previous-run-active' } },
      ])
      this.deps.runs.raise(previous, 'schedule-skipped', why)
      this.deps.ctx.bus.emit('schedule.changed', { scheduleId: s.id })
      return
    }
    const profile = this.profileOf(s)
    if (profile) this.whenProfileReady(s, profile, slot, catchUp)
    else this.startRun(s, slot, catchUp, null)
  }

  /** A stale profile holds the run for a login; a check still going (started ahead) decides first. */
  private whenProfileReady(s: ScheduleRecord, profile: string, slot: number, catchUp: { missed: number } | null): void {
    const profiles = this.deps.profiles!
    if (profiles.isStale(profile)) return this.holdForLogin(s, profile, slot, catchUp)
    if (!profiles.isChecking(profile)) return this.startRun(s, slot, catchUp, null)
    // Until the check answers, later times fold into this run as into a held one.
    const gate = new AbortController()
    this.held.set(s.id, gate)
    const decide = (stale: boolean) => {
      if (this.held.get(s.id) !== gate) return
      this.held.delete(s.id)
      const latest = getSchedule(this.store, s.id)
      if (!this.running || !latest?.enabled) return
      this.guard(s.id, () => (stale ? this.holdForLogin(latest, profile, slot, catchUp) : this.startRun(latest, slot, catchUp, null)))
    }
    profiles.ensureFresh(profile).then(
      (state) => decide(state === 'stale'),
      () => decide(false),
    )
  }

  /** The run waits for a person to log the profile in (Profiles → Log in now), then starts. */
  private holdForLogin(s: ScheduleRecord, profile: string, slot: number, catchUp: { missed: number } | null): void {
    const scheduledFor = new Date(slot).toISOString()
    const why = `Waiting for a login to profile ${profile} (its check found it logged out): Profiles → Log in now; the ${scheduledFor} run starts after it`
    recordOutcome(this.store, s.id, { outcome: 'waiting-login', error: why })
    this.deps.ctx.bus.emit('schedule.changed', { scheduleId: s.id })
    this.deps.ctx.log.info('scheduled run waits for a login', { scheduleId: s.id, profile, scheduledFor })
    const wait = new AbortController()
    this.held.set(s.id, wait)
    this.deps.profiles!.waitForLogin(profile, wait.signal).then(
      () => {
        this.held.delete(s.id)
        if (!this.running) return
        const latest = getSchedule(this.store, s.id)
        if (latest?.enabled) this.guard(s.id, () => this.startRun(latest, slot, catchUp, profile))
      },
      () => this.held.delete(s.id),
    )
  }

  private startRun(s: ScheduleRecord, slot: number, catchUp: { missed: number } | null, waitedForLogin: string | null): void {
    const scheduledFor = new Date(slot).toISOString()
    const label = s.name ?? s.flowName
    const firedAt = this.deps.clock.now()
    try {
      const run = this.deps.runs.create(
        { flowId: s.flowId, params: s.params, trackId: s.trackId ?? undefined, stepId: s.stepId ?? undefined },
        scheduleActor(s.id),
        {
          schedule: {
            id: s.id,
            scheduledFor,
            lagMs: firedAt - slot,
            ...(catchUp ? { missed: catchUp.missed } : {}),
            ...(waitedForLogin ? { waitedForLogin } : {}),
          },
        },
      )
      recordOutcome(this.store, s.id, { outcome: 'started', runId: run.id })
    } catch (err) {
      const why = `Schedule “${label}” could not start its ${scheduledFor} run: ${err instanceof Error ? err.message : String(err)}`
      recordOutcome(this.store, s.id, { outcome: 'failed', error: why })
      const a = alerts.insertAlert(this.store, { kind: 'schedule-skipped', trackId: s.trackId, message: why })
      this.deps.ctx.bus.emit('alert.changed', { alertId: a.id })
      this.deps.ctx.log.warn('scheduled run could not start', { scheduleId: s.id, error: why })
    }
    this.deps.ctx.bus.emit('schedule.changed', { scheduleId: s.id })
  }
}
