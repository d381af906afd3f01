// Scheduler drift: from a schedule's time to its run starting (status `running`, picked up
// by the run queue), on the system clock with real timers, SQLite and run service. A
// six-field cron fires every 3 s so a sample does not take a minute; each run is a short
// browser flow on the fixture site. Aim: under a second.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCore } from '../electron/core/core'
import { startFixtureSite } from '../test/support/fixture-site'
import { silentLogger } from '../electron/core/log'
import { median, type Row } from './harness'

const SAMPLES = 10

export async function runSchedulesBench(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'opdesk-sched-'))
  const site = await startFixtureSite()
  const core = await createCore({ workspaceDir: dir, log: silentLogger })
  core.runs.setConcurrency(4)
  try {
    const flow = await core.router.call('createFlow', {
      body: { source: `name: Tick\nsteps:\n  - goto: ${site.url}/search\n` },
    })
    const s = await core.router.call('createSchedule', {
      body: { flowId: flow.id, cron: '*/3 * * * * *', timezone: 'UTC' },
    })
    const startDrift: number[] = []
    const createDrift: number[] = []
    const seen = new Set<string>()
    const deadline = Date.now() + (SAMPLES + 4) * 3_000 + 30_000
    while (startDrift.length < SAMPLES && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100))
      const rows = core.ws.store.sqlite
        .prepare('SELECT id FROM runs WHERE started_by = ? ORDER BY created_at')
        .all(`schedule:${s.id}`) as { id: string }[]
      for (const { id } of rows) {
        if (seen.has(id)) continue
        const run = core.runs.mustRun(id)
        if (!run.startedAt) continue
        seen.add(id)
        const first = core.runs.events.list(id, 0, 1)[0]!
        const slot = Date.parse((first.data.schedule as { scheduledFor: string }).scheduledFor)
        startDrift.push(Date.parse(run.startedAt) - slot)
        createDrift.push(Date.parse(first.ts) - slot)
      }
    }
    await core.router.call('updateSchedule', { params: { id: s.id }, body: { enabled: false } })
    await core.runs.idle()
    const worst = Math.max(...startDrift)
    return [
      {
        section: 'sched',
        name: `drift, scheduled time → run queued (median of ${createDrift.length})`,
        value: median(createDrift),
        unit: 'ms',
      },
      {
        section: 'sched',
        name: `drift, scheduled time → run started (median of ${startDrift.length})`,
        value: median(startDrift),
        unit: 'ms',
        aim: '< 1000 ms',
        ok: median(startDrift) < 1000,
      },
      {
        section: 'sched',
        name: 'drift, scheduled time → run started (worst)',
        value: worst,
        unit: 'ms',
        aim: '< 1000 ms',
        ok: worst < 1000,
      },
    ]
  } finally {
    await core.close()
    await site.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
