// MFA waits end to end: the test plays the person through the live page, as the takeover
// view would, and checks statuses, the event order, and that the typed code is stored nowhere.
import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFixtureSite, type FixtureSite } from '../../../test/support/fixture-site'
import { listAlerts } from '../store/alerts'
import { engineHarness, type EngineHarness } from '../../../test/support/engine-harness'

let site: FixtureSite
let h: EngineHarness

beforeAll(async () => {
  site = await startFixtureSite({ altHost: 'localhost' })
  h = await engineHarness()
})
afterAll(async () => {
  await h?.close()
  await site?.close()
})

const of = (runId: string, type: string) => h.events(runId).filter((e) => e.type === type)

/** The run's live page as a takeover view would see it (the newest popup, else the run's page). */
async function livePage(runId: string): Promise<Page> {
  await h.waitFor(runId, 'waiting-mfa')
  const live = h.engine.livePages.get(runId)
  expect(live).toBeDefined()
  return live!.page
}

function dbBytes(): Buffer {
  const db = h.core.ws.paths.db
  const parts = [readFileSync(db)]
  try {
    parts.push(readFileSync(`${db}-wal`))
  } catch {
    // No WAL right now (checkpointed): the main file is all there is.
  }
  return Buffer.concat(parts)
}

describe('MFA waits', () => {
  it('waits at an explicit mfa step until its url holds, then resumes with evidence', async () => {
    const run = h.start(`name: Explicit MFA
steps:
  - goto: ${site.url}/mfa/autofocus
  - mfa: { until: { url: "**/done" }, timeout: 30s }
  - expect: Welcome back
`)
    const page = await livePage(run.id)
    const waiting = h.service.mustRun(run.id)
    expect(waiting.status).toBe('waiting-mfa')
    expect(listAlerts(h.core.ws.store, true).some((a) => a.runId === run.id && a.kind === 'mfa-needed')).toBe(true)
    await page.fill('#otp', site.code)
    await page.click('button[type=submit]')
    await h.waitFor(run.id, ['running', 'succeeded'])
    const done = await h.finished(run.id)
    expect(done.status).toBe('succeeded')

    const detected = of(run.id, 'mfa.detected')[0]!
    expect(detected.data).toMatchObject({ kind: 'code', url: `${site.url}/mfa/autofocus`, timeoutMs: 30_000 })
    expect(detected.data.signals).toContain('one-time-code field')
    const order = h.events(run.id).map((e) => (e.type === 'evidence.captured' ? `evidence:${e.data.name}` : e.type))
    const i = order.indexOf('mfa.detected')
    expect(order.slice(i, i + 5)).toEqual([
      'mfa.detected',
      'run.status',
      'alert.raised',
      'takeover.ended',
      'run.status',
    ])
    expect(order.indexOf('evidence:evidence-after-mfa')).toBe(i + 5)
    expect(of(run.id, 'takeover.ended')[0]!.data).toEqual({ reason: 'until-met' })
    expect(listAlerts(h.core.ws.store, true).some((a) => a.runId === run.id)).toBe(false)
    // What the person typed is in no event, no row, no log line.
    expect(dbBytes().includes(Buffer.from(site.code))).toBe(false)
    expect(h.log.lines.join('\n')).not.toContain(site.code)
  })

  it('detects a prompt by itself and resumes once it is gone and the page settled', async () => {
    const run = h.start(`name: Detected MFA
steps:
  - goto: ${site.url}/mfa/plain
  - expect: Welcome back
`)
    const page = await livePage(run.id)
    expect(of(run.id, 'mfa.detected')[0]!.data).toMatchObject({ kind: 'code', timeoutMs: 15 * 60_000 })
    await page.fill('#verification_code', site.code)
    const submitted = Date.now()
    await page.click('button[type=submit]')
    const done = await h.finished(run.id)
    expect(done.status).toBe('succeeded')
    expect(of(run.id, 'takeover.ended')[0]!.data).toEqual({ reason: 'prompt-gone' })
    // "Gone" means gone for a while (1.5 s after it was last seen, up to one 250 ms poll
    // before the click): the run did not jump on the first empty poll.
    const resumed = Date.parse(of(run.id, 'takeover.ended')[0]!.ts)
    expect(resumed - submitted).toBeGreaterThanOrEqual(1_000)
    expect(h.artifacts(run.id).map((a) => a.name)).toEqual(['evidence-after-mfa', 'final'])
  })

  it('does not stop on a search form with a field named "code"', async () => {
    const run = await h.finished(
      h.start(`name: Search
steps:
  - goto: ${site.url}/search
  - fill: { selector: "#q", value: "1234" }
  - press: { selector: "#q", key: Enter }
  - expect: { selector: "#results", text: "1234" }
`).id,
    )
    expect(run.status).toBe('succeeded')
    expect(of(run.id, 'mfa.detected')).toHaveLength(0)
  })

  it('fails with the timeout named, after a stale-wait alert halfway', async () => {
    const run = await h.finished(
      h.start(`name: Nobody comes
steps:
  - goto: ${site.url}/mfa/autofocus
  - mfa: { until: { url: "**/done" }, timeout: 2s }
`).id,
    )
    expect(run.status).toBe('failed')
    expect(run.error).toBe('Step 2 (mfa until url **/done, line 4) failed: Nobody completed the MFA prompt within 2s')
    const raised = of(run.id, 'alert.raised').map((e) => ({ kind: e.data.kind, ts: Date.parse(e.ts) }))
    const detectedAt = Date.parse(of(run.id, 'mfa.detected')[0]!.ts)
    const stale = raised.find((a) => a.kind === 'stale-wait')
    expect(stale).toBeDefined()
    expect(stale!.ts - detectedAt).toBeGreaterThanOrEqual(900)
    expect(stale!.ts - detectedAt).toBeLessThan(1_900)
    expect(raised.at(-1)!.kind).toBe('run-failed')
    expect(of(run.id, 'takeover.ended')[0]!.data).toEqual({ reason: 'failed' })
  })

  it('refuses Resume while until does not hold, and accepts a forced one', async () => {
    const run = h.start(`name: Forced
steps:
  - goto: ${site.url}/mfa/autofocus
  - mfa: { until: { url: "**/done" }, timeout: 30s }
  - expect: Two-step verification
`)
    await livePage(run.id)
    const refused = await h.service.resume(run.id, false, 'op').catch((e: Error) => e)
    // Exactly what is wrong, naming no button: the screens add the actions they offer.
    expect((refused as Error).message).toBe('The page still shows the sign-in prompt (until: url **/done not reached)')
    expect(h.service.mustRun(run.id).status).toBe('waiting-mfa')
    const resumed = await h.service.resume(run.id, true, 'op')
    expect(resumed.status).toBe('running')
    const done = await h.finished(run.id)
    expect(done.status).toBe('succeeded')
    expect(of(run.id, 'takeover.ended').map((e) => e.data)).toEqual([{ reason: 'forced', by: 'op' }])
    // The same prompt is still on the page after the expect step: no second wait for it.
    expect(of(run.id, 'mfa.detected')).toHaveLength(1)
  })

  it('cancels while waiting for a person', async () => {
    const run = h.start(
      `name: Cancel the wait\nsteps:\n  - goto: ${site.url}/mfa/autofocus\n  - expect: Welcome back\n`,
    )
    await livePage(run.id)
    const t0 = Date.now()
    h.service.cancel(run.id)
    const done = await h.finished(run.id, 5_000)
    expect(done.status).toBe('canceled')
    expect(Date.now() - t0).toBeLessThan(2_000)
    expect(of(run.id, 'takeover.ended')[0]!.data).toEqual({ reason: 'canceled' })
    expect(h.engine.livePages.get(run.id)).toBeUndefined()
  })

  it('follows a prompt into a popup and a cross-site iframe', async () => {
    const popupRun = h.start(`name: Popup
steps:
  - goto: ${site.url}/mfa/popup
  - click: "#signin"
  - expect: { text: Welcome back, timeout: 20s }
`)
    const popup = await livePage(popupRun.id)
    expect(popup.url()).toBe(`${site.url}/mfa/popup/auth`)
    const live = h.engine.livePages.get(popupRun.id)!
    expect(live.pages().map((p) => new URL(p.url()).pathname)).toEqual(['/mfa/popup', '/mfa/popup/auth'])
    const focus: string[] = []
    const off = live.onPageChange((p) => focus.push(p.url()))
    expect(of(popupRun.id, 'mfa.detected')[0]!.data.signals).toContain('in a popup')
    await popup.fill('#otp', site.code)
    await popup.click('button[type=submit]')
    expect((await h.finished(popupRun.id)).status).toBe('succeeded')
    off()
    // The popup closed itself: the view went back to the run's own page.
    expect(focus[0]).toMatch(/\/mfa\/popup$|\/done$/)

    const frameRun = h.start(`name: Iframe
steps:
  - goto: ${site.url}/mfa/iframe
  - expect: { text: Welcome back, timeout: 20s }
`)
    const page = await livePage(frameRun.id)
    expect(of(frameRun.id, 'mfa.detected')[0]!.data.signals).toContain(`in a frame from ${site.altUrl}`)
    const frame = page.frameLocator('#mfa-frame')
    await frame.locator('#otp').fill(site.code)
    await frame.locator('button[type=submit]').click()
    expect((await h.finished(frameRun.id)).status).toBe('succeeded')
  })
})
