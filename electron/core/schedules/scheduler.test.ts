// The scheduler on a clock the test moves: real workspace (SQLite file), real run service
// and the default policy. The flow downloads a file, which the default policy asks approval
// for, so every scheduled run parks in waiting-approval (active, nothing launched) until the
// test cancels it: that is what makes overlaps and "never waits silently" observable.
import { afterEach, describe, expect, it } from 'vitest'
import type { Run } from '../../../shared/domain'
import type { Schedule } from '../../../shared/schedules'
import { FakeClock } from '../../../test/support/fake-clock'
import { createCore, type Core } from '../core'
import { silentLogger } from '../log'
import { tempDir } from '../../../test/support/temp-workspace'

const FLOW = `name: Nightly export
params: { month: { default: "2026-10" } }
steps:
  - goto: https://portal.example.com/
  - download: { click: "text=Export CSV", saveAs: "invoices-\${params.month}.csv" }
`

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function open(dir: string, clock: FakeClock, opts: { requeue?: boolean; passive?: boolean } = {}): Promise<Core> {
  const core = await createCore({ workspaceDir: dir, log: silentLogger, clock, ...opts })
  cleanups.push(() => core.close()) // close() is idempotent: a test may close first
  return core
}

async function setup(startIso: string) {
  const ws = tempDir()
  cleanups.push(ws.cleanup)
  const clock = new FakeClock(Date.parse(startIso))
  const core = await open(ws.dir, clock)
  const flow = await core.router.call('createFlow', { body: { source: FLOW } })
  return { dir: ws.dir, clock, core, flowId: flow.id }
}

function schedule(core: Core, body: Record<string, unknown>): Promise<Schedule> {
  return core.router.call('createSchedule', { body })
}

function runsOf(core: Core, scheduleId: string): Run[] {
  const ids = core.ws.store.sqlite
    .prepare('SELECT id FROM runs WHERE started_by = ? ORDER BY created_at, rowid')
    .all(`schedule:${scheduleId}`) as { id: string }[]
  return ids.map((r) => core.runs.mustRun(r.id))
}

/** The scheduled time a run was started for, from its first event. */
function slotOf(core: Core, run: Run): { scheduledFor: string; missed?: number } {
  const [first] = core.runs.events.list(run.id, 0, 1)
  return first!.data.schedule as { scheduledFor: string; missed?: number }
}

/** Moves the clock to each instant, and ends whatever the schedule started so none overlap. */
function driveThrough(core: Core, clock: FakeClock, scheduleId: string, untilIso: string): string[] {
  const slots: string[] = []
  const end = Date.parse(untilIso)
  while (clock.now() < end) {
    clock.advanceTo(Math.min(end, clock.now() + 15 * 60_000))
    for (const run of runsOf(core, scheduleId)) {
      if (run.status !== 'waiting-approval') continue
      slots.push(slotOf(core, run).scheduledFor)
      core.runs.cancel(run.id, 'test')
    }
  }
  return slots
}

describe('scheduler', () => {
  it('starts a run through the run service at each cron time, startedBy schedule:<id>, and shows the next times', async () => {
    const { core, clock, flowId } = await setup('2026-06-01T09:59:30.000Z')
    const s = await schedule(core, { flowId, cron: '0 * * * *', timezone: 'UTC', params: { month: '2026-05' } })
    expect(s.nextRuns).toEqual(['2026-06-01T10:00:00.000Z', '2026-06-01T11:00:00.000Z', '2026-06-01T12:00:00.000Z'])
    expect(runsOf(core, s.id)).toHaveLength(0)

    clock.advanceTo('2026-06-01T10:00:00.000Z')
    const [run] = runsOf(core, s.id)
    expect(run).toBeDefined()
    expect(run!.startedBy).toBe(`schedule:${s.id}`)
    expect(run!.params).toEqual({ month: '2026-05' })
    expect(slotOf(core, run!)).toMatchObject({ scheduledFor: '2026-06-01T10:00:00.000Z' })
    // The flow asks approval first: it waits, and says so in needs-you as a scheduled run.
    expect(run!.status).toBe('waiting-approval')
    const needs = await core.router.call('needsYou')
    expect(needs.find((n) => n.runId === run!.id)?.scheduleId).toBe(s.id)

    const after = await core.router.call('getSchedule', { params: { id: s.id } })
    expect(after).toMatchObject({
      lastOutcome: 'started',
      lastRunId: run!.id,
      lastRunStatus: 'waiting-approval',
      lastSlotAt: '2026-06-01T10:00:00.000Z',
    })
    expect(after.nextRuns[0]).toBe('2026-06-01T11:00:00.000Z')
  })

  it('fires a fixed daily time once on the spring DST night: a time in the gap runs at the first valid time after it', async () => {
    const { core, clock, flowId } = await setup('2026-03-27T12:00:00.000Z')
    const s = await schedule(core, { flowId, cron: '30 2 * * *', timezone: 'Europe/Berlin' })
    expect(driveThrough(core, clock, s.id, '2026-03-31T00:00:00.000Z')).toEqual([
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-29T01:00:00.000Z', // 02:30 does not exist that night: 03:00 CEST
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
    ])
  })

  it('fires a fixed daily time once on the autumn DST night, when 02:30 happens twice', async () => {
    const { core, clock, flowId } = await setup('2026-10-23T12:00:00.000Z')
    const s = await schedule(core, { flowId, cron: '30 2 * * *', timezone: 'Europe/Berlin' })
    expect(driveThrough(core, clock, s.id, '2026-10-27T00:00:00.000Z')).toEqual([
      '2026-10-24T00:30:00.000Z', // 02:30 CEST
      '2026-10-25T00:30:00.000Z', // the first 02:30 only
      '2026-10-26T01:30:00.000Z', // 02:30 CET
    ])
  })

  it('keeps an hourly schedule on every real hour through the autumn change (the repeated hour runs twice)', async () => {
    const { core, clock, flowId } = await setup('2026-10-24T23:30:00.000Z')
    const s = await schedule(core, { flowId, cron: '0 * * * *', timezone: 'Europe/Berlin' })
    expect(driveThrough(core, clock, s.id, '2026-10-25T03:00:00.000Z')).toEqual([
      '2026-10-25T00:00:00.000Z', // 02:00 CEST
      '2026-10-25T01:00:00.000Z', // 02:00 CET
      '2026-10-25T02:00:00.000Z',
      '2026-10-25T03:00:00.000Z',
    ])
  })

  it('skips a time while the previous run of that schedule is still active, recorded in that run and as an alert', async () => {
    const { core, clock, flowId } = await setup('2026-06-01T10:00:30.000Z')
    const s = await schedule(core, { flowId, cron: '* * * * *', timezone: 'UTC' })
    clock.advanceTo('2026-06-01T10:01:00.000Z')
    const [first] = runsOf(core, s.id)
    expect(first!.status).toBe('waiting-approval')

    clock.advanceTo('2026-06-01T10:02:00.000Z')
    expect(runsOf(core, s.id)).toHaveLength(1)
    const skipped = core.runs.events.list(first!.id, 0, 100).filter((e) => e.type === 'schedule.skipped')
    expect(skipped.map((e) => e.data)).toEqual([
      { scheduleId: s.id, scheduledFor: '2026-06-01T10:02:00.000Z', reason: 'previous-run-active' },
    ])
    const alerts = await core.router.call('listAlerts', { query: { open: 'true' } })
    const alert = alerts.find((a) => a.kind === 'schedule-skipped')
    expect(alert).toMatchObject({ runId: first!.id })
    expect(alert!.message).toContain('still waiting-approval')
    expect(await core.router.call('getSchedule', { params: { id: s.id } })).toMatchObject({
      lastOutcome: 'skipped-overlap',
      lastRunId: first!.id,
    })

    // Once the previous run ended, the next time starts a new one.
    core.runs.cancel(first!.id, 'test')
    clock.advanceTo('2026-06-01T10:03:00.000Z')
    const runs = runsOf(core, s.id)
    expect(runs).toHaveLength(2)
    expect(slotOf(core, runs[1]!).scheduledFor).toBe('2026-06-01T10:03:00.000Z')
  })

  it('missed: once starts one run on start for all the times missed while closed; skip starts none', async () => {
    const { dir, core, clock, flowId } = await setup('2026-06-01T10:30:00.000Z')
    const once = await schedule(core, { flowId, cron: '0 * * * *', timezone: 'UTC', missed: 'once', name: 'once' })
    const skip = await schedule(core, { flowId, cron: '0 * * * *', timezone: 'UTC', missed: 'skip', name: 'skip' })
    await core.close()

    clock.jumpTo('2026-06-01T13:20:00.000Z') // 11:00, 12:00 and 13:00 passed while closed
    const again = await open(dir, clock)
    const onceRuns = runsOf(again, once.id)
    expect(onceRuns).toHaveLength(1)
    expect(slotOf(again, onceRuns[0]!)).toEqual(
      expect.objectContaining({ scheduledFor: '2026-06-01T13:00:00.000Z', missed: 3 }),
    )
    expect(runsOf(again, skip.id)).toHaveLength(0)
    const skipped = await again.router.call('getSchedule', { params: { id: skip.id } })
    expect(skipped).toMatchObject({ lastOutcome: 'skipped-missed', lastSlotAt: '2026-06-01T13:00:00.000Z' })
    expect(skipped.lastError).toContain('Skipped 3 times missed')
    expect(skipped.nextRuns[0]).toBe('2026-06-01T14:00:00.000Z')

    // Both go on at their next time as usual.
    again.runs.cancel(onceRuns[0]!.id, 'test')
    clock.advanceTo('2026-06-01T14:00:00.000Z')
    expect(runsOf(again, once.id)).toHaveLength(2)
    expect(runsOf(again, skip.id)).toHaveLength(1)
  })

  it('a disabled schedule does not fire, and enabling it counts from then (no catch-up for the time it was off)', async () => {
    const { core, clock, flowId } = await setup('2026-06-01T10:30:00.000Z')
    const s = await schedule(core, { flowId, cron: '0 * * * *', timezone: 'UTC', missed: 'once', enabled: false })
    expect(s.nextRuns).toEqual([])
    clock.advanceTo('2026-06-01T12:30:00.000Z')
    expect(runsOf(core, s.id)).toHaveLength(0)
    const on = await core.router.call('updateSchedule', { params: { id: s.id }, body: { enabled: true } })
    expect(on.nextRuns[0]).toBe('2026-06-01T13:00:00.000Z')
    expect(runsOf(core, s.id)).toHaveLength(0)
    clock.advanceTo('2026-06-01T13:00:00.000Z')
    expect(runsOf(core, s.id)).toHaveLength(1)
  })

  it('two processes on one workspace start a scheduled time once', async () => {
    const { dir, core, clock, flowId } = await setup('2026-06-01T10:59:00.000Z')
    const s = await schedule(core, { flowId, cron: '0 * * * *', timezone: 'UTC' })
    const clock2 = new FakeClock(clock.now())
    const other = await open(dir, clock2)
    clock2.advanceTo('2026-06-01T11:00:00.000Z')
    clock.advanceTo('2026-06-01T11:00:00.000Z')
    expect(runsOf(core, s.id)).toHaveLength(1)
    expect(runsOf(other, s.id)).toHaveLength(1)
  })

  it('a time whose run cannot start (the flow now needs a param) is recorded with the reason and an alert', async () => {
    const { core, clock, flowId } = await setup('2026-06-01T10:59:00.000Z')
    const s = await schedule(core, { flowId, cron: '0 * * * *', timezone: 'UTC' })
    // The flow is edited in place (a new version of the same flow the schedule names).
    await core.router.call('updateFlow', {
      params: { id: flowId },
      body: { source: FLOW.replace('{ default: "2026-10" }', '{ required: true }') },
    })
    clock.advanceTo('2026-06-01T11:00:00.000Z')
    expect(runsOf(core, s.id)).toHaveLength(0)
    const after = await core.router.call('getSchedule', { params: { id: s.id } })
    expect(after.lastOutcome).toBe('failed')
    expect(after.lastError).toMatch(/could not start its 2026-06-01T11:00:00.000Z run: .*month/)
    const alerts = await core.router.call('listAlerts', { query: { open: 'true' } })
    expect(alerts.some((a) => a.kind === 'schedule-skipped' && a.message === after.lastError)).toBe(true)
  })

  it('a one-shot core (opdesk run) or a read-only one neither fires schedules nor settles missed times', async () => {
    const { dir, core, clock, flowId } = await setup('2026-06-01T10:30:00.000Z')
    const s = await schedule(core, { flowId, cron: '0 * * * *', timezone: 'UTC', missed: 'once' })
    await core.close()
    clock.jumpTo('2026-06-01T12:30:00.000Z')
    for (const opts of [{ requeue: false }, { passive: true }]) {
      const c = await open(dir, clock, opts)
      expect(c.scheduler.started).toBe(false)
      clock.advanceTo(clock.now() + 3_600_000)
      expect(runsOf(c, s.id)).toHaveLength(0)
      await c.close()
    }
    // The long-lived shell still owes the missed times.
    const app = await open(dir, clock)
    expect(runsOf(app, s.id)).toHaveLength(1)
  })
})
