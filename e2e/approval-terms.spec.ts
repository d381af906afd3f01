// Host mode, approvals bound to terms: the first run of a payment flow is approved with
// "Remember for 7 days"; the second, with the same amount, goes on by itself
// (approval.reused); the third, with another amount, asks again and the Approvals view
// shows the difference term by term. Revoking the standing approval is recorded with who.
import { test, expect } from './fixtures'
import type { APIRequestContext } from '@playwright/test'
import { seriousViolations } from './support/axe'

test.use({ demo: false })

const FLOW = `name: Pay invoice
params:
  amount: { default: "100" }
  payee: { default: "ACME" }
steps:
  - goto: about:blank
  - approval: { reason: "Pay the invoice", terms: [amount, { payee: "to \${params.payee}" }] }
`

async function startRun(api: APIRequestContext, params: Record<string, string>): Promise<string> {
  const res = await api.post('/api/runs', { data: { flow: FLOW, params } })
  expect(res.status(), await res.text()).toBe(201)
  return ((await res.json()) as { id: string }).id
}

async function statusOf(api: APIRequestContext, id: string): Promise<string> {
  return ((await (await api.get(`/api/runs/${id}`)).json()) as { status: string }).status
}

test('an approval remembered for 7 days is reused by the same run and asked again when the amount changes, with the difference', async ({
  host,
  page,
}) => {
  const first = await startRun(host.api, { amount: '100', payee: 'ACME' })
  await expect.poll(() => statusOf(host.api, first), { timeout: 30_000 }).toBe('waiting-approval')

  await page.goto(`${host.url}#/approvals`)
  const row = page.getByTestId('approval-row').filter({ hasText: first })
  await expect(row).toBeVisible()
  await expect(row.getByTestId('terms-diff')).toHaveCount(0)
  await row.getByLabel('Remember for').selectOption('7')
  await row.getByRole('button', { name: 'Approve' }).click()
  await expect.poll(() => statusOf(host.api, first), { timeout: 30_000 }).toBe('succeeded')

  const standing = page.getByTestId('standing-row')
  await expect(standing).toHaveCount(1)
  await expect(standing).toHaveAttribute('data-state', 'active')
  await expect(standing.getByTestId('standing-terms')).toContainText('amount = 100')
  await expect(standing.getByTestId('standing-terms')).toContainText('payee = to ACME')

  // The second night, same amount: no waiting, the event names the approval it reused.
  const second = await startRun(host.api, { payee: 'ACME', amount: '100' })
  await expect.poll(() => statusOf(host.api, second), { timeout: 30_000 }).toBe('succeeded')
  await page.goto(`${host.url}#/runs/${second}`)
  // The raw log is the run page's Events tab (the timeline is the default).
  await page.getByRole('tab', { name: 'Events' }).click()
  await expect(page.locator('[data-testid="event-row"][data-type="approval.reused"]')).toBeVisible()
  await expect(page.locator('[data-testid="event-row"][data-type="approval.requested"]')).toHaveCount(0)

  // The amount changes: it asks again, and the approval shows what changed.
  const third = await startRun(host.api, { amount: '250', payee: 'ACME' })
  await expect.poll(() => statusOf(host.api, third), { timeout: 30_000 }).toBe('waiting-approval')
  await page.goto(`${host.url}#/approvals`)
  const again = page.getByTestId('approval-row').filter({ hasText: third })
  const diff = again.getByTestId('terms-diff')
  await expect(diff).toBeVisible()
  const rows = diff.getByTestId('terms-diff-row')
  await expect(rows).toHaveCount(2)
  await expect(rows.nth(0)).toContainText('params.amount')
  await expect(rows.nth(0)).toHaveAttribute('data-change', 'changed')
  await expect(rows.nth(0)).toContainText('100')
  await expect(rows.nth(0)).toContainText('250')
  await expect(rows.nth(1)).toContainText('terms.amount')
  // The difference table, the Remember choice and the standing list are usable by everyone.
  expect(await seriousViolations(page)).toEqual([])

  // Revoke: recorded with who; the next identical run asks again.
  await page.getByTestId('standing-row').getByRole('button', { name: 'Revoke' }).click()
  await expect(page.getByTestId('standing-row')).toHaveAttribute('data-state', 'revoked')
  await expect(page.getByTestId('standing-row')).toContainText('revoked by')
  const fourth = await startRun(host.api, { amount: '100', payee: 'ACME' })
  await expect.poll(() => statusOf(host.api, fourth), { timeout: 30_000 }).toBe('waiting-approval')
})
