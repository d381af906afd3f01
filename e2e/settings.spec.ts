// Settings against a real host: each setting saves on its own with feedback, a refused value
// shows its message at the field, secrets come back by name only, and the policy editor
// shows a refused file's problem at its line.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect, test, type Host } from './fixtures'
import { seriousViolations } from './support/axe'

test.use({ demo: false })

const setting = (page: Page, key: string): Locator => page.locator(`[data-setting="${key}"]`)

async function saved(host: Host): Promise<Record<string, unknown>> {
  return ((await (await host.api.get('/api/settings')).json()) as { settings: Record<string, unknown> }).settings
}

test('each setting saves with feedback; a wrong value is refused at its field', async ({ app, host, page }) => {
  await app.open('Settings')
  await expect(page.getByTestId('workspace-path')).toHaveText(host.workspace)

  const concurrency = setting(page, 'runs.concurrency')
  await concurrency.getByLabel('Runs at once', { exact: true }).fill('40')
  await concurrency.getByRole('button', { name: 'Save' }).click()
  await expect(concurrency.getByTestId('setting-error')).toContainText(/16/)
  await expect(concurrency.getByLabel('Runs at once', { exact: true })).toHaveAttribute('aria-invalid', 'true')
  expect((await saved(host))['runs.concurrency']).toBeUndefined()

  await concurrency.getByLabel('Runs at once', { exact: true }).fill('3')
  await concurrency.getByLabel('Runs at once', { exact: true }).press('Enter')
  await expect(concurrency.getByTestId('setting-feedback')).toHaveText(/Saved/)
  await expect(concurrency.getByLabel('Runs at once', { exact: true })).not.toHaveAttribute('aria-invalid', 'true')
  expect((await saved(host))['runs.concurrency']).toBe(3)

  const endpoint = setting(page, 'browser.endpoint')
  await endpoint.getByLabel('Remote browser endpoint', { exact: true }).fill('http://127.0.0.1:9222')
  await endpoint.getByRole('button', { name: 'Save' }).click()
  await expect(endpoint.getByTestId('setting-error')).toContainText('ws://')
  expect((await saved(host))['browser.endpoint']).toBeUndefined()

  const timeout = setting(page, 'commands.timeoutMs')
  await timeout.getByLabel('Command timeout (seconds)', { exact: true }).fill('45')
  await timeout.getByRole('button', { name: 'Save' }).click()
  await expect(timeout.getByTestId('setting-feedback')).toHaveText(/Saved/)
  expect((await saved(host))['commands.timeoutMs']).toBe(45_000)

  await setting(page, 'runs.trace').getByLabel('Record a Playwright trace of browser runs').check()
  await expect(setting(page, 'runs.trace').getByTestId('setting-feedback')).toHaveText(/Saved/)
  expect((await saved(host))['runs.trace']).toBe(true)

  // A browser path that does not exist: saved, and the view says runs have no browser.
  const path = setting(page, 'browser.executablePath')
  await path.getByLabel('Browser path', { exact: true }).fill('/nowhere/chromium')
  await path.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByTestId('browser-problem')).toContainText('/nowhere/chromium')
  await path.getByRole('button', { name: 'Reset Browser path to the default' }).click()
  await expect(path.getByTestId('setting-feedback')).toHaveText(/back to the default/)
  await expect(page.getByTestId('browser-path')).toBeVisible()
  expect((await saved(host))['browser.executablePath']).toBeUndefined()

  // Saved values survive a reload.
  await page.reload()
  await expect(setting(page, 'runs.concurrency').getByLabel('Runs at once', { exact: true })).toHaveValue('3')
  await expect(
    setting(page, 'commands.timeoutMs').getByLabel('Command timeout (seconds)', { exact: true }),
  ).toHaveValue('45')
})

test('a stored secret shows by name only, and storing it again replaces it', async ({ app, host, page }) => {
  const value = 'hunter2-e2e-very-secret'
  await app.open('Settings')
  const form = page.getByRole('form', { name: 'Store a secret' })
  await form.getByLabel('Name').fill('portal_password')
  await form.getByLabel('Value').fill(value)
  await expect(form.getByLabel('Value')).toHaveAttribute('type', 'password')
  await form.getByRole('button', { name: 'Store secret' }).click()

  const row = page.getByTestId('secret-row')
  await expect(row).toHaveCount(1)
  await expect(row).toContainText('portal_password')
  await expect(form.getByLabel('Value')).toHaveValue('')
  expect(await page.content()).not.toContain(value)
  const listed = await (await host.api.get('/api/secrets')).text()
  expect(listed).toContain('portal_password')
  expect(listed).not.toContain(value)

  await row.getByRole('button', { name: 'Replace the value of portal_password' }).click()
  await expect(form.getByLabel('Value')).toBeFocused()
  await expect(form.getByLabel('Name')).toHaveValue('portal_password')
  await page.keyboard.type('another-value')
  await form.getByRole('button', { name: 'Replace secret' }).click()
  await expect(page.getByText('Secret portal_password replaced')).toBeVisible()
  await expect(page.getByTestId('secret-row')).toHaveCount(1)
})

test('a refused policy shows its problem at its line; a valid one is saved', async ({ app, host, page }) => {
  await app.open('Settings')
  const editor = page.getByLabel('policy.yaml')
  await expect(editor).toHaveValue(/flows:/)
  await expect(page.getByTestId('policy-state')).toHaveText('Defaults (not saved yet)')

  await editor.fill('# my policy\nflows:\n  offListOrigin: sometimes\n')
  await page.getByRole('button', { name: 'Save policy' }).click()
  const problem = page.getByTestId('editor-problem')
  await expect(problem).toHaveCount(1)
  await expect(problem).toHaveAttribute('data-line', '3')
  await expect(problem).toContainText('Line 3')
  await expect(page.locator('.gutter-bad')).toHaveAttribute('data-line', '3')
  await expect(editor).toHaveAttribute('aria-invalid', 'true')
  expect(existsSync(join(host.workspace, 'policy.yaml'))).toBe(false)
  expect(await seriousViolations(page), 'settings with a refused policy').toEqual([])

  // The problem's button selects from its column to the end of that line.
  await problem.getByRole('button').click()
  await expect(editor).toBeFocused()
  expect(
    await editor.evaluate((el) => {
      const t = el as unknown as { value: string; selectionStart: number; selectionEnd: number }
      return t.value.slice(t.selectionStart, t.selectionEnd)
    }),
  ).toBe('sometimes')

  await editor.fill('# my policy\nflows:\n  offListOrigin: deny\n')
  await page.getByRole('button', { name: 'Save policy' }).click()
  await expect(page.getByTestId('policy-state')).toHaveText('Saved')
  await expect(page.getByTestId('editor-problem')).toHaveCount(0)
  expect(readFileSync(join(host.workspace, 'policy.yaml'), 'utf8')).toContain('offListOrigin: deny')
})
