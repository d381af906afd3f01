// GET /api/needs-you through the router, with real runs: a command waiting for approval
// before it starts, a browser run stopped by a sign-in prompt on the fixture site, and a
// browser run at an `approval` step. Checks the order (oldest wait first), what each item
// says is needed and offers, and that an item drops off as soon as its run stops waiting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NeedsYouItem } from '../../../shared/api'
import { startFixtureSite, type FixtureSite } from '../../../test/support/fixture-site'
import { engineHarness, type EngineHarness } from '../../../test/support/engine-harness'

let site: FixtureSite
let h: EngineHarness

beforeAll(async () => {
  site = await startFixtureSite()
  h = await engineHarness()
})
afterAll(async () => {
  await h?.close()
  await site?.close()
})

const needsYou = async () => {
  const res = await h.core.router.handle({ method: 'GET', path: '/api/needs-you' })
  expect(res.status).toBe(200)
  return res.body as NeedsYouItem[]
}
const waitEvent = (runId: string, to: string) =>
  h.events(runId).filter((e) => e.type === 'run.status' && e.data.to === to).at(-1)!

describe('GET /api/needs-you', () => {
  it('lists waiting runs oldest wait first, with what each needs and its one action, and drops them when they move on', async () => {
    expect(await needsYou()).toEqual([])

    // 1. A command the policy will not run without a person's approval (through the real core).
    const cmd = await h.core.router.handle({ method: 'POST', path: '/api/runs', body: { command: 'rm -rf ./needs-you-scratch' } })
    expect(cmd.status).toBe(201)
    const cmdId = (cmd.body as { id: string; status: string }).id
    expect((cmd.body as { status: string }).status).toBe('waiting-approval')

    // 2. A browser run stopped by a one-time-code prompt.
    const mfa = h.start(`name: Needs a code\nsteps:\n  - goto: ${site.url}/mfa/autofocus\n  - expect: Welcome back\n`)
    await h.waitFor(mfa.id, 'waiting-mfa')

    // 3. A browser run at an approval step, mid-flight.
    const appr = h.start(
      `name: Pay it\nsteps:\n  - goto: ${site.url}/search\n  - approval: { reason: "Pay the invoice" }\n  - goto: ${site.url}/search\n`,
    )
    await h.waitFor(appr.id, 'waiting-approval')

    // A run that needs nobody is not listed.
    const quiet = h.start(`name: Quiet\nsteps:\n  - goto: ${site.url}/search\n`)
    await h.finished(quiet.id)

    const items = await needsYou()
    expect(items.map((i) => i.runId)).toEqual([cmdId, mfa.id, appr.id])
    const since = items.map((i) => Date.parse(i.since))
    expect([...since].sort((a, b) => a - b)).toEqual(since)

    expect(items[0]).toMatchObject({
      status: 'waiting-approval',
      need: 'approval',
      action: 'approve',
      kind: 'command',
      title: 'rm -rf ./needs-you-scratch',
      takeoverUrl: null,
    })
    expect(items[0]!.approvalId).toMatch(/^apr_/)
    expect(items[0]!.reason.length).toBeGreaterThan(0)

    expect(items[1]).toMatchObject({
      status: 'waiting-mfa',
      need: 'mfa',
      action: 'take-over',
      kind: 'browser',
      title: 'Needs a code',
      approvalId: null,
      takeoverUrl: `/#/takeover/${mfa.id}`,
      since: waitEvent(mfa.id, 'waiting-mfa').ts,
    })
    expect(items[1]!.reason).toContain(`${site.url}/mfa/autofocus`)

    expect(items[2]).toMatchObject({
      status: 'waiting-approval',
      need: 'approval',
      action: 'approve',
      title: 'Pay it',
      reason: 'Pay the invoice',
      since: waitEvent(appr.id, 'waiting-approval').ts,
    })

    // Approving the mid-run approval lets the run go on; it drops off at once.
    h.service.decide(appr.id, 'approved', 'op', null)
    expect((await needsYou()).map((i) => i.runId)).toEqual([cmdId, mfa.id])
    await h.finished(appr.id)

    // A forced resume of the MFA wait: it drops off too.
    await h.service.resume(mfa.id, true, 'op')
    expect((await needsYou()).map((i) => i.runId)).toEqual([cmdId])
    h.service.cancel(mfa.id) // the code was never typed: its next step would only time out
    await h.finished(mfa.id)

    // Canceling the command before it started: nothing left.
    const canceled = await h.core.router.handle({ method: 'POST', path: `/api/runs/${cmdId}/cancel` })
    expect(canceled.status).toBe(200)
    expect(await needsYou()).toEqual([])
  })

  it('orders by when the wait began, not when the run was created', async () => {
    // Created first, but it only reaches its approval after a second run is already waiting.
    const later = h.start(
      `name: Slow to ask\nsteps:\n  - goto: ${site.url}/search\n  - wait: 1500ms\n  - approval: { reason: "Second" }\n`,
    )
    const first = await h.core.router.handle({ method: 'POST', path: '/api/runs', body: { command: 'rm -rf ./first-to-wait' } })
    const firstId = (first.body as { id: string }).id
    await h.waitFor(later.id, 'waiting-approval')
    expect((await needsYou()).map((i) => i.runId)).toEqual([firstId, later.id])
    await h.core.router.handle({ method: 'POST', path: `/api/runs/${firstId}/reject`, body: {} })
    h.service.decide(later.id, 'rejected', 'op', 'no')
    await h.finished(later.id)
    expect(await needsYou()).toEqual([])
  })

  it('answers only GET on its own path', async () => {
    expect((await h.core.router.handle({ method: 'POST', path: '/api/needs-you' })).status).toBe(404)
    expect((await h.core.router.handle({ method: 'GET', path: '/api/needs-you/x' })).status).toBe(404)
  })
})
