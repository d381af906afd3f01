// Assist on failure, as an operator meets it: a step fails, the run waits with its page
// alive, the takeover view shows what failed above the live page, and a person fixes the
// page through the view (clicks at page coordinates) and runs the step again, or skips it.
import type { FixtureSite } from '../test/support/fixture-site'
import { expect, test } from './fixtures'
import { TakeoverPage } from './pages/takeover'
import { centerOf, events, waitStatus, type RunRow } from './support/takeover'

test.use({ demo: false })
test.describe.configure({ timeout: 120_000 })

// The order form is submitted without the updates box; the check after it fails.
const flow = (site: FixtureSite) => `name: Order with updates
viewport: { width: 1000, height: 700 }
stepTimeout: 2s
steps:
  - goto: ${site.url}/form
  - fill: { selector: "#name", value: Ada }
  - click: "button[type=submit]"
  - expect: { selector: "#result", text: "updates=yes" }
`

test('a failed check fixed through the takeover view, then run again to success', async ({ app, host, browser, site }) => {
  // The UI starts runs with onFailure: assist; so does this request.
  const res = await host.api.post('/api/runs', { data: { flow: flow(site), onFailure: 'assist' } })
  expect(res.status(), await res.text()).toBe(201)
  const run = (await res.json()) as RunRow
  await waitStatus(host, run.id, ['waiting-assist'])

  const tk = new TakeoverPage(app.page)
  await tk.open(host.origin, run.id)
  await tk.expectStatus('waiting-assist')
  const panel = app.page.getByTestId('assist-panel')
  await expect(panel).toContainText('Step 4 failed: expect "#result", text "updates=yes"')
  await expect(app.page.getByTestId('assist-error')).toContainText('updates=yes')
  await tk.waitLive()

  // The person ticks the box the flow forgot and submits the form again, through the view.
  const vp = await tk.viewport()
  const result = async (p: import('@playwright/test').Page) => {
    await p.fill('#name', 'Ada')
    await p.click('button[type=submit]')
  }
  await tk.clickAt(await centerOf(browser, `${site.url}/form`, '#updates', vp, { prepare: result }))
  await tk.clickAt(await centerOf(browser, `${site.url}/form`, 'button[type=submit]', vp, { prepare: result }))
  await app.page.getByTestId('assist-note').fill('ticked updates')
  await app.page.getByTestId('assist-retry').click()
  await tk.expectStatus('succeeded')

  const evs = await events(host, run.id)
  const decided = evs.find((e) => e.type === 'assist.decided')!
  expect(decided.data).toMatchObject({ action: 'retry-step', note: 'ticked updates' })
  expect(String(decided.data.by)).not.toBe('')
  const types = evs.map((e) => e.type)
  expect(types.indexOf('assist.requested')).toBeLessThan(types.indexOf('takeover.started'))
  expect(types.lastIndexOf('evidence.captured')).toBeGreaterThan(types.indexOf('assist.decided'))
})

test('skip: the failed step is marked skipped and the run goes on', async ({ app, host, site }) => {
  const res = await host.api.post('/api/runs', { data: { flow: flow(site), onFailure: 'assist' } })
  const run = (await res.json()) as RunRow
  await waitStatus(host, run.id, ['waiting-assist'])
  // The needs-you list offers Continue for it.
  await app.page.goto(`${host.origin}/#/runs/${run.id}`)
  await expect(app.page.getByTestId('takeover-callout')).toContainText('A step failed')
  await app.page.getByTestId('takeover-link').click()
  await app.page.getByTestId('assist-skip').click()
  await expect(app.page.getByTestId('takeover-status')).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 })
  const evs = await events(host, run.id)
  expect(evs.find((e) => e.type === 'step.skipped')!.data).toMatchObject({ index: 4 })
})
