// axe-core on every view, in both themes, with data on screen: no serious or critical violation.
import AxeBuilder from '@axe-core/playwright'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import type { ViewName } from './pages/app'

// Every view (nine), the run page, the launcher and an open flow, each analysed per theme on a shared 2-core machine: give it room.
test.describe.configure({ timeout: 180_000 })

const VIEWS: ViewName[] = ['Execution', 'Runs', 'Approvals', 'Alerts', 'Flows', 'Schedules', 'Profiles', 'Analytics', 'Settings']

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze()
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 5)
          .join('\n  ')}`,
    )
}

for (const scheme of ['light', 'dark'] as const) {
  test(`no serious or critical axe violations (${scheme})`, async ({ app, host, page }) => {
    await page.emulateMedia({ colorScheme: scheme })
    // Something in every list: a finished run, one waiting for approval (an approval and an alert).
    const done = await host.api.post('/api/runs', { data: { command: 'echo axe' } })
    await host.api.post('/api/runs', { data: { command: `rm -rf ${join(host.workspace, 'axe')}` } })
    const runId = ((await done.json()) as { id: string }).id

    for (const view of VIEWS) {
      await app.open(view)
      await expect(page.getByText(/^Loading/)).toHaveCount(0)
      if (view === 'Execution') {
        // Open every kind of inline form too, so their labels and contrast are checked.
        await page.getByRole('button', { name: 'New track' }).click()
        await page.getByRole('button', { name: 'Add step to Execution queue' }).click()
        await page.getByRole('button', { name: 'Add checkpoint to Browser MFA continuity' }).click()
        await page.getByRole('button', { name: 'Add blocker to Persisted runtime objects' }).click()
        await page.getByRole('button', { name: 'Edit details of Browser MFA continuity' }).click()
      }
      if (view === 'Profiles') await page.getByRole('button', { name: 'New profile' }).click()
      expect(await seriousViolations(page), `${view} in ${scheme}`).toEqual([])
    }

    await page.goto(`${host.origin}/#/runs/${runId}`)
    await expect(page.getByTestId('run-timeline')).toBeVisible()
    expect(await seriousViolations(page), `run timeline in ${scheme}`).toEqual([])
    await page.getByRole('tab', { name: 'Events' }).click()
    await expect(page.getByTestId('event-row').first()).toBeVisible()
    expect(await seriousViolations(page), `run detail in ${scheme}`).toEqual([])

    // The launcher over the page, on the demo flow with its verdict; Escape closes it and
    // gives focus back to the button that opened it.
    const opener = page.getByTestId('new-run-open')
    await opener.click()
    await expect(page.getByTestId('new-run-policy')).toHaveAttribute('data-verdict', /./)
    expect(await seriousViolations(page), `New run dialog in ${scheme}`).toEqual([])
    await page.keyboard.press('Escape')
    await expect(page.getByTestId('new-run')).toBeHidden()
    await expect(opener).toBeFocused()

    // A saved flow open in the editor with its versions.
    await app.open('Flows')
    await page.getByTestId('flow-row').first().getByRole('link').click()
    await expect(page.getByTestId('flow-version').first()).toBeVisible()
    expect(await seriousViolations(page), `a flow and its versions in ${scheme}`).toEqual([])
  })
}
