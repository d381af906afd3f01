// Tracks and runs follow each other (issue 14, items 4 and 5): a step's runs show under it,
// a failure blocks the track until a later success or a dismissal with a note, and the runs
// list keeps its filters in the address. Runs are command runs started through the API, as
// the CLI or another operator would, linked to the demo's "Execution queue" track.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { APIRequestContext } from '@playwright/test'
import { expect, test, type Host } from './fixtures'
import { seriousViolations } from './support/axe'

test.describe.configure({ timeout: 90_000 })

const STEP = 'Review the downloaded CSV'

interface Queue {
  id: string
  steps: { id: string; title: string; state: string }[]
  checkpoints: { id: string; title: string; state: string; runId: string | null }[]
}

async function queueTrack(api: APIRequestContext): Promise<Queue> {
  const tracks = (await (await api.get('/api/tracks')).json()) as (Queue & { title: string })[]
  return tracks.find((t) => t.title === 'Execution queue')!
}

/** `node job.js` fails until `work/fixed` exists: the operator fixing the cause. */
function writeJob(host: Host): void {
  writeFileSync(join(host.workspace, 'work', 'job.js'), `process.exit(require('fs').existsSync('fixed') ? 0 : 3)`)
}
const fixJob = (host: Host) => writeFileSync(join(host.workspace, 'work', 'fixed'), '')

async function runAndWait(host: Host, body: Record<string, unknown>, status: string): Promise<string> {
  const res = await host.api.post('/api/runs', { data: body })
  expect(res.status(), await res.text()).toBe(201)
  const { id } = (await res.json()) as { id: string }
  await expect
    .poll(async () => ((await (await host.api.get(`/api/runs/${id}`)).json()) as { status: string }).status, { timeout: 30_000 })
    .toBe(status)
  return id
}

test('the track unblocks after a later success', async ({ app, execution, host, page }) => {
  writeJob(host)
  await app.live()
  const queue = await queueTrack(host.api)
  const stepId = queue.steps.find((s) => s.title === STEP)!.id
  const card = execution.card('Execution queue')
  const step = card.steps().filter({ hasText: STEP })
  await expect(step).toHaveAttribute('data-state', 'queued')

  const failed = await runAndWait(host, { command: 'node job.js', trackId: queue.id, stepId }, 'failed')
  // Starting the run made the step active; its failure blocks the track and shows under the step.
  await expect(step).toHaveAttribute('data-state', 'active')
  await card.expectState('blocked')
  const failedRow = step.locator(`[data-testid="step-run"][data-run-id="${failed}"]`)
  await expect(failedRow).toHaveAttribute('data-status', 'failed')
  await expect(failedRow).toHaveAttribute('data-blocking', 'true')
  await expect(failedRow.getByRole('button', { name: 'Dismiss…' })).toBeVisible()

  fixJob(host)
  const ok = await runAndWait(host, { command: 'node job.js', trackId: queue.id, stepId }, 'succeeded')
  await card.expectState('active')
  await expect(failedRow).toHaveAttribute('data-blocking', 'false')
  await expect(failedRow.getByTestId('step-run-resolution')).toContainText('cleared by a later success')
  await expect(step.getByTestId('step-run').first()).toHaveAttribute('data-run-id', ok)

  // The success offers "mark done", filing its evidence under the track's evidence checkpoint.
  const okRow = step.locator(`[data-testid="step-run"][data-run-id="${ok}"]`)
  await okRow.getByLabel('Evidence for').selectOption({ label: 'Export evidence captured' })
  expect(await seriousViolations(page), 'a step with its runs and mark done').toEqual([])
  await okRow.getByRole('button', { name: `Mark step ${STEP} done` }).click()
  await expect(step).toHaveAttribute('data-state', 'done')
  await expect(okRow.getByRole('button', { name: /Mark step/ })).toHaveCount(0)
  const after = await queueTrack(host.api)
  expect(after.checkpoints.find((c) => c.title === 'Export evidence captured')).toMatchObject({ state: 'passed', runId: ok })
})

test("dismiss a failed run's blocker with a note", async ({ app, execution, host, page }) => {
  writeJob(host)
  await app.live()
  const queue = await queueTrack(host.api)
  const stepId = queue.steps.find((s) => s.title === STEP)!.id
  const card = execution.card('Execution queue')
  const failed = await runAndWait(host, { command: 'node job.js', trackId: queue.id, stepId }, 'failed')
  await card.expectState('blocked')

  const row = card.steps().filter({ hasText: STEP }).locator(`[data-testid="step-run"][data-run-id="${failed}"]`)
  await row.getByRole('button', { name: 'Dismiss…' }).click()
  const form = row.getByRole('form', { name: /Dismiss the failure of/ })
  const note = form.getByLabel('Why it no longer blocks')
  await expect(note).toBeFocused()
  // No note, no dismissal.
  await expect(form.getByRole('button', { name: 'Dismiss failure' })).toBeDisabled()
  expect(await seriousViolations(page), 'the dismiss form').toEqual([])
  await note.fill('Exported by hand from the portal; the job is obsolete')
  await form.getByRole('button', { name: 'Dismiss failure' }).click()

  await card.expectState('active')
  await expect(row.getByTestId('step-run-resolution')).toContainText('dismissed by')
  await expect(row.getByTestId('step-run-resolution')).toContainText('Exported by hand from the portal')
  const run = (await (await host.api.get(`/api/runs/${failed}`)).json()) as { resolution: { how: string; by: string; note: string } }
  const you = ((await (await host.api.get('/api/settings')).json()) as { you: { name: string } }).you.name
  expect(run.resolution).toMatchObject({ how: 'dismissed', by: you, note: 'Exported by hand from the portal; the job is obsolete' })

  // The run page says so too, with who.
  await row.getByRole('link', { name: 'node job.js' }).click()
  await expect(page.getByTestId('run-resolution')).toHaveAttribute('data-how', 'dismissed')
  await expect(page.getByTestId('run-resolution')).toContainText(`Dismissed by ${you}`)
})

test("the runs list keeps its filters in the URL and a track's runs link shows only that track's runs", async ({
  app,
  execution,
  host,
  page,
}) => {
  writeJob(host)
  await app.live()
  const queue = await queueTrack(host.api)
  const stepId = queue.steps.find((s) => s.title === STEP)!.id
  const onTrackFailed = await runAndWait(host, { command: 'node job.js', trackId: queue.id, stepId }, 'failed')
  const elsewhereFailed = await runAndWait(host, { command: 'node job.js' }, 'failed')
  fixJob(host)
  const onTrackOk = await runAndWait(host, { command: 'node job.js', trackId: queue.id }, 'succeeded')

  await app.open('Runs')
  const rows = page.getByTestId('run-row')
  await expect(rows).toHaveCount(3)
  // Columns: flow (none for a command), track › step, started, duration.
  const linked = page.locator(`[data-testid="run-row"][data-run-id="${onTrackFailed}"]`)
  await expect(linked.getByTestId('run-track')).toHaveText(`Execution queue › ${STEP}`)
  await expect(linked.getByTestId('run-flow')).toHaveText('—')
  await expect(linked.getByTestId('run-duration')).toHaveText(/\d+ (ms|s)/)

  const filters = page.getByRole('search', { name: 'Filter runs' })
  await filters.getByLabel('Status').selectOption('failed')
  await expect(page).toHaveURL(/#\/runs\?status=failed$/)
  await expect(rows).toHaveCount(2)
  await filters.getByLabel('Track').selectOption({ label: 'Execution queue' })
  await expect(page).toHaveURL(new RegExp(`status=failed&trackId=${queue.id}`))
  await expect(rows).toHaveCount(1)
  await expect(rows).toHaveAttribute('data-run-id', onTrackFailed)
  await filters.getByLabel('Track').selectOption('')
  await filters.getByLabel('Search').fill('job.js')
  await filters.getByLabel('Search').press('Enter')
  await expect(page).toHaveURL(/status=failed&q=job\.js/)
  await expect(rows).toHaveCount(2)
  const today = new Date().toISOString().slice(0, 10)
  await filters.getByLabel('From').fill(today)
  await expect(page).toHaveURL(new RegExp(`from=${today}`))
  await expect(rows).toHaveCount(2)
  expect(await seriousViolations(page), 'the filtered runs list').toEqual([])

  // The address is the filter: a reload (or a shared link) shows the same list.
  await page.reload()
  await expect(filters.getByLabel('Status')).toHaveValue('failed')
  await expect(filters.getByLabel('Search')).toHaveValue('job.js')
  await expect(filters.getByLabel('From')).toHaveValue(today)
  await expect(rows).toHaveCount(2)
  await expect(page.locator(`[data-testid="run-row"][data-run-id="${elsewhereFailed}"]`)).toHaveCount(1)

  // A track's runs link opens exactly that track's runs: the status filter above does not ride along.
  await execution.goto()
  await execution.card('Execution queue').root.getByRole('link', { name: '2 run records of Execution queue' }).click()
  await expect(page).toHaveURL(new RegExp(`#/runs\\?trackId=${queue.id}$`))
  await expect(page.getByText('Runs of track “Execution queue”')).toBeVisible()
  await expect(filters.getByLabel('Status')).toHaveValue('all')
  await expect(rows).toHaveCount(2)
  for (const id of [onTrackFailed, onTrackOk]) await expect(page.locator(`[data-testid="run-row"][data-run-id="${id}"]`)).toHaveCount(1)

  // Back returns to the filtered list it came from.
  await page.goBack()
  await page.goBack()
  await expect(filters.getByLabel('Status')).toHaveValue('failed')
})
