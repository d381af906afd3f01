// `alert.changed` names the alert that changed (the UI refetches by it), never a run's or an
// approval's id: raised when a run needs approval, acknowledged when someone decides.
import { afterEach, beforeEach, expect, it } from 'vitest'
import type { Actor, StreamMessage } from '../../../shared/api'
import type { Alert, Run } from '../../../shared/domain'
import { tempCore } from '../../../test/support/temp-workspace'
import { waitForStatus } from '../../../test/support/wait'

let core: Awaited<ReturnType<typeof tempCore>>
beforeEach(async () => {
  core = await tempCore()
})
afterEach(async () => {
  await core.cleanup()
})

const dana: Actor = { name: 'dana', role: 'approver' }

it('alert.changed carries the alert ids of the approval-needed alert, raised and acknowledged', async () => {
  const seen: string[] = []
  core.bus.subscribe((m: StreamMessage) => {
    if (m.type === 'alert.changed') seen.push((m.data as { alertId: string }).alertId)
  })
  // Deleting a folder is judged requires-approval: the run waits for a decision.
  const created = await core.router.handle({ method: 'POST', path: '/api/runs', body: { command: 'rm -rf old-exports' } })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  const run = created.body as Run
  await waitForStatus(() => core.runs.mustRun(run.id), ['waiting-approval'], 10_000)
  const alerts = (await core.router.handle({ method: 'GET', path: '/api/alerts' })).body as Alert[]
  const needed = alerts.filter((a) => a.runId === run.id && a.kind === 'approval-needed').map((a) => a.id)
  expect(needed).toHaveLength(1)
  expect(seen).toEqual(needed)

  seen.length = 0
  const decided = await core.router.handle({ method: 'POST', path: `/api/runs/${run.id}/reject`, body: { note: 'not today' }, actor: dana })
  expect(decided.status, JSON.stringify(decided.body)).toBe(200)
  expect(seen).toEqual(needed)
})
