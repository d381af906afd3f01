// One trace per run, and a timeline step opens it at that step: a real browser run whose
// trace was cut around a secret; the run's stitched trace opens in Playwright's viewer (the
// one host mode serves) with the step's group selected, keyboard included.
import { expect, test } from './fixtures'
import { seriousViolations } from './support/axe'
import { registerFlow, startRun, waitDone } from './support/runs'

test.use({ demo: false })
test.describe.configure({ timeout: 120_000 })

test('a timeline step links to its place in the run’s one trace', async ({ app, host, page, site }) => {
  const secret = await host.api.post('/api/secrets', { data: { name: 'acme_pass', value: 'E2e-S3cret-55!' } })
  expect(secret.ok(), await secret.text()).toBe(true)
  const flow = await registerFlow(
    host,
    `name: Traced steps
trace: true
steps:
  - goto: ${site.url}/form
  - click: "#name"
  - fill: { selector: "#name", value: "\${secrets.acme_pass}" }
  - goto: ${site.url}/form?again=1
  - fill: { selector: "#name", value: "ops" }
  - click: "#name"
`,
  )
  const run = await waitDone(host, (await startRun(host, { flowId: flow.id })).id)
  expect(run.status).toBe('succeeded')

  // The stitched trace is one zip holding both segments.
  const zip = await host.api.get(`/api/runs/${run.id}/trace`)
  expect(zip.status()).toBe(200)
  expect(zip.headers()['content-type']).toBe('application/zip')
  expect((await zip.body()).subarray(0, 2).toString()).toBe('PK')

  await app.ready()
  await page.goto(`${host.origin}/#/runs/${run.id}`)
  const step5 = page.locator('[data-testid="timeline-step"][data-index="5"]')
  const link = step5.getByTestId('timeline-step-trace')
  await expect(link).toHaveAttribute('href', `#/runs/${run.id}/trace?step=5`)
  // Keyboard: the link is reachable and opens like a click.
  await link.focus()
  await page.keyboard.press('Enter')

  await expect(page.getByRole('heading', { level: 1, name: 'Trace at step 5' })).toBeVisible()
  const frame = page.frameLocator('[data-testid="trace-frame"]')
  const selected = frame.locator('[role="treeitem"][aria-selected="true"] .action-title-method').first()
  await expect(selected).toHaveText(/^Step 5 · /, { timeout: 30_000 })
  await expect(page.getByTestId('trace-step-find')).toHaveAttribute('data-find', 'selected')
  // One trace: the steps before the secret are in the same viewer as those after it.
  await expect(frame.locator('.action-title-method', { hasText: /^Step 1 · / })).toHaveCount(1)
  await expect(frame.locator('.action-title-method', { hasText: /^Step 6 · / })).toHaveCount(1)
  expect(await seriousViolations(page, { exclude: ['[data-testid="trace-frame"]'] }), 'trace page').toEqual([])

  // Step 3 typed the secret: it was never recorded, and the page says so instead of pretending.
  await page.goto(`${host.origin}/#/runs/${run.id}/trace?step=3`)
  await expect(page.getByTestId('trace-step-find')).toHaveAttribute('data-find', 'absent', { timeout: 30_000 })
  await expect(page.getByTestId('trace-step-find')).toContainText('not in the trace')
})
