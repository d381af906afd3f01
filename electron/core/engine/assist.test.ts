// Assist on failure end to end: a failing step leaves the run waiting-assist with its page
// alive; the test plays the person on the live page and decides through the run service
// (retry the step, skip it, fail), as the takeover view's buttons would.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { httpStatus } from '../api/errors'
import { DomainError } from '../errors'
import { engineSuite } from '../../../test/support/engine-suite'

const suite = engineSuite()

const of = (runId: string, type: string) => suite.h.events(runId).filter((e) => e.type === type)

/** A flow whose second step looks for a button the page does not have. */
const broken = (extra = 'onFailure: assist\n') => `name: Broken selector
${extra}stepTimeout: 1s
steps:
  - goto: ${suite.site.url}/form
  - click: "#submit-order"
  - expect: { selector: "#result", text: "plan=basic" }
`

async function waitingPage(runId: string): Promise<Page> {
  await suite.h.waitFor(runId, 'waiting-assist', 20_000)
  return suite.h.engine.livePages.get(runId)!.page
}

async function conflictOf(p: Promise<unknown>): Promise<number> {
  try {
    await p
    return 200
  } catch (err) {
    return err instanceof DomainError ? httpStatus(err.code) : 500
  }
}

describe('assist on failure', () => {
  it('a person fixes the page, the failed step runs again, and the run goes on', async () => {
    const run = suite.h.start(broken())
    const page = await waitingPage(run.id)
    const asked = of(run.id, 'assist.requested')[0]!.data
    expect(asked).toMatchObject({ index: 2, label: 'click "#submit-order"' })
    expect(String(asked.error)).toMatch(/page\.click: Timeout 1000ms exceeded/)
    // What a person would do in the takeover view: make the button the flow looks for.
    await page.evaluate(`document.querySelector('button[type=submit]').id = 'submit-order'`)
    await suite.h.service.continueRun(run.id, 'retry-step', 'renamed the button', 'ann')
    const done = await suite.h.finished(run.id)
    expect(done.status, done.error ?? '').toBe('succeeded')
    expect(of(run.id, 'assist.decided')[0]!.data).toEqual({
      action: 'retry-step',
      by: 'ann',
      note: 'renamed the button',
    })
    expect(of(run.id, 'step.started').filter((e) => e.data.index === 2)).toHaveLength(2)
    expect(suite.h.artifacts(run.id).map((a) => a.name)).toContain('evidence-after-assist')
    // Deciding again, or on a run that is not waiting: 409.
    expect(await conflictOf(suite.h.service.continueRun(run.id, 'skip-step', null, 'bob'))).toBe(409)
  })

  it('skip marks the step skipped and goes on', async () => {
    const run = suite.h.start(`name: Skip
onFailure: assist
stepTimeout: 1s
steps:
  - goto: ${suite.site.url}/form
  - click: "#not-there"
  - fill: { selector: "#name", value: Ada }
`)
    await waitingPage(run.id)
    await suite.h.service.continueRun(run.id, 'skip-step', null, 'ann')
    const done = await suite.h.finished(run.id)
    expect(done.status, done.error ?? '').toBe('succeeded')
    expect(of(run.id, 'step.skipped')[0]!.data).toMatchObject({ index: 2, by: 'ann' })
    expect(of(run.id, 'step.succeeded').map((e) => e.data.index)).toEqual([1, 3])
  })

  it('fail ends the run with who and the note; two people deciding at once: one wins', async () => {
    const run = suite.h.start(broken())
    await waitingPage(run.id)
    const [a, b] = await Promise.all([
      conflictOf(suite.h.service.continueRun(run.id, 'fail', 'the portal is down', 'ann')),
      conflictOf(suite.h.service.continueRun(run.id, 'retry-step', null, 'bob')),
    ])
    expect([a, b].sort()).toEqual([200, 409])
    const done = await suite.h.finished(run.id)
    expect(done.status).toBe('failed')
    expect(done.error).toMatch(/^Failed by ann at step 2: the portal is down \(the step failed with: /)
    expect(of(run.id, 'assist.decided')).toHaveLength(1)
  })

  it('without onFailure: assist a failing step ends the run as before', async () => {
    const run = await suite.h.finished(suite.h.start(broken('')).id)
    expect(run.status).toBe('failed')
    expect(of(run.id, 'assist.requested')).toHaveLength(0)
  })

  it('the run setting asks for assist when the flow does not say; the flow can say fail', async () => {
    const viaRun = suite.h.service.create({ flow: broken(''), onFailure: 'assist' }, 'ann')
    await waitingPage(viaRun.id)
    suite.h.service.cancel(viaRun.id, 'ann')
    expect((await suite.h.finished(viaRun.id)).status).toBe('canceled')

    const flowSaysFail = await suite.h.finished(
      suite.h.service.create({ flow: broken('onFailure: fail\n'), onFailure: 'assist' }, 'ann').id,
    )
    expect(flowSaysFail.status).toBe('failed')
  })
})
