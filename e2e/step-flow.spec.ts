// Starting a registered flow from a track's step: the step menu, the flow picker, the run's
// live status under the step, and the run linked to the track.
import { expect, test } from './fixtures'
import { seriousViolations } from './support/axe'
import { registerFlow, snapshotFlow } from './support/runs'

test.describe.configure({ timeout: 90_000 })

test('a step starts a flow linked to its track and shows the run live', async ({ app, execution, host, page, site }) => {
  await registerFlow(host, snapshotFlow(site.url, 'Step snapshot'))
  await app.live()
  const card = execution.card('Execution queue')
  const step = card.steps().filter({ hasText: 'Run the export for the current month' })

  // The menu opens from the keyboard, arrows move, Escape returns focus to its button.
  const menuButton = step.getByRole('button', { name: 'Actions for step Run the export for the current month' })
  await menuButton.focus()
  await page.keyboard.press('ArrowDown')
  const menu = step.getByRole('menu')
  await expect(menu.getByRole('menuitem', { name: 'Start flow…' })).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(menu.getByRole('menuitem', { name: 'Runs of this track' })).toBeFocused()
  await page.keyboard.press('Escape')
  await expect(menu).toHaveCount(0)
  await expect(menuButton).toBeFocused()

  await menuButton.click()
  await menu.getByRole('menuitem', { name: 'Start flow…' }).click()
  const form = step.getByRole('form', { name: /Start a flow for step/ })
  await expect(form.getByLabel('Flow')).toHaveValue(/flw_/)
  await expect(form.getByLabel('Flow').locator('option')).toContainText(['Step snapshot'])
  await form.getByLabel('Flow').selectOption({ label: 'Step snapshot' })
  expect(await seriousViolations(page), 'execution with the start-flow form open').toEqual([])
  await form.getByRole('button', { name: 'Start run' }).click()

  const run = step.getByTestId('step-run')
  await expect(run).toBeVisible()
  await expect(run).toHaveAttribute('data-status', 'succeeded', { timeout: 45_000 })
  await expect(run).toContainText('succeeded')
  const runId = (await run.getAttribute('data-run-id'))!

  const stored = (await (await host.api.get(`/api/runs/${runId}`)).json()) as { trackId: string; stepId: string }
  const tracks = (await (await host.api.get('/api/tracks')).json()) as {
    id: string
    title: string
    steps: { id: string; title: string }[]
  }[]
  const queue = tracks.find((t) => t.title === 'Execution queue')!
  expect(stored.trackId).toBe(queue.id)
  expect(stored.stepId).toBe(queue.steps.find((s) => s.title === 'Run the export for the current month')!.id)

  await run.getByRole('link', { name: 'Step snapshot' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Step snapshot' })).toBeVisible()
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded')
})
