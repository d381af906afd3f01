// Login health in host mode, against the bundled Acme portal: a person logs the profile in
// through the takeover view; the portal then ends its sessions (the fixture expires them),
// the check marks the profile stale, raises login-stale and the track that uses it waits
// ('login for acme'); Log in now through the takeover again, and the check passes.
import { startDemoSite, DEMO_CREDENTIALS, type DemoSite } from '../electron/core/demo/site'
import { expect, test, type Host } from './fixtures'
import { ExecutionPage } from './pages/execution'
import { ProfilesPage } from './pages/profiles'
import { TakeoverPage } from './pages/takeover'
import { centerOf, events, waitStatus } from './support/takeover'
import type { Browser, Page } from '@playwright/test'

test.use({ demo: false })
test.describe.configure({ timeout: 300_000 })

let site: DemoSite
test.beforeAll(async () => {
  site = await startDemoSite()
})
test.afterAll(async () => {
  await site?.close()
})

/** The login run the Log in now button opened (the takeover view's route names it). */
async function loginRunId(page: Page): Promise<string> {
  await page.waitForURL(/#\/takeover\//)
  const m = /#\/takeover\/([^/?]+)/.exec(page.url())
  expect(m, page.url()).not.toBeNull()
  return decodeURIComponent(m![1]!)
}

/** Signs in on the live page through the takeover view only: clicks where fields are, typing. */
async function logInThroughTakeover(tk: TakeoverPage, browser: Browser, opts: { mfa: boolean }): Promise<void> {
  await tk.waitLive()
  await tk.expectStatus('waiting-mfa')
  const vp = await tk.viewport()
  const at = (selector: string) => centerOf(browser, `${site.url}/login`, selector, vp)
  await tk.clickAt(await at('#email'))
  await tk.type(DEMO_CREDENTIALS.email)
  await tk.clickAt(await at('#password'))
  await tk.type(DEMO_CREDENTIALS.password)
  await tk.clickAt(await at('#keep'))
  await tk.press('Enter')
  if (!opts.mfa) return
  const onMfa = async (selector: string) =>
    centerOf(browser, `${site.url}/login`, selector, vp, {
      prepare: async (p) => {
        await p.fill('#email', DEMO_CREDENTIALS.email)
        await p.fill('#password', DEMO_CREDENTIALS.password)
        await p.click('button[type=submit]')
        await p.waitForURL('**/mfa')
      },
    })
  const otp = await onMfa('#otp')
  const remember = await onMfa('#remember')
  await expect(tk.url).toContainText('/mfa', { timeout: 30_000 })
  await tk.clickAt(remember)
  await tk.clickAt(otp)
  await tk.type(site.currentCode())
  await tk.press('Enter')
}

async function expectLoggedIn(host: Host, runId: string): Promise<void> {
  const run = await waitStatus(host, runId, ['succeeded', 'failed', 'canceled'], 90_000)
  const evs = await events(host, runId)
  expect(run.status, `${run.error}\n${evs.map((e) => `${e.type} ${JSON.stringify(e.data)}`).join('\n')}`).toBe(
    'succeeded',
  )
  expect(evs.some((e) => e.type === 'takeover.started')).toBe(true)
  expect(JSON.stringify(evs)).not.toContain(DEMO_CREDENTIALS.password)
}

test('a session the portal expires: stale, the track waits, Log in now through the takeover, the check passes', async ({
  app,
  host,
  browser,
}) => {
  const created = await host.api.post('/api/tracks', { data: { title: 'Acme month-end' } })
  const trackId = ((await created.json()) as { id: string }).id
  const flow = await host.api.post('/api/flows', {
    data: {
      source: `name: Acme landing\nprofile: acme\ndetectMfa: false\nsteps:\n  - goto: ${site.url}/login\n  - expect: { text: "Sign in" }\n`,
    },
  })
  expect(flow.status(), await flow.text()).toBe(201)
  const use = await host.api.post('/api/runs', {
    data: { flowId: ((await flow.json()) as { id: string }).id, trackId },
  })
  expect(use.status(), await use.text()).toBe(201)
  await waitStatus(host, ((await use.json()) as { id: string }).id, ['succeeded'])

  const profiles = new ProfilesPage(app.page)
  const tk = new TakeoverPage(app.page)
  await profiles.goto()
  await expect(profiles.row('acme')).toContainText('Acme landing')
  await expect(profiles.health('acme')).toHaveAttribute('data-state', 'unknown')

  // The login check, set in the view: the dashboard's export button means logged in.
  await profiles.row('acme').getByRole('button', { name: 'Set check' }).click()
  const form = app.page.getByRole('form', { name: 'Login check of acme' })
  await form.getByLabel('Check page').fill(`${site.url}/dashboard`)
  await form.getByLabel('Logged in when').selectOption('selector')
  await form.getByLabel('Selector (visible)').fill('#export')
  await form.getByLabel('Login page', { exact: true }).fill(`${site.url}/login`)
  await form.getByRole('button', { name: 'Save check' }).click()
  await expect(form).toHaveCount(0)
  await expect(profiles.row('acme')).toContainText(`checks ${site.url}/dashboard`)

  // A first login, so there is a session to lose.
  await profiles.logInNow('acme')
  const first = await loginRunId(app.page)
  await logInThroughTakeover(tk, browser, { mfa: true })
  await expectLoggedIn(host, first)
  await profiles.goto()
  await profiles.expectHealth('acme', 'ok')
  await profiles.checkNow('acme')
  await profiles.expectHealth('acme', 'ok')

  // The portal ends every session; the next check finds the profile logged out.
  const expired = await fetch(`${site.url}/api/demo-expire-sessions`, { method: 'POST' })
  expect(((await expired.json()) as { expired: number }).expired).toBeGreaterThan(0)
  await profiles.checkNow('acme')
  await profiles.expectHealth('acme', 'stale')
  await expect(profiles.row('acme')).toContainText('Not logged in')
  const alerts = (await (await host.api.get('/api/alerts?open=true')).json()) as { kind: string }[]
  expect(alerts.filter((a) => a.kind === 'login-stale')).toHaveLength(1)

  const execution = new ExecutionPage(app.page)
  await execution.goto()
  const card = execution.card('Acme month-end')
  await card.expectState('waiting')
  await expect(card.fact('waiting-on')).toContainText('login for acme')

  // Log in now: the profile's browser at the login page, in the takeover view.
  await profiles.goto()
  await profiles.logInNow('acme')
  const second = await loginRunId(app.page)
  expect(second).not.toBe(first)
  await logInThroughTakeover(tk, browser, { mfa: false })
  await expectLoggedIn(host, second)
  await profiles.goto()
  await profiles.expectHealth('acme', 'ok')
  await expect(profiles.row('acme')).toContainText('logged in by')
  await execution.goto()
  await expect(card.root).not.toHaveAttribute('data-state', 'waiting')
  const open = (await (await host.api.get('/api/alerts?open=true')).json()) as { kind: string }[]
  expect(open.filter((a) => a.kind === 'login-stale')).toHaveLength(0)

  // The next scheduled run of a flow that needs the login succeeds with nobody there.
  const saved = await host.api.post('/api/flows', {
    data: { source: `name: Acme dashboard\nprofile: acme\nsteps:\n  - goto: ${site.url}/dashboard\n  - expect: { selector: "#export" }\n` },
  })
  expect(saved.status(), await saved.text()).toBe(201)
  const flowId = ((await saved.json()) as { id: string }).id
  const made = await host.api.post('/api/schedules', { data: { flowId, cron: '*/2 * * * * *', timezone: 'UTC' } })
  expect(made.status(), await made.text()).toBe(201)
  const scheduleId = ((await made.json()) as { id: string }).id
  let scheduled: { id: string; startedBy: string } | undefined
  await expect
    .poll(
      async () => {
        const { items } = (await (await host.api.get(`/api/runs?flowId=${flowId}`)).json()) as { items: { id: string; startedBy: string }[] }
        scheduled = items.find((r) => r.startedBy === `schedule:${scheduleId}`)
        return scheduled?.id ?? null
      },
      { timeout: 30_000 },
    )
    .not.toBeNull()
  // One run is enough: no more times after it.
  expect((await host.api.patch(`/api/schedules/${scheduleId}`, { data: { enabled: false } })).status()).toBe(200)
  await waitStatus(host, scheduled!.id, ['succeeded'])
})
