// The run timeline in host mode, against real runs: a browser flow on the fixture site with a
// screenshot and a sign-in wait that a named operator resumes (grouped steps with durations,
// the wait bar naming who resumed, the filmstrip, the raw events one click away and
// filterable); a command writing to stdout and stderr with colours (stderr set apart, the
// last line in view, a failed run's later phases not done); a flow failing at step 2.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from './fixtures'
import { seriousViolations } from './support/axe'
import { failingFlow, startRun, waitDone } from './support/runs'

const ROOT = process.env.OPDESK_HOST_DIR ?? fileURLToPath(new URL('..', import.meta.url))

test.use({ demo: false })
test.describe.configure({ timeout: 120_000 })

const DURATION = /^\d+(\.\d+)? (ms|s)|^\d+ min \d+ s/

test('a browser run: grouped steps with durations, a wait bar naming who resumed, a filmstrip, raw events one click away', async ({
  app,
  host,
  page,
  playwright,
  site,
}) => {
  const add = spawnSync(
    process.execPath,
    ['bin/opdesk.mjs', 'token', 'add', 'olga', '--role', 'operator', '--workspace', host.workspace],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  )
  expect(add.status, add.stderr).toBe(0)
  const olga = await playwright.request.newContext({
    baseURL: host.origin,
    extraHTTPHeaders: { authorization: `Bearer ${add.stdout.trim()}` },
  })

  const flow = `name: Timeline sign-in
allowedOrigins: ["${site.url}"]
steps:
  - goto: ${site.url}/search
  - screenshot: { name: search-page }
  - goto: ${site.url}/mfa/autofocus
  - mfa: { until: { url: "**/done" }, timeout: 90s }
  - expect: Two-step verification
`
  const run = await startRun(host, { flow })
  await expect
    .poll(async () => ((await (await host.api.get(`/api/runs/${run.id}`)).json()) as { status: string }).status, {
      timeout: 30_000,
    })
    .toBe('waiting-mfa')

  await app.ready()
  await page.goto(`${host.origin}/#/runs/${run.id}`)
  // The timeline is the default tab.
  await expect(page.getByRole('tab', { name: 'Timeline' })).toHaveAttribute('aria-selected', 'true')
  const steps = page.getByTestId('timeline-step')
  await expect(steps).toHaveCount(4)
  const waiting = steps.nth(3)
  await expect(waiting).toHaveAttribute('data-status', 'waiting')
  await expect(waiting.getByTestId('timeline-step-status')).toHaveText(/Waiting/)
  // The waiting step's duration ticks.
  const ms = async () => Number(await waiting.getByTestId('timeline-step-duration').getAttribute('data-ms'))
  const before = await ms()
  await expect.poll(ms, { timeout: 5_000 }).toBeGreaterThan(before + 900)
  const openWait = waiting.getByTestId('timeline-wait')
  await expect(openWait).toHaveAttribute('data-kind', 'mfa')
  await expect(openWait.getByTestId('timeline-wait-who')).toHaveText('still waiting')
  expect(await seriousViolations(page), 'timeline while waiting').toEqual([])

  // Olga resumes it (forced: the page still shows the prompt), with her own token.
  const resumed = await olga.post(`/api/runs/${run.id}/resume`, { data: { force: true } })
  expect(resumed.status(), await resumed.text()).toBe(200)
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 })

  await expect(steps).toHaveCount(5)
  for (let i = 0; i < 5; i++) {
    const step = steps.nth(i)
    await expect(step).toHaveAttribute('data-status', 'succeeded')
    await expect(step.getByTestId('timeline-step-status')).toHaveText(/Succeeded/)
    await expect(step.getByTestId('timeline-step-duration')).toHaveText(DURATION)
    await expect(step).toContainText(`line ${i + 4}`)
    // Relative time shown, the absolute time on hover.
    await expect(step.locator('time')).toHaveText(/^\+/)
    expect(await step.locator('time').getAttribute('title')).toBeTruthy()
  }
  await expect(steps.nth(1)).toContainText('screenshot')
  const bar = page.getByTestId('timeline-wait')
  await expect(bar).toHaveCount(1)
  await expect(bar).toHaveAttribute('data-by', 'olga')
  await expect(bar.getByTestId('timeline-wait-who')).toHaveText('resume forced by olga')
  await expect(bar.getByTestId('timeline-wait-duration')).toHaveText(DURATION)
  // The wait lies inside step 4.
  await expect(steps.nth(3).getByTestId('timeline-wait')).toHaveCount(1)

  // The filmstrip: the step's screenshot, full size in the lightbox.
  const thumb = page.getByTestId('filmstrip-thumb').first()
  await expect(thumb).toHaveAccessibleName(/screenshot search-page of step 2/)
  await thumb.click()
  const box = page.getByTestId('lightbox').filter({ visible: true })
  await expect(box).toBeVisible()
  await expect(box).toContainText('Step 2 · search-page')
  expect(
    await box.locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
  ).toBeGreaterThan(0)
  await page.keyboard.press('Escape')
  await expect(box).toBeHidden()
  await expect(thumb).toBeFocused()

  // A step opens to show its own events.
  await steps.nth(0).getByRole('button', { expanded: false }).click()
  await expect(steps.nth(0).getByLabel('Events of step 1')).toContainText('step.succeeded')
  expect(await seriousViolations(page), 'timeline of a finished run').toEqual([])

  // The raw events, one click away: rows open, a type filter narrows them.
  await page.getByRole('tab', { name: 'Events' }).click()
  await expect(page.getByTestId('event-row').first()).toBeVisible()
  await page.getByTestId('event-type-filter').selectOption('takeover.ended')
  await expect(page.getByTestId('event-row')).toHaveCount(1)
  await page.getByTestId('event-row').click()
  await expect(page.getByTestId('event-full')).toContainText('"by": "olga"')
  await page.getByTestId('event-type-filter').selectOption('step.started')
  await expect(page.getByTestId('event-row')).toHaveCount(5)
  expect(await seriousViolations(page), 'events tab').toEqual([])
  await olga.dispose()
})

test('a command run: stdout and stderr apart, colours drawn, the last line in view, failed phases not done', async ({
  app,
  host,
  page,
}) => {
  // Live: output arriving while the page is open; the console keeps following its end.
  writeFileSync(
    join(host.workspace, 'work', 'slow.js'),
    "let i = 0\nconst t = setInterval(() => { console.log('tick ' + ++i); if (i >= 120) clearInterval(t) }, 25)\n",
  )
  const slow = await startRun(host, { command: 'node slow.js' })
  await app.ready()
  await page.goto(`${host.origin}/#/runs/${slow.id}`)
  const live = page.getByTestId('console')
  await expect(live).toBeVisible()
  await live.scrollIntoViewIfNeeded()
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 })
  await expect(page.getByTestId('console-line').last()).toHaveText(/tick 120$/)
  // The console grew while open: bring its box into the page's view (its own scroll, the
  // tail, is left alone) and the last line is there.
  await live.scrollIntoViewIfNeeded()
  await expect(page.getByTestId('console-line').last()).toBeInViewport({ ratio: 1 })
  expect(await live.evaluate((el) => el.scrollTop > 0 && el.scrollTop + el.clientHeight >= el.scrollHeight - 1)).toBe(
    true,
  )

  // 403 lines, one on stderr and one in red, then exit code 3. Commands run in work/.
  writeFileSync(
    join(host.workspace, 'work', 'noisy.js'),
    [
      "for (let i = 1; i <= 200; i++) console.log('line ' + i)",
      "console.error('something went wrong')",
      // Two pipes are read apart: a pause keeps the order the lines were written in.
      'setTimeout(() => {',
      "  console.log('\\u001b[31mred alert\\u001b[0m plain again')",
      "  for (let i = 201; i <= 400; i++) console.log('line ' + i)",
      "  process.stdout.write('the very last line')",
      '  process.exitCode = 3',
      '}, 300)',
    ].join('\n'),
  )
  const run = await waitDone(host, (await startRun(host, { command: 'node noisy.js' })).id)
  expect(run.status).toBe('failed')

  await page.goto(`${host.origin}/#/runs/${run.id}`)
  const console_ = page.getByTestId('console')
  await expect(console_).toBeVisible()
  await expect(page.getByTestId('console-count')).toContainText('403 lines')
  await expect(page.getByTestId('console-count')).toContainText('exit code 3')
  // The tail: the console opens at its end, so once the page shows the console the last line
  // is in view without scrolling the console itself.
  const last = page.getByTestId('console-line').last()
  await expect(last).toHaveText(/the very last line/)
  await console_.scrollIntoViewIfNeeded()
  await expect(last).toBeInViewport({ ratio: 1 })
  expect(await console_.evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 1)).toBe(true)

  const err = page.locator('[data-testid="console-line"][data-stream="stderr"]')
  await expect(err).toHaveCount(1)
  await expect(err).toContainText('something went wrong')
  await expect(err).toContainText('err')
  const out = page.locator('[data-testid="console-line"][data-stream="stdout"]').first()
  // Evaluated in the page (this file is type-checked without the DOM library).
  type Styled = { getComputedStyle(e: unknown): { color: string; backgroundColor: string } }
  const colour = (l: typeof out) =>
    l.locator('.console-text').evaluate((el) => (globalThis as unknown as Styled).getComputedStyle(el).color)
  expect(await colour(err)).not.toBe(await colour(out))
  const bg = (l: typeof out) =>
    l.evaluate((el) => (globalThis as unknown as Styled).getComputedStyle(el).backgroundColor)
  expect(await bg(err)).not.toBe(await bg(out))

  // ANSI colour drawn as a class, the escape codes gone.
  const red = page.locator('.ansi-fg-red')
  await expect(red).toHaveText('red alert')
  await expect(red.locator('xpath=ancestor::*[@data-testid="console-line"]')).toHaveText(/red alert plain again/)
  await expect(console_).not.toContainText('[31m')

  // Failed while executing: the later phases are skipped, not done.
  const stepper = page.getByTestId('phase-stepper')
  await expect(stepper.locator('[data-phase="planning"]')).toHaveAttribute('data-state', 'done')
  await expect(stepper.locator('[data-phase="execution"]')).toHaveAttribute('data-state', 'failed')
  await expect(stepper.locator('[data-phase="execution"]')).toHaveAttribute('aria-current', 'step')
  for (const p of ['review', 'artifact']) {
    await expect(stepper.locator(`[data-phase="${p}"]`)).toHaveAttribute('data-state', 'skipped')
    await expect(stepper.locator(`[data-phase="${p}"]`)).not.toContainText('✓')
  }
  expect(await seriousViolations(page), 'command timeline, light').toEqual([])
  await page.emulateMedia({ colorScheme: 'dark' })
  expect(await seriousViolations(page), 'command timeline, dark').toEqual([])
})

test('a flow that fails at step 2: the failed step with its error and failure screenshot, later phases not done', async ({
  app,
  host,
  page,
  site,
}) => {
  const run = await waitDone(host, (await startRun(host, { flow: failingFlow(site.url, 'Fails at two') })).id)
  expect(run.status).toBe('failed')
  await app.ready()
  await page.goto(`${host.origin}/#/runs/${run.id}`)
  const steps = page.getByTestId('timeline-step')
  await expect(steps).toHaveCount(2)
  await expect(steps.nth(0)).toHaveAttribute('data-status', 'succeeded')
  await expect(steps.nth(1)).toHaveAttribute('data-status', 'failed')
  await expect(steps.nth(1).getByTestId('timeline-step-status')).toHaveText(/Failed/)
  await expect(steps.nth(1).getByTestId('timeline-step-error')).toContainText('Step 2')
  await expect(steps.nth(1).getByTestId('timeline-step-duration')).toHaveText(DURATION)
  await expect(page.getByTestId('filmstrip-thumb').last()).toHaveAccessibleName(/failure screenshot of step 2/)
  const stepper = page.getByTestId('phase-stepper')
  await expect(stepper.locator('[data-state="done"]')).toHaveCount(1)
  await expect(stepper.locator('[data-phase="execution"]')).toHaveAttribute('data-state', 'failed')
  await page.emulateMedia({ colorScheme: 'dark' })
  expect(await seriousViolations(page), 'failed run timeline, dark').toEqual([])
})

test('a 2,000-step run: the timeline mounts only the rows in view and reaches the last', async ({
  app,
  host,
  page,
  site,
}) => {
  const steps = [`  - goto: ${site.url}/search`]
  for (let i = 0; i < 1999; i++) steps.push('  - wait: 1ms')
  const flow = `name: Two thousand steps\nallowedOrigins: ["${site.url}"]\nsteps:\n${steps.join('\n')}\n`
  const run = await waitDone(host, (await startRun(host, { flow })).id, 240_000)
  expect(run.status).toBe('succeeded')
  await app.ready()
  await page.goto(`${host.origin}/#/runs/${run.id}`)
  await expect(page.getByTestId('timeline-step').first()).toBeVisible({ timeout: 30_000 })
  const rows = page.getByTestId('timeline-step')
  expect(await rows.count()).toBeLessThan(200)
  // Scrolled to the end, the last step is there with its duration.
  await page.getByRole('region', { name: 'Steps', exact: true }).evaluate((el) => el.scrollTo({ top: el.scrollHeight }))
  const last = page.locator('[data-testid="timeline-step"][data-index="2000"]')
  await expect(last).toHaveAttribute('data-status', 'succeeded')
  await expect(last.getByTestId('timeline-step-duration')).toHaveText(DURATION)
  expect(await seriousViolations(page), 'a long timeline').toEqual([])
})
