// What the takeover hub tells a viewer about a run's wait comes from the run's wait columns,
// set by the move into the wait and cleared by the move out, never from an event's data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as runs from '../store/runs'
import { tempCore } from '../../../test/support/temp-workspace'

let core: Awaited<ReturnType<typeof tempCore>>
beforeAll(async () => {
  core = await tempCore({ passive: true })
})
afterAll(async () => {
  await core?.cleanup()
})

/** A browser run the engine is executing (its row only: no executor, no events besides status). */
function running(): string {
  const run = runs.insertRun(core.ws.store, { kind: 'browser', flowName: 'Waits' })
  core.runs.move(run.id, 'running', null, { startedAt: new Date().toISOString(), phase: 'execution' })
  return run.id
}

describe('the takeover’s wait times', () => {
  it('come from the wait the run entered, for MFA and for assist, and go when it leaves', () => {
    const id = running()
    const wait = core.runs.lifecycle.waitFor(90_000)
    core.runs.move(id, 'waiting-mfa', 'Waiting for a person', { wait })
    // No mfa.detected event holds a timeout: the columns are the only source.
    expect(core.runs.events.list(id, 0, 100).map((e) => e.type)).toEqual(['run.status', 'run.status'])
    const info = core.takeover.describe(id)!
    expect(info).toEqual({ status: 'waiting-mfa', waitingSince: wait.since, timeoutAt: wait.deadlineAt })
    expect(Date.parse(info.timeoutAt!) - Date.parse(info.waitingSince!)).toBe(90_000)

    core.runs.move(id, 'running', 'Prompt gone')
    expect(core.takeover.describe(id)).toEqual({ status: 'running', waitingSince: null, timeoutAt: null })
    expect(runs.runWait(core.ws.store, id)).toBeNull()

    const assist = core.runs.lifecycle.waitFor(5 * 60_000)
    core.runs.move(id, 'waiting-assist', 'Step 2 failed', { wait: assist })
    expect(core.takeover.describe(id)).toEqual({ status: 'waiting-assist', waitingSince: assist.since, timeoutAt: assist.deadlineAt })
    core.runs.move(id, 'failed', 'Nobody decided', { error: 'Nobody decided' })
    expect(runs.runWait(core.ws.store, id)).toBeNull()
  })

  it('has no deadline for a wait without a timeout, and a fresh one for each new wait', () => {
    const id = running()
    core.runs.move(id, 'waiting-mfa', 'Waiting', { wait: core.runs.lifecycle.waitFor(0) })
    const open = core.takeover.describe(id)!
    expect(open.waitingSince).not.toBeNull()
    expect(open.timeoutAt).toBeNull()
    core.runs.move(id, 'running', 'Done')
    const next = core.runs.lifecycle.waitFor(60_000)
    core.runs.move(id, 'waiting-mfa', 'Again', { wait: next })
    expect(core.takeover.describe(id)!.timeoutAt).toBe(next.deadlineAt)
  })

  it('a pre-start approval waits until the approval’s deadline', () => {
    const run = runs.insertRun(core.ws.store, { kind: 'command', command: 'true' })
    core.runs.openApproval(run, 'Policy requires approval', { timeoutMs: 120_000 })
    const wait = runs.runWait(core.ws.store, run.id)!
    const approval = core.runs.events.list(run.id, 0, 100).find((e) => e.type === 'approval.requested')!
    expect(wait.deadlineAt).toBe(approval.data.deadlineAt)
    expect(Date.parse(wait.deadlineAt!) - Date.parse(wait.since)).toBe(120_000)
    core.runs.cancel(run.id, 'ann')
    expect(runs.runWait(core.ws.store, run.id)).toBeNull()
  })
})
