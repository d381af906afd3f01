// "Needs you" in host mode: a run that starts waiting for a person shows up in the top-bar
// list within a second, with the count and the tab title; one click takes over (the live
// page has the keyboard at once); approving from the list lets the run go on and the item
// goes away. Runs are started through the API, as another operator or the CLI would.
import { expect, test } from './fixtures'
import { seriousViolations } from './support/axe'
import { startRun, waitStatus } from './support/takeover'

test.use({ demo: false })
test.describe.configure({ timeout: 120_000 })

test('a waiting run appears within a second, takes over in one click, and approving clears it', async ({ app, host, page, site }) => {
  await app.live()
  const count = page.getByTestId('needs-you')
  await expect(count).toHaveAttribute('data-count', '0')
  await expect(page).toHaveTitle('Opdesk')

  // A run stopped by a one-time-code prompt.
  const mfa = await startRun(host, `name: Needs a code\nsteps:\n  - goto: ${site.url}/mfa/autofocus\n  - expect: Welcome back\n`)
  await waitStatus(host, mfa.id, ['waiting-mfa'])
  const waitingAt = Date.now()
  await expect(count).toHaveAttribute('data-count', '1', { timeout: 1_000 })
  expect(Date.now() - waitingAt).toBeLessThan(1_000)
  await expect(page).toHaveTitle('(1) Opdesk')

  // A run at an approval step: second in the list (it began waiting later).
  const appr = await startRun(
    host,
    `name: Pay it\nsteps:\n  - goto: ${site.url}/search\n  - approval: { reason: "Pay the invoice" }\n  - goto: ${site.url}/search\n`,
  )
  await waitStatus(host, appr.id, ['waiting-approval'])
  await expect(count).toHaveAttribute('data-count', '2', { timeout: 1_000 })
  await expect(page).toHaveTitle('(2) Opdesk')

  await count.click()
  const items = page.getByTestId('needs-you-item')
  await expect(items).toHaveCount(2)
  await expect(items.nth(0)).toHaveAttribute('data-run-id', mfa.id)
  await expect(items.nth(0)).toContainText('Needs a code')
  await expect(items.nth(1)).toHaveAttribute('data-run-id', appr.id)
  await expect(items.nth(1)).toContainText('Pay the invoice')
  expect(await seriousViolations(page), 'needs-you list').toEqual([])

  // Approve from the list: the run goes on and its item goes away.
  await items.nth(1).getByRole('button', { name: 'Approve: Pay it' }).click()
  await expect(items).toHaveCount(1)
  await expect(count).toHaveAttribute('data-count', '1')
  await expect(page).toHaveTitle('(1) Opdesk')
  expect((await waitStatus(host, appr.id, ['succeeded'])).status).toBe('succeeded')

  // One click takes over: the takeover view, with the live page holding the keyboard.
  await count.click()
  await items.nth(0).getByRole('link', { name: 'Take over: Needs a code' }).click()
  await expect(page).toHaveURL(new RegExp(`#/takeover/${mfa.id}$`))
  await expect(page.getByTestId('takeover-status')).toHaveAttribute('data-live', 'true', { timeout: 30_000 })
  await expect(page.getByTestId('takeover-view').locator(':focus')).toHaveCount(1)
  // Typing goes straight to the page: the autofocused code field receives the code.
  await page.keyboard.type(site.code, { delay: 30 })
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('takeover-status')).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 })
  await expect(count).toHaveAttribute('data-count', '0')
  await expect(page).toHaveTitle('Opdesk')
  await expect(page.getByText('The run succeeded; no person is needed now.')).toBeVisible()
})

test('Take over sits on the alert and run rows of a waiting run', async ({ app, host, page, site }) => {
  await app.live()
  const mfa = await startRun(host, `name: Row code\nsteps:\n  - goto: ${site.url}/mfa/autofocus\n  - expect: Welcome back\n`)
  await waitStatus(host, mfa.id, ['waiting-mfa'])

  await app.open('Alerts')
  const alert = page.getByTestId('alert-row').filter({ hasText: 'Row code' })
  await expect(alert.getByRole('link', { name: 'Take over: Row code' })).toHaveAttribute('href', `#/takeover/${mfa.id}`)

  await app.open('Runs')
  await page.getByRole('link', { name: 'Take over: Row code' }).click()
  await expect(page).toHaveURL(new RegExp(`#/takeover/${mfa.id}$`))
  expect(await seriousViolations(page), 'takeover view').toEqual([])
  await host.api.post(`/api/runs/${mfa.id}/cancel`)
})
