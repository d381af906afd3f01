import { expect, test } from './fixtures'

test('without the token the app says unauthorized and shows no data', async ({ browser, host }) => {
  const context = await browser.newContext() // no cookie: never opened the ?token= URL
  const page = await context.newPage()
  await page.goto(`${host.origin}/`)
  await expect(page.getByRole('alert')).toContainText(/unauthorized/i)
  await expect(page.getByTestId('unauthorized')).toBeVisible()
  await expect(page.getByTestId('track-card')).toHaveCount(0)
  await expect(page.getByTestId('summary-active')).toHaveCount(0)
  await context.close()
})

test('the token URL signs in and drops the token from the address bar', async ({ app, page }) => {
  await expect(page).not.toHaveURL(/token=/)
  await expect(app.heading()).toHaveText('Execution')
})
