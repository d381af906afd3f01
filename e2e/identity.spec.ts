// Host mode with a named approver: the approval shows its context, and the approver's
// name (from their token, not from anything the page sends) lands in the run's events.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { test, expect } from './fixtures'

const ROOT = process.env.OPDESK_HOST_DIR ?? fileURLToPath(new URL('..', import.meta.url))

test.use({ demo: false })

test('an approver sees the approval with its context, approves with a note, and their name is in the events', async ({ host, page }) => {
  const add = spawnSync(process.execPath, ['bin/opdesk.mjs', 'token', 'add', 'ann', '--role', 'approver', '--workspace', host.workspace], {
    cwd: ROOT,
    encoding: 'utf8',
  })
  expect(add.status, add.stderr).toBe(0)
  const annToken = add.stdout.trim()

  // The local operator (the serve token) starts a command the policy holds for approval.
  const created = await host.api.post('/api/runs', { data: { command: 'git push origin main' } })
  expect(created.status()).toBe(201)
  const run = (await created.json()) as { id: string; status: string; startedBy: string }
  expect(run.status).toBe('waiting-approval')

  // Ann opens the UI with her own token.
  await page.goto(`${host.origin}/?token=${annToken}#/approvals`)
  const row = page.getByTestId('approval-row').filter({ hasText: run.id })
  await expect(row).toBeVisible()
  const context = row.getByTestId('approval-context')
  await expect(context).toContainText('git push origin main')
  await expect(context).toContainText('Policy reasons')
  await expect(row.getByTestId('approval-requested-by')).toHaveText(run.startedBy)

  await row.getByLabel('Note').fill('pushed after review')
  await row.getByRole('button', { name: 'Approve' }).click()

  // The decision is Ann's, with her note, in the approval and in the run's event log.
  await page.getByLabel('Status').selectOption('all')
  await expect(row.getByTestId('approval-decided')).toContainText('approved by ann')
  await expect(row.getByTestId('approval-decided')).toContainText('pushed after review')
  await page.goto(`${host.origin}/#/runs/${run.id}`)
  // The wait bar names who decided; the raw event is one click away.
  await expect(page.getByTestId('timeline-wait')).toHaveAttribute('data-by', 'ann')
  await page.getByRole('tab', { name: 'Events' }).click()
  const decided = page.locator('[data-testid="event-row"][data-type="approval.decided"]')
  await expect(decided).toContainText('"by":"ann"')
  await expect(decided).toContainText('pushed after review')

  // A viewer's token reads but cannot decide: 403 naming the role.
  const viewer = spawnSync(process.execPath, ['bin/opdesk.mjs', 'token', 'add', 'vic', '--role', 'viewer', '--workspace', host.workspace], {
    cwd: ROOT,
    encoding: 'utf8',
  })
  const res = await page.request.post(`${host.origin}/api/runs/${run.id}/reject`, {
    headers: { authorization: `Bearer ${viewer.stdout.trim()}` },
    data: {},
  })
  expect(res.status()).toBe(403)
  expect(((await res.json()) as { error: { message: string } }).error.message).toContain('needs the approver role')
})
