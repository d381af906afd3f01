// Every view opens from the navigation and renders data, an empty state or "not available
// in this build", never a crash.
import { expect, test } from './fixtures'
import type { ViewName } from './pages/app'

const VIEWS: ViewName[] = ['Runs', 'Approvals', 'Alerts', 'Flows', 'Schedules', 'Profiles', 'Analytics', 'Settings', 'Execution']

test('each view opens without errors', async ({ app, page }) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  for (const view of VIEWS) {
    await app.open(view)
    await expect(page.getByText(/^Loading/)).toHaveCount(0)
    await expect(
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: new RegExp(`^${view}`) }),
    ).toHaveAttribute('aria-current', 'page')
  }
  expect(errors).toEqual([])
})

test('the theme toggle in settings switches light and dark', async ({ app, page }) => {
  await app.open('Settings')
  await page.getByRole('radio', { name: 'Dark' }).check()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  const dark = await page.evaluate('getComputedStyle(document.body).backgroundColor')
  await page.getByRole('radio', { name: 'Light' }).check()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
  const light = await page.evaluate('getComputedStyle(document.body).backgroundColor')
  expect(dark).not.toBe(light)
  await page.reload()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
})
