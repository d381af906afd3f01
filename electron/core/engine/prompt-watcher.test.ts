// The prompt watcher end to end: prompts that appear while a step waits (late render,
// popup, cross-site iframe, a real application's own TOTP login) reach waiting-mfa by
// themselves and quickly; the test plays the person on the live page; a step that acted
// is not repeated; login forms the flow fills itself, and flows that turn detection off,
// are left alone.
import type { Page } from 'playwright-core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startDjangoOtpAdmin, type DjangoOtpAdmin } from '../../../test/support/django-otp'
import { engineSuite } from '../../../test/support/engine-suite'

const suite = engineSuite({ altHost: 'localhost' })

const of = (runId: string, type: string) => suite.h.events(runId).filter((e) => e.type === type)
const started = (runId: string, index: number) => of(runId, 'step.started').filter((e) => e.data.index === index)

async function livePage(runId: string, timeoutMs = 10_000): Promise<Page> {
  await suite.h.waitFor(runId, 'waiting-mfa', timeoutMs)
  return suite.h.engine.livePages.get(runId)!.page
}

/** ms from the event of `fromType` (the last one for step `index`, when given) to mfa.detected. */
function detectedAfter(runId: string, fromType: string, index?: number): number {
  const from = of(runId, fromType).filter((e) => index === undefined || e.data.index === index)
  const detected = of(runId, 'mfa.detected')[0]!
  return Date.parse(detected.ts) - Date.parse(from.at(-1)!.ts)
}

describe('prompt watcher', () => {
  it('a code field a single-page app renders late interrupts the waiting step, which runs again after the person', async () => {
    const run = suite.h.start(`name: Late SPA
steps:
  - goto: ${suite.site.url}/mfa/spa?delay=1200
  - expect: { text: Welcome back, timeout: 60s }
`)
    const page = await livePage(run.id)
    const detected = of(run.id, 'mfa.detected')[0]!.data
    expect(detected).toMatchObject({ kind: 'code', popup: false, frameUrl: `${suite.site.url}/mfa/spa?delay=1200` })
    expect(detected.latencyMs as number).toBeGreaterThanOrEqual(0)
    expect(detectedAfter(run.id, 'step.started', 1)).toBeLessThan(1_200 + 3_000)
    await page.fill('#otp', suite.site.code)
    await page.press('#otp', 'Enter')
    const done = await suite.h.finished(run.id)
    expect(done.status, done.error ?? '').toBe('succeeded')
    // The expect step started once, was interrupted, and finished after takeover.ended.
    expect(started(run.id, 2)).toHaveLength(1)
    const types = suite.h.events(run.id).map((e) => e.type)
    expect(types.indexOf('takeover.ended')).toBeLessThan(types.lastIndexOf('step.succeeded'))
    expect(suite.h.artifacts(run.id).map((a) => a.name)).toContain('evidence-after-mfa')
  })

  it('an acting step waiting for its target is abandoned before it acts, then acts once', async () => {
    const run = suite.h.start(`name: Click after MFA
steps:
  - goto: ${suite.site.url}/mfa/spa?delay=800
  - click: "text=Welcome back"
`)
    const page = await livePage(run.id)
    expect(of(run.id, 'mfa.detected')[0]!.data.latencyMs as number).toBeGreaterThanOrEqual(0)
    await page.fill('#otp', suite.site.code)
    await page.press('#otp', 'Enter')
    const done = await suite.h.finished(run.id)
    expect(done.status, done.error ?? '').toBe('succeeded')
    expect(started(run.id, 2)).toHaveLength(1)
    expect(of(run.id, 'step.succeeded').map((e) => e.data.index)).toEqual([1, 2])
  })

  it('a popup a click opened: the click is not sent again', async () => {
    const run = suite.h.start(`name: Popup
steps:
  - goto: ${suite.site.url}/mfa/popup
  - click: "#signin"
  - expect: { text: Welcome back, timeout: 30s }
`)
    const popup = await livePage(run.id)
    expect(popup.url()).toBe(`${suite.site.url}/mfa/popup/auth`)
    const detected = of(run.id, 'mfa.detected')[0]!.data
    expect(detected).toMatchObject({ kind: 'code', popup: true, frameUrl: `${suite.site.url}/mfa/popup/auth` })
    expect(detected.latencyMs as number).toBeGreaterThanOrEqual(0)
    expect(detectedAfter(run.id, 'step.succeeded', 2)).toBeLessThan(3_000)
    await popup.fill('#otp', suite.site.code)
    await popup.click('button[type=submit]')
    const done = await suite.h.finished(run.id)
    expect(done.status, done.error ?? '').toBe('succeeded')
    expect(started(run.id, 2)).toHaveLength(1)
  })

  it('a prompt inside a cross-site iframe', async () => {
    const run = suite.h.start(`name: Iframe
steps:
  - goto: ${suite.site.url}/mfa/iframe
  - expect: { text: Welcome back, timeout: 30s }
`)
    const page = await livePage(run.id)
    const detected = of(run.id, 'mfa.detected')[0]!.data
    expect(detected).toMatchObject({ popup: false, frameUrl: `${suite.site.altUrl}/frame/mfa` })
    expect(detectedAfter(run.id, 'step.started', 2)).toBeLessThan(3_000)
    await page.frameLocator('#mfa-frame').locator('#otp').fill(suite.site.code)
    await page.frameLocator('#mfa-frame').locator('button[type=submit]').click()
    const done = await suite.h.finished(run.id)
    expect(done.status, done.error ?? '').toBe('succeeded')
  })

  it('a push approval page, then the method chooser', async () => {
    const push = suite.h.start(
      `name: Push\nsteps:\n  - goto: ${suite.site.url}/mfa/push\n  - expect: { text: Welcome back, timeout: 30s }\n`,
    )
    const page = await livePage(push.id)
    expect(of(push.id, 'mfa.detected')[0]!.data).toMatchObject({ kind: 'push' })
    await page.click('button[type=submit]')
    expect((await suite.h.finished(push.id)).status).toBe('succeeded')

    const chooser = suite.h.start(
      `name: Chooser\nsteps:\n  - goto: ${suite.site.url}/mfa/chooser\n  - expect: { text: Welcome back, timeout: 30s }\n`,
    )
    const p2 = await livePage(chooser.id)
    expect(of(chooser.id, 'mfa.detected')[0]!.data).toMatchObject({ kind: 'chooser' })
    await p2.click('button[value=app]')
    await p2.fill('#otp', suite.site.code)
    await p2.press('#otp', 'Enter')
    expect((await suite.h.finished(chooser.id)).status).toBe('succeeded')
    // One wait covers the chooser and the code it led to.
    expect(of(chooser.id, 'mfa.detected')).toHaveLength(1)
  })

  it('a login wall that comes back mid-run', async () => {
    const run = suite.h.start(`name: Session expired
steps:
  - goto: ${suite.site.url}/done
  - goto: ${suite.site.url}/login-wall
  - expect: { text: Welcome back, timeout: 30s }
`)
    const page = await livePage(run.id)
    expect(of(run.id, 'mfa.detected')[0]!.data).toMatchObject({ kind: 'login' })
    await page.fill('#email', 'ops@example.com')
    await page.fill('#password', 'not-stored-anywhere')
    await page.click('button[type=submit]')
    const done = await suite.h.finished(run.id)
    expect(done.status, done.error ?? '').toBe('succeeded')
  })

  it('an explicit mfa step whose condition already holds still waits while a prompt shows', async () => {
    const run = suite.h.start(`name: Holds but asks
steps:
  - goto: ${suite.site.url}/mfa/plain
  - mfa: { until: { selector: main }, timeout: 60s }
  - expect: { text: Welcome back, timeout: 5s }
`)
    const page = await livePage(run.id)
    await page.fill('#verification_code', suite.site.code)
    await page.click('button[type=submit]')
    const done = await suite.h.finished(run.id)
    expect(done.status, done.error ?? '').toBe('succeeded')
    expect(of(run.id, 'takeover.ended')[0]!.data).toEqual({ reason: 'until-met' })
  })

  describe('leaves alone', () => {
    it('a login form the flow fills itself', async () => {
      const run = await suite.h.finished(
        suite.h.start(`name: Own login
steps:
  - goto: ${suite.site.url}/login-wall
  - fill: { selector: "#email", value: ops@example.com }
  - fill: { selector: "#password", value: pw-123456 }
  - click: "button[type=submit]"
  - expect: Welcome back
`).id,
      )
      expect(run.status, run.error ?? '').toBe('succeeded')
      expect(of(run.id, 'mfa.detected')).toHaveLength(0)
    })

    const CHECK = (): string => `steps:
  - goto: ${suite.site.url}/login-wall
  - expect: { selector: "#password" }`

    it('a flow that only checks a login page, with detectMfa: false', async () => {
      const run = await suite.h.finished(suite.h.start(`name: Check login\ndetectMfa: false\n${CHECK()}\n`).id)
      expect(run.status, run.error ?? '').toBe('succeeded')
      expect(of(run.id, 'mfa.detected')).toHaveLength(0)
    })

    it('a step with detect: false', async () => {
      const run = await suite.h.finished(suite.h.start(`name: Check login\n${CHECK()}\n    detect: false\n`).id)
      expect(run.status, run.error ?? '').toBe('succeeded')
      expect(of(run.id, 'mfa.detected')).toHaveLength(0)
    })

    it('but the same check without either option waits for a person', async () => {
      const run = suite.h.start(`name: Check login\n${CHECK()}\n`)
      await suite.h.waitFor(run.id, 'waiting-mfa', 10_000)
      suite.h.service.cancel(run.id)
      expect((await suite.h.finished(run.id)).status).toBe('canceled')
    })
  })
})

describe('a real application: django-otp admin login', () => {
  // One server per test: django-otp refuses a code from a step it already accepted.
  let app: DjangoOtpAdmin
  beforeEach(async () => {
    app = await startDjangoOtpAdmin()
  })
  afterEach(async () => {
    await app?.stop()
  })

  it('an mfa step until **/admin/ is not met by the login page that returns to /admin/', async () => {
    const run = suite.h.start(`name: Django admin by hand
steps:
  - goto: ${app.baseUrl}/admin/
  - mfa: { until: { url: "**/admin/" }, timeout: 60s }
  - expect: Site administration
`)
    // /admin/ redirects to /admin/login/?next=/admin/: the query is not the page.
    const page = await livePage(run.id, 15_000)
    expect(page.url()).toContain('/admin/login/?next=/admin/')
    await page.fill('#id_username', app.username)
    await page.fill('#id_password', app.password)
    await page.fill('#id_otp_token', app.totp())
    await page.press('#id_otp_token', 'Enter')
    const done = await suite.h.finished(run.id)
    expect(done.status, done.error ?? '').toBe('succeeded')
    expect(of(run.id, 'takeover.ended')[0]!.data).toEqual({ reason: 'until-met' })
  })

  it('fills what the flow knows, hands the OTP Token field to a person, and goes on', async () => {
    const run = suite.h.start(`name: Django admin
steps:
  - goto: ${app.loginUrl}
  - fill: { selector: "#id_username", value: "${app.username}" }
  - fill: { selector: "#id_password", value: "${app.password}" }
  - click: "input[type=submit]"
  - expect: Site administration
`)
    const page = await livePage(run.id, 15_000)
    expect(of(run.id, 'mfa.detected')[0]!.data).toMatchObject({ kind: 'code', popup: false })
    // The flow filled its own fields before handing over; the person types only the code.
    expect(await page.inputValue('#id_username')).toBe(app.username)
    expect(of(run.id, 'step.succeeded').map((e) => e.data.index)).toEqual([1, 2, 3])
    await page.fill('#id_otp_token', app.totp())
    await page.press('#id_otp_token', 'Enter')
    const done = await suite.h.finished(run.id)
    expect(done.status, done.error ?? '').toBe('succeeded')
    const logs = of(run.id, 'log').map((e) => String(e.data.message))
    expect(logs.some((m) => /Step 4 .* was done by the person/.test(m))).toBe(true)
    expect(of(run.id, 'step.succeeded').map((e) => e.data.index)).toEqual([1, 2, 3, 4, 5])
  })
})
