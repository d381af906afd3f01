// A person completes MFA prompts through the takeover view only (clicks at page
// coordinates on the live view, typing), against the fixture site, in host mode. Each
// test checks the run's outcome, its event order, the evidence after takeover.ended, and
// that the typed code is nowhere in the workspace database.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from '@playwright/test'
import { startFixtureSite, type FixtureSite } from '../electron/core/demo/fixture-site'
import { expect, test, type Host } from './fixtures'
import { TakeoverPage } from './pages/takeover'

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
interface RunRow {
  id: string
  status: string
  error: string | null
}
interface EventRow {
  seq: number
  type: string
  data: Record<string, unknown>
}

async function startRun(host: Host, flow: string): Promise<RunRow> {
  const res = await host.api.post('/api/runs', { data: { flow } })
  expect(res.status(), await res.text()).toBe(201)
  return (await res.json()) as RunRow
}

async function getRun(host: Host, id: string): Promise<RunRow> {
  return (await (await host.api.get(`/api/runs/${id}`)).json()) as RunRow
}

async function waitStatus(host: Host, id: string, statuses: string[], timeout = 60_000): Promise<RunRow> {
  let run: RunRow | null = null
  await expect
    .poll(async () => (run = await getRun(host, id)).status, { timeout, intervals: [100, 250, 500] })
    .toMatch(new RegExp(`^(${statuses.join('|')})$`))
  return run!
}

async function events(host: Host, id: string): Promise<EventRow[]> {
  return ((await (await host.api.get(`/api/runs/${id}/events?limit=10000`)).json()) as { events: EventRow[] }).events
}

/**
 * Where an element's centre is on the remote page: the same page laid out at the same
 * viewport in a scratch context (`prepare` brings it to the state the person sees).
 */
async function centerOf(
  browser: Browser,
  url: string,
  selector: string,
  viewport: { width: number; height: number },
  opts: { frame?: string; prepare?: (page: Page) => Promise<void> } = {},
) {
  const ctx = await browser.newContext({ viewport })
  try {
    const page = await ctx.newPage()
    await page.goto(url)
    await opts.prepare?.(page)
    const loc = opts.frame ? page.frameLocator(opts.frame).locator(selector) : page.locator(selector)
    await loc.waitFor()
    const b = (await loc.boundingBox())!
    return { x: b.x + b.width / 2, y: b.y + b.height / 2 }
  } finally {
    await ctx.close()
  }
}

/** The run waits for a person (the engine saw the prompt); on failure, says what the run did instead. */
async function waitForPerson(host: Host, id: string, timeout = 45_000): Promise<void> {
  let last = null as RunRow | null
  try {
    await expect
      .poll(async () => (last = await getRun(host, id)).status, { timeout, intervals: [100, 250, 500] })
      .toBe('waiting-mfa')
  } catch (err) {
    const log = (await events(host, id)).map((e) => `${e.seq} ${e.type} ${JSON.stringify(e.data).slice(0, 200)}`)
    throw new Error(`run ${id} never waited for a person (${last?.status}: ${last?.error})\n${log.join('\n')}`, {
      cause: err,
    })
  }
}

function dbBytes(host: Host): Buffer {
  const db = join(host.workspace, 'opdesk.db')
  const parts = [readFileSync(db)]
  for (const extra of ['-wal', '-journal']) {
    try {
      parts.push(readFileSync(db + extra))
    } catch {
      // Not there right now (checkpointed or never created).
    }
  }
  return Buffer.concat(parts)
}

/** The run went through a takeover and on to evidence; nothing typed was kept. */
async function expectTakenOver(host: Host, runId: string, typed: string[]): Promise<void> {
  const run = await waitStatus(host, runId, ['succeeded', 'failed', 'canceled'])
  expect(run.status, run.error ?? '').toBe('succeeded')
  const evs = await events(host, runId)
  const types = evs.map((e) => e.type)
  const at = (type: string, from = 0) => types.indexOf(type, from)
  const detected = at('mfa.detected')
  const started = at('takeover.started', detected)
  const input = at('takeover.input', started)
  const ended = at('takeover.ended', input)
  const evidence = at('evidence.captured', ended)
  expect(
    [detected, started, input, ended, evidence].every((i) => i >= 0),
    types.join(' '),
  ).toBe(true)
  expect(detected < started && started < input && input < ended && ended < evidence).toBe(true)
  expect(evs[started]!.data).toMatchObject({ by: 'operator' })
  for (const e of evs.filter((x) => x.type === 'takeover.input')) {
    expect(Object.keys(e.data).sort()).toEqual([
      'dialog',
      'keys',
      'mouse',
      'paste',
      'select',
      'text',
      'viewer',
      'wheel',
    ])
  }
  expect(
    evs.filter((x) => x.type === 'takeover.input').reduce((n, e) => n + Number(e.data.keys), 0),
  ).toBeGreaterThanOrEqual(6)

  const artifactId = evs[evidence]!.data.artifactId as string
  const arts = (await (await host.api.get(`/api/runs/${runId}/artifacts`)).json()) as { id: string; kind: string }[]
  expect(arts.find((a) => a.id === artifactId)?.kind).toBe('screenshot')
  const content = await host.api.get(`/api/artifacts/${artifactId}/content`)
  expect(content.status()).toBe(200)
  expect((await content.body()).subarray(1, 4).toString()).toBe('PNG')

  const db = dbBytes(host)
  for (const value of typed) expect(db.includes(Buffer.from(value)), `"${value}" found in the database`).toBe(false)
}

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
    // An explicit takeover point: detection right after the click can run before the popup loads.
    `name: Popup\n${VIEWPORT}\nsteps:\n  - goto: ${site.url}/mfa/popup\n  - click: "#signin"\n  - mfa: { until: { url: "**/done" }, timeout: 90s }\n  - expect: Welcome back\n`,
  )
  await tk.open(host.origin, run.id)
  await waitForPerson(host, run.id)
  await tk.waitLive()
  await expect(tk.url).toContainText('/mfa/popup/auth') // the view follows the popup
  await expect(tk.url.locator('.tag')).toHaveText('popup')
  await tk.clickAt(await centerOf(browser, `${site.url}/mfa/popup/auth`, '#otp', await tk.viewport()))
  await tk.type(site.code)
  await tk.press('Enter')
  await tk.expectStatus('succeeded')
  await expectTakenOver(host, run.id, [site.code])
})

test('MFA inside a cross-origin iframe', async ({ app, host, browser }) => {
  const tk = new TakeoverPage(app.page)
  const run = await startRun(
    host,
    `name: Iframe\n${VIEWPORT}\nsteps:\n  - goto: ${site.url}/mfa/iframe\n  - expect: { text: Welcome back, timeout: 30s }\n`,
  )
  await tk.open(host.origin, run.id)
  await waitForPerson(host, run.id)
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
    // until: only the right code ends the wait (a slow error page must not look like "prompt gone").
    `name: Wrong first\n${VIEWPORT}\nsteps:\n  - goto: ${site.url}/mfa/wrong-first\n  - mfa: { until: { url: "**/done" }, timeout: 90s }\n  - expect: Welcome back\n`,
  )
  await tk.open(host.origin, run.id)
  await waitForPerson(host, run.id)
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
  await expectTakenOver(host, run.id, [site.code, wrong])
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
  const run = await startRun(
    host,
    `name: SPA\n${VIEWPORT}\nsteps:\n  - goto: ${site.url}/mfa/spa?delay=1500\n  - mfa: { until: { url: "**/done-spa" }, timeout: 60s }\n  - expect: Welcome back\n`,
  )
  await tk.open(host.origin, run.id)
  await waitForPerson(host, run.id)
  await tk.waitLive()
  // A person waits until the field shows; measuring waits for it the same way.
  await tk.clickAt(await centerOf(browser, `${site.url}/mfa/spa?delay=1500`, '#otp', await tk.viewport()))
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
