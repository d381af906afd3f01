// A person completes MFA prompts through the takeover view only (clicks at page
// coordinates on the live view, typing), against the fixture site, in host mode. Each
// test checks the run's outcome, its event order, the evidence after takeover.ended, and
// that the typed code is nowhere in the workspace database. The flows carry no explicit
// `mfa` step unless the test is about one: the engine's prompt watcher must find the
// prompt by itself, within 3 s of it rendering (DESIGN.md "Prompt watcher").
import { startFixtureSite, type FixtureSite } from '../test/support/fixture-site'
import { expect, test } from './fixtures'
import { TakeoverPage } from './pages/takeover'
import {
  centerOf,
  events,
  expectDetectedFast,
  expectTakenOver,
  getRun,
  startRun,
  tsOf,
  waitForPerson,
  waitStatus,
  type EventRow,
} from './support/takeover'

test.use({ demo: false })
test.describe.configure({ timeout: 120_000 })

let site: FixtureSite
test.beforeAll(async () => {
  // altHost localhost: the MFA iframe is cross-site, so Chromium runs it out of process.
  site = await startFixtureSite({ altHost: 'localhost' })
})
test.afterAll(async () => {
  await site?.close()
})

const VIEWPORT = 'viewport: { width: 1000, height: 700 }'

/** When step `index` started: the prompt rendered no earlier than this. */
const stepStarted =
  (index: number, plusMs = 0) =>
  (evs: EventRow[]) =>
    tsOf(evs, (e) => e.type === 'step.started' && e.data.index === index, `no step.started for step ${index}`) + plusMs

/** When step `index` succeeded: a goto's page (and its iframes) had loaded by then. */
const stepSucceeded = (index: number) => (evs: EventRow[]) =>
  tsOf(evs, (e) => e.type === 'step.succeeded' && e.data.index === index, `no step.succeeded for step ${index}`)

test('an autofocused code field', async ({ app, host, browser }) => {
  const tk = new TakeoverPage(app.page)
  const run = await startRun(
    host,
    `name: Autofocus\n${VIEWPORT}\nsteps:\n  - goto: ${site.url}/mfa/autofocus\n  - expect: Welcome back\n`,
  )
  await tk.open(host.origin, run.id)
  await waitForPerson(host, run.id)
  await tk.waitLive()
  await tk.expectStatus('waiting-mfa')
  await tk.clickAt(await centerOf(browser, `${site.url}/mfa/autofocus`, '#otp', await tk.viewport()))
  await tk.type(site.code)
  await tk.press('Enter')
  await tk.expectStatus('succeeded')
  await expectTakenOver(host, run.id, [site.code])
})

test('a code field without autocomplete hints', async ({ app, host, browser }) => {
  const tk = new TakeoverPage(app.page)
  const run = await startRun(
    host,
    `name: Plain\n${VIEWPORT}\nsteps:\n  - goto: ${site.url}/mfa/plain\n  - expect: Welcome back\n`,
  )
  await tk.open(host.origin, run.id)
  await waitForPerson(host, run.id)
  await tk.waitLive()
  const vp = await tk.viewport()
  await tk.clickAt(await centerOf(browser, `${site.url}/mfa/plain`, '#verification_code', vp))
  await tk.type(site.code)
  await tk.clickAt(await centerOf(browser, `${site.url}/mfa/plain`, 'button[type=submit]', vp))
  await tk.expectStatus('succeeded')
  await expectTakenOver(host, run.id, [site.code])
})

test('MFA in a popup window', async ({ app, host, browser }) => {
  const tk = new TakeoverPage(app.page)
  const run = await startRun(
    host,
    `name: Popup\n${VIEWPORT}\nsteps:\n  - goto: ${site.url}/mfa/popup\n  - click: "#signin"\n  - expect: { text: Welcome back, timeout: 60s }\n`,
  )
  await tk.open(host.origin, run.id)
  await waitForPerson(host, run.id)
  // The popup opens on the click, so it rendered after step 2 started.
  const detected = await expectDetectedFast(host, run.id, stepStarted(2))
  expect(detected.data).toMatchObject({ kind: 'code', popup: true })
  expect(String(detected.data.frameUrl)).toContain('/mfa/popup/auth')
  await tk.waitLive()
  await expect(tk.url).toContainText('/mfa/popup/auth') // the view follows the popup
  await expect(tk.url.locator('.tag')).toHaveText('popup')
  await tk.clickAt(await centerOf(browser, `${site.url}/mfa/popup/auth`, '#otp', await tk.viewport()))
  await tk.type(site.code)
  await tk.press('Enter')
  await tk.expectStatus('succeeded')
  const evs = await expectTakenOver(host, run.id, [site.code])
  // The click was sent once: a step that acted is never repeated.
  expect(evs.filter((e) => e.type === 'step.started' && e.data.index === 2)).toHaveLength(1)
})

test('MFA inside a cross-origin iframe', async ({ app, host, browser }) => {
  const tk = new TakeoverPage(app.page)
  const run = await startRun(
    host,
    `name: Iframe\n${VIEWPORT}\nsteps:\n  - goto: ${site.url}/mfa/iframe\n  - expect: { text: Welcome back, timeout: 60s }\n`,
  )
  await tk.open(host.origin, run.id)
  await waitForPerson(host, run.id)
  // The frame loads with the page: it rendered after the goto started, and before the
  // goto's load event (which waits for iframes).
  const detected = await expectDetectedFast(host, run.id, stepStarted(1), { renderedBy: stepSucceeded(1) })
  expect(detected.data).toMatchObject({ kind: 'code', popup: false })
  expect(String(detected.data.frameUrl)).toBe(`${site.altUrl}/frame/mfa`)
  await tk.waitLive()
  await tk.clickAt(
    await centerOf(browser, `${site.url}/mfa/iframe`, '#otp', await tk.viewport(), { frame: '#mfa-frame' }),
  )
  await tk.type(site.code)
  await tk.press('Enter')
  await tk.expectStatus('succeeded')
  await expectTakenOver(host, run.id, [site.code])
})

test('a wrong code first, then the right one', async ({ app, host, browser }) => {
  const tk = new TakeoverPage(app.page)
  const wrong = '654321'
  const run = await startRun(
    host,
    `name: Wrong first\n${VIEWPORT}\nsteps:\n  - goto: ${site.url}/mfa/wrong-first\n  - expect: { text: Welcome back, timeout: 60s }\n`,
  )
  await tk.open(host.origin, run.id)
  await waitForPerson(host, run.id)
  await expectDetectedFast(host, run.id, stepStarted(1), { renderedBy: stepSucceeded(1) })
  await tk.waitLive()
  const vp = await tk.viewport()
  await tk.clickAt(await centerOf(browser, `${site.url}/mfa/wrong-first`, '#otp', vp))
  await tk.type(wrong)
  await tk.press('Enter')
  // The page says the code is wrong: the prompt is still there, so the run keeps waiting.
  await app.page.waitForTimeout(3_000)
  expect((await getRun(host, run.id)).status).toBe('waiting-mfa')
  await tk.expectStatus('waiting-mfa')
  // The error line pushes the field down: find it where the person now sees it.
  const again = await centerOf(browser, `${site.url}/mfa/wrong-first`, '#otp', vp, {
    prepare: async (p) => {
      await p.fill('#otp', '000000')
      await p.press('#otp', 'Enter')
      await p.locator('#error').waitFor()
    },
  })
  await tk.clickAt(again)
  await tk.press('Control+A')
  await tk.type(site.code)
  await tk.press('Enter')
  await tk.expectStatus('succeeded')
  const evs = await expectTakenOver(host, run.id, [site.code, wrong])
  // One wait covered both attempts: the wrong code did not end it.
  expect(evs.filter((e) => e.type === 'takeover.ended').map((e) => e.data)).toEqual([{ reason: 'prompt-gone' }])
})

test('a method chooser before the code', async ({ app, host, browser }) => {
  const tk = new TakeoverPage(app.page)
  const run = await startRun(
    host,
    `name: Chooser\n${VIEWPORT}\nsteps:\n  - goto: ${site.url}/mfa/chooser\n  - expect: { text: Welcome back, timeout: 30s }\n`,
  )
  await tk.open(host.origin, run.id)
  await waitForPerson(host, run.id)
  await tk.waitLive()
  const vp = await tk.viewport()
  await tk.clickAt(await centerOf(browser, `${site.url}/mfa/chooser`, 'button[value=app]', vp))
  await expect(tk.url).toContainText('method=app')
  await tk.clickAt(await centerOf(browser, `${site.url}/mfa/chooser?method=app`, '#otp', vp))
  await tk.type(site.code)
  await tk.press('Enter')
  await tk.expectStatus('succeeded')
  await expectTakenOver(host, run.id, [site.code])
})

test('a single-page app that renders the code field late', async ({ app, host, browser }) => {
  const tk = new TakeoverPage(app.page)
  const delay = 2_500
  const url = `${site.url}/mfa/spa?delay=${delay}`
  const run = await startRun(
    host,
    `name: SPA\n${VIEWPORT}\nsteps:\n  - goto: ${url}\n  - expect: { text: Welcome back, timeout: 60s }\n`,
  )
  await tk.open(host.origin, run.id)
  await waitForPerson(host, run.id)
  // The page's script starts its timer after the goto started: the field renders no
  // earlier than `delay` after that, while step 2 already waits for "Welcome back".
  const detected = await expectDetectedFast(host, run.id, stepStarted(1, delay))
  expect(detected.data).toMatchObject({ kind: 'code', popup: false })
  const evs = await events(host, run.id)
  expect(
    evs.some((e) => e.type === 'step.started' && e.data.index === 2 && e.seq < detected.seq),
    'the prompt came while step 2 waited',
  ).toBe(true)
  await tk.waitLive()
  // A person waits until the field shows; measuring waits for it the same way.
  await tk.clickAt(await centerOf(browser, url, '#otp', await tk.viewport()))
  await tk.type(site.code)
  await tk.press('Enter')
  await tk.expectStatus('succeeded')
  await expectTakenOver(host, run.id, [site.code])
})

test('a person who never comes: the run times out with an alert', async ({ app, host }) => {
  const tk = new TakeoverPage(app.page)
  const run = await startRun(
    host,
    `name: Nobody\n${VIEWPORT}\nsteps:\n  - goto: ${site.url}/mfa/autofocus\n  - mfa: { until: { url: "**/done" }, timeout: 4s }\n`,
  )
  await tk.open(host.origin, run.id)
  await waitForPerson(host, run.id)
  await tk.waitLive()
  await tk.expectStatus('failed', 30_000)
  const done = await getRun(host, run.id)
  expect(done.error).toContain('Nobody completed the MFA prompt within 4s')
  const evs = await events(host, run.id)
  const kinds = evs.filter((e) => e.type === 'alert.raised').map((e) => e.data.kind)
  expect(kinds).toContain('mfa-needed')
  expect(kinds.at(-1)).toBe('run-failed')
  expect(evs.some((e) => e.type === 'takeover.started')).toBe(false)
  expect(evs.find((e) => e.type === 'takeover.ended')?.data).toEqual({ reason: 'failed' })
  const alerts = (await (await host.api.get('/api/alerts?open=true')).json()) as { runId: string; kind: string }[]
  expect(alerts.some((a) => a.runId === run.id && a.kind === 'run-failed')).toBe(true)
  await expect(tk.resumeButton).toBeDisabled()
})

test('a persistent profile skips MFA on the second run', async ({ app, host, browser }) => {
  const tk = new TakeoverPage(app.page)
  const flow = `name: Remember\nprofile: e2e-remember\n${VIEWPORT}\nsteps:\n  - goto: ${site.url}/mfa/remember\n  - expect: Welcome back\n`
  const first = await startRun(host, flow)
  await tk.open(host.origin, first.id)
  await waitForPerson(host, first.id)
  await tk.waitLive()
  const vp = await tk.viewport()
  await tk.clickAt(await centerOf(browser, `${site.url}/mfa/remember`, '#remember', vp))
  await tk.clickAt(await centerOf(browser, `${site.url}/mfa/remember`, '#otp', vp))
  await tk.type(site.code)
  await tk.press('Enter')
  await tk.expectStatus('succeeded')
  await expectTakenOver(host, first.id, [site.code])

  const second = await startRun(host, flow)
  const done = await waitStatus(host, second.id, ['succeeded', 'failed', 'canceled', 'waiting-mfa'])
  expect(done.status).toBe('succeeded')
  const types = (await events(host, second.id)).map((e) => e.type)
  expect(types).not.toContain('mfa.detected')
  expect(types).not.toContain('takeover.started')
})
