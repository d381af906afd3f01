// Settings → Browser servers against a real host and two real browser servers: a wrong
// entry is refused in place, added servers list with their capacity, a run is placed on one
// (state up), a server that does not answer shows down with the reason, and removing one
// saves the list.
import type { BrowserServer } from 'playwright-core'
import { launchBrowserServer } from '../test/support/browser-servers'
import { expect, test } from './fixtures'
import { seriousViolations } from './support/axe'
import { registerFlow, startRun, waitDone } from './support/runs'

test.use({ demo: false })

let server: BrowserServer
test.beforeAll(async () => {
  server = await launchBrowserServer()
})
test.afterAll(async () => {
  await server?.close()
})

test('browser servers: refused in place, listed with capacity and state, removable', async ({ app, host, page, site }) => {
  await app.open('Settings')
  const form = page.getByRole('form', { name: 'Add a browser server' })
  await expect(form).toBeVisible()

  await form.getByLabel('Name').fill('rack-1')
  await form.getByLabel('Endpoint').fill('http://127.0.0.1:9222')
  await form.getByRole('button', { name: 'Add server' }).click()
  await expect(page.getByTestId('pool-error')).toContainText('ws://')
  await form.getByLabel('Endpoint').fill(server.wsEndpoint())
  await form.getByLabel('Capacity').fill('0')
  await form.getByLabel('Capacity').press('Enter')
  await expect(page.getByTestId('pool-error')).toContainText('at least 1')
  await form.getByLabel('Capacity').fill('2')
  await form.getByRole('button', { name: 'Add server' }).click()
  const rows = page.getByTestId('pool-endpoint-row')
  await expect(rows).toHaveCount(1)
  await expect(form.getByLabel('Name')).toHaveValue('')

  // A second server nobody listens on: runs placed there move to rack-1 and mark it down.
  await form.getByLabel('Name').fill('gone')
  await form.getByLabel('Endpoint').fill('ws://127.0.0.1:9/none')
  await form.getByLabel('Capacity').fill('4')
  await form.getByRole('button', { name: 'Add server' }).click()
  await expect(rows).toHaveCount(2)
  await expect(rows.nth(1).getByTestId('pool-endpoint-capacity')).toHaveText('4')
  await expect(rows.nth(1).getByTestId('pool-endpoint-state')).toHaveAttribute('data-state', 'unknown')
  expect(
    ((await (await host.api.get('/api/settings')).json()) as { settings: Record<string, unknown> }).settings[
      'browser.pool'
    ],
  ).toEqual([
    { name: 'rack-1', endpoint: server.wsEndpoint(), capacity: 2 },
    { name: 'gone', endpoint: 'ws://127.0.0.1:9/none', capacity: 4 },
  ])

  const flow = await registerFlow(host, `name: On the pool\nsteps:\n  - goto: ${site.url}/form\n  - expect: Order form\n`)
  const run = await waitDone(host, (await startRun(host, { flowId: flow.id })).id)
  expect(run.error).toBeNull()
  await page.getByRole('button', { name: 'Refresh state' }).click()
  await expect(rows.nth(0).getByTestId('pool-endpoint-state')).toHaveAttribute('data-state', 'up')
  const gone = rows.nth(1).getByTestId('pool-endpoint-state')
  await expect(gone).toHaveAttribute('data-state', 'down')
  await expect(gone).toContainText('ECONNREFUSED')
  expect(await seriousViolations(page)).toEqual([])

  await rows.nth(1).getByRole('button', { name: 'Remove browser server gone' }).click()
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).toHaveAttribute('data-name', 'rack-1')
})
