// Analytics over real run history: browser flows against the fixture site, run through the
// API, then the per-flow table and charts and the failure patterns in both themes.
import { expect, test } from './fixtures'
import { seriousViolations } from './support/axe'
import { failingFlow, registerFlow, snapshotFlow, startRun, waitDone } from './support/runs'

test.use({ demo: false })
test.describe.configure({ timeout: 120_000 })

test('analytics shows per-flow numbers, charts and failure patterns', async ({ app, host, page, site }) => {
  const ok = await registerFlow(host, snapshotFlow(site.url, 'Nightly snapshot'))
  const bad = await registerFlow(host, failingFlow(site.url, 'Broken export'))
  const runs = [
    await startRun(host, { flowId: ok.id }),
    await startRun(host, { flowId: ok.id }),
    await startRun(host, { flowId: bad.id }),
  ]
  const done = await Promise.all(runs.map((r) => waitDone(host, r.id)))
  expect(done.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'failed'])

  await app.open('Analytics')
  const table = page.getByTestId('analytics-flows')
  await expect(table.getByRole('columnheader')).toHaveText([
    'Flow',
    'Runs',
    'Success rate',
    'Median duration',
    'p90 duration',
    'Takeovers per run',
    'Mean wait for a person',
    'Retries',
  ])
  const okRow = page.locator('[data-testid="analytics-flow-row"][data-flow="Nightly snapshot"]')
  await expect(okRow.locator('[data-col="runs"]')).toContainText('2')
  await expect(okRow.locator('[data-col="success"]')).toHaveText('100%')
  await expect(okRow.locator('[data-col="median"]')).toHaveText(/\d/)
  const badRow = page.locator('[data-testid="analytics-flow-row"][data-flow="Broken export"]')
  await expect(badRow.locator('[data-col="success"]')).toHaveText('0%')

  // Two charts, drawn as SVG with one bar per flow and series, labelled for assistive tech.
  const charts = page.getByTestId('analytics-chart')
  await expect(charts).toHaveCount(2)
  await expect(page.getByRole('figure', { name: 'Runs by outcome' })).toBeVisible()
  await expect(charts.first().locator('.recharts-bar-rectangle').first()).toBeVisible()
  await expect(charts.first().locator('svg[role="application"]')).toContainText('Nightly snapshot')

  const failure = page.getByTestId('failure-row')
  await expect(failure).toHaveCount(1)
  await expect(failure.locator('td').nth(1)).toHaveText('1')

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    expect(await seriousViolations(page), `analytics in ${scheme}`).toEqual([])
  }
  // Bars follow the theme: the success colour differs between light and dark.
  const fill = () => charts.first().locator('.recharts-bar-rectangle path').first().getAttribute('fill')
  const dark = await fill()
  await page.emulateMedia({ colorScheme: 'light' })
  await expect.poll(fill).not.toBe(dark)

  await failure.getByRole('link').first().click()
  await expect(page).toHaveURL(new RegExp(`#/runs/${runs[2]!.id}$`))
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'failed')
})
