// axe-core on every view, in both themes: no serious or critical violation.
import AxeBuilder from '@axe-core/playwright'
import { expect, test } from './fixtures'
import type { ViewName } from './pages/app'

const VIEWS: ViewName[] = ['Execution', 'Runs', 'Approvals', 'Alerts', 'Flows', 'Settings']

for (const scheme of ['light', 'dark'] as const) {
  test(`no serious or critical axe violations (${scheme})`, async ({ app, page }) => {
    await page.emulateMedia({ colorScheme: scheme })
    for (const view of VIEWS) {
      await app.open(view)
      await expect(page.getByText(/^Loading/)).toHaveCount(0)
      if (view === 'Execution') {
        // Open every kind of inline form too, so their labels are checked.
        await page.getByRole('button', { name: 'New track' }).click()
        await page.getByRole('button', { name: /^Add step to Execution queue/ }).click()
      }
      const results = await new AxeBuilder({ page }).analyze()
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      expect(
        bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join('\n  ')}`),
        `${view} in ${scheme}`,
      ).toEqual([])
    }
  })
}
