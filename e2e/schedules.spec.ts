// Schedules in host mode with a real cron: a schedule made in the view for every minute
// fires within 70 s, its run records startedBy schedule:<id>, and when that run stops for
// an approval the needs-you list says it is a scheduled run. Approving it lets it finish;
// switching the schedule off and deleting it show at once. A wrong cron is refused in the
// form, naming the field.
import { expect, test } from './fixtures'
import { seriousViolations } from './support/axe'
import { events, waitStatus } from './support/takeover'

test.use({ demo: false })
test.describe.configure({ timeout: 180_000 })

test('a schedule made in the view fires on its cron, and its waiting run is marked scheduled in needs-you', async ({
  app,
  host,
  page,
  site,
}) => {
  const flow = `name: Nightly report\nsteps:\n  - goto: ${site.url}/search\n  - approval: { reason: "Send the nightly report" }\n  - goto: ${site.url}/search\n`
  const saved = await host.api.post('/api/flows', { data: { source: flow } })
  expect(saved.status(), await saved.text()).toBe(201)
  await app.live()
  await app.open('Schedules')

  const form = page.getByTestId('schedule-form')
  await form.getByLabel('Flow').selectOption({ label: 'Nightly report' })
  await form.getByLabel('Time zone').fill('UTC')
  // A wrong cron is refused with the field named, and nothing is saved.
  await form.getByTestId('schedule-cron').fill('every minute')
  await form.getByRole('button', { name: 'Create schedule' }).click()
  await expect(form.getByRole('alert')).toContainText('"every minute" is not a cron expression')
  await expect(page.getByTestId('schedule-row')).toHaveCount(0)

  await form.getByTestId('schedule-cron').fill('* * * * *')
  await form.getByRole('button', { name: 'Create schedule' }).click()
  const row = page.getByTestId('schedule-row')
  await expect(row).toHaveCount(1)
  const scheduleId = (await row.getAttribute('data-schedule-id'))!
  // The next time is the next whole minute, shown in the row.
  const next = await row.getByTestId('schedule-next').getAttribute('data-next')
  const nextMs = Date.parse(next!)
  expect(nextMs % 60_000).toBe(0)
  expect(nextMs - Date.now()).toBeLessThanOrEqual(60_000)
  expect(await seriousViolations(page), 'schedules view').toEqual([])

  // The cron fires (within 70 s) and the run waits for approval: needs-you says so.
  const count = page.getByTestId('needs-you')
  await expect(count).toHaveAttribute('data-count', '1', { timeout: 70_000 })
  const runs = (await (await host.api.get('/api/runs')).json()) as { items: { id: string; startedBy: string }[] }
  expect(runs.items).toHaveLength(1)
  const run = runs.items[0]!
  expect(run.startedBy).toBe(`schedule:${scheduleId}`)
  const first = (await events(host, run.id))[0]!
  expect(first.data).toMatchObject({
    to: 'queued',
    by: `schedule:${scheduleId}`,
    schedule: { id: scheduleId, scheduledFor: next },
  })

  await count.click()
  const item = page.getByTestId('needs-you-item')
  await expect(item).toHaveAttribute('data-run-id', run.id)
  await expect(item.getByTestId('needs-you-scheduled')).toBeVisible()
  await expect(item).toContainText('Send the nightly report')
  await expect(row.getByTestId('schedule-last')).toHaveAttribute('data-outcome', 'started')

  // Switch it off first, so the next minute does not start (or skip) another run meanwhile.
  await row.getByTestId('schedule-toggle').click()
  await expect(row.getByTestId('schedule-next')).toHaveText('Off')
  await expect(row.getByTestId('schedule-toggle')).toHaveAttribute('aria-pressed', 'false')

  // The click outside closed the list: open it again to approve.
  await count.click()
  await item.getByRole('button', { name: 'Approve: Nightly report' }).click()
  expect((await waitStatus(host, run.id, ['succeeded'])).status).toBe('succeeded')
  await expect(row.getByTestId('schedule-last')).toContainText('run succeeded')

  // Edit opens the form on this schedule with the keyboard in its cron field.
  await row.getByTestId('schedule-edit').click()
  await expect(form.getByTestId('schedule-cron')).toBeFocused()
  await expect(form.getByTestId('schedule-cron')).toHaveValue('* * * * *')
  await form.getByTestId('schedule-cron').fill('0 6 * * 1-5')
  await form.getByRole('button', { name: 'Save schedule' }).click()
  await expect(row).toContainText('0 6 * * 1-5')

  // Delete asks once more in place.
  await row.getByTestId('schedule-delete').click()
  await expect(row.getByTestId('schedule-delete')).toHaveText('Confirm delete')
  await row.getByTestId('schedule-delete').click()
  await expect(page.getByTestId('schedule-row')).toHaveCount(0)
  expect((await host.api.get(`/api/schedules/${scheduleId}`)).status()).toBe(404)
})
