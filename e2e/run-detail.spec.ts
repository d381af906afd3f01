// Run detail against real runs: a browser flow with screenshots and a trace (gallery,
// lightbox, downloads, report), a run waiting for MFA (Take over), a long command log
// (only the rows in view are mounted), the flow editor's problems at their lines.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from './fixtures'
import { seriousViolations } from './support/axe'
import { registerFlow, snapshotFlow, startRun, waitDone } from './support/runs'

test.use({ demo: false })
test.describe.configure({ timeout: 120_000 })

test('a finished browser run: phases, progress, policy, screenshot lightbox, trace and report downloads', async ({
  app,
  host,
  page,
  site,
}) => {
  expect((await host.api.patch('/api/settings', { data: { 'runs.trace': true } })).status()).toBe(200)
  const flow = await registerFlow(host, snapshotFlow(site.url, 'Two screenshots', 2))
  const run = await waitDone(host, (await startRun(host, { flowId: flow.id })).id)
  expect(run.status).toBe('succeeded')

  await app.ready()
  await page.goto(`${host.origin}/#/runs/${run.id}`)
  await expect(page.getByRole('heading', { level: 1, name: 'Two screenshots' })).toBeVisible()

  const stepper = page.getByTestId('phase-stepper')
  await expect(stepper.getByRole('listitem')).toHaveCount(4)
  const current = stepper.locator('[aria-current="step"]')
  await expect(current).toHaveCount(1)
  await expect(current).toHaveAttribute('data-phase', run.phase)
  await expect(page.getByTestId('run-progress')).toContainText('Step 3 of 3')
  await expect(page.getByTestId('policy-verdict-value')).toHaveAttribute('data-verdict', 'allow')
  await expect(page.getByTestId('policy-risk')).toContainText('risk')

  // Screenshots: thumbnails that open a modal lightbox; Escape closes it and focus goes back.
  const thumbs = page.getByTestId('screenshot-thumb')
  // The two the flow asked for, and the engine's own evidence of the final page.
  await expect(thumbs.nth(1)).toBeVisible()
  const shots = await thumbs.count()
  await expect(thumbs.first().locator('img')).toHaveJSProperty('complete', true)
  await thumbs.first().click()
  const box = page.getByTestId('lightbox')
  await expect(box).toBeVisible()
  await expect(box.getByRole('button', { name: 'Close' })).toBeFocused()
  await expect(box).toContainText(`1 of ${shots}`)
  expect(
    await box.locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
  ).toBeGreaterThan(0)
  expect(await seriousViolations(page), 'run detail with the lightbox open').toEqual([])
  await page.keyboard.press('ArrowRight')
  await expect(box).toContainText(`2 of ${shots}`)
  // The page behind is inert: tabbing never lands outside the dialog.
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab')
    const inside = "document.activeElement?.closest('dialog') !== null || document.activeElement === document.body"
    expect(await page.evaluate<boolean>(inside)).toBe(true)
  }
  await page.keyboard.press('Escape')
  await expect(box).toBeHidden()
  await expect(thumbs.first()).toBeFocused()

  // A trace: downloadable, and replayable in the trace viewer the host serves.
  const trace = page.locator('[data-testid="artifact-row"][data-kind="trace"]').first()
  await expect(trace.getByTestId('open-replay')).toHaveAttribute(
    'href',
    /\/trace-viewer\/index\.html\?trace=.*%2Fapi%2Fartifacts%2F/,
  )
  const traceDownload = page.waitForEvent('download')
  await trace.getByRole('link').first().click()
  const download = await traceDownload
  expect(download.suggestedFilename()).toMatch(/\.zip$/)
  expect(
    readFileSync(await download.path())
      .subarray(0, 2)
      .toString(),
  ).toBe('PK')

  // Report: written on demand, then offered for download.
  await page.getByRole('button', { name: 'Write report' }).click()
  const ready = page.getByTestId('report-ready')
  await expect(ready).toBeVisible()
  const reportDownload = page.waitForEvent('download')
  await ready.getByRole('link').click()
  expect((await reportDownload).suggestedFilename()).toBe(`report-${run.id}.zip`)
  await expect(page.locator('[data-testid="artifact-row"][data-kind="report"]')).toHaveCount(1)
  expect(await seriousViolations(page), 'run detail').toEqual([])
})

test('a run waiting for MFA offers Take over, and Cancel ends it', async ({ app, host, page, site }) => {
  const flow = `name: Needs a code\nallowedOrigins: ["${site.url}"]\nsteps:\n  - goto: ${site.url}/mfa/plain\n`
  const run = await startRun(host, { flow })
  await expect
    .poll(async () => ((await (await host.api.get(`/api/runs/${run.id}`)).json()) as { status: string }).status, {
      timeout: 30_000,
    })
    .toBe('waiting-mfa')
  await app.ready()
  await page.goto(`${host.origin}/#/runs/${run.id}`)
  const link = page.getByTestId('takeover-link')
  await expect(link).toBeVisible()
  await expect(link).toHaveAttribute('href', `#/takeover/${run.id}`)
  await expect(page.getByTestId('phase-stepper').locator('[aria-current="step"]')).toHaveAttribute(
    'data-phase',
    'execution',
  )
  await page.getByRole('button', { name: 'Cancel run' }).click()
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'canceled')
  await expect(page.getByTestId('takeover-link')).toHaveCount(0)
})

test('a long command log mounts only the rows in view', async ({ app, host, page }) => {
  // Each chunk the host reads is one stdout event. Writes a few ms apart mostly arrive one by
  // one, but a busy machine reads several at once (500 writes 2 ms apart once gave 163
  // events): 1,000 writes 4 ms apart leave over 200 events even read four at a time.
  // Command runs run in the workspace's work/ folder (the sandbox hides the rest).
  writeFileSync(
    join(host.workspace, 'work', 'lines.js'),
    "let i = 0\nconst t = setInterval(() => { console.log('line ' + ++i); if (i >= 1000) clearInterval(t) }, 4)\n",
  )
  const run = await waitDone(host, (await startRun(host, { command: 'node lines.js' })).id)
  expect(run.status).toBe('succeeded')
  await app.ready()
  await page.goto(`${host.origin}/#/runs/${run.id}`)
  // The raw events are the second tab (the timeline is the default).
  await page.getByRole('tab', { name: 'Events' }).click()
  await expect(page.getByTestId('event-row').first()).toBeVisible()
  const total = Number((await page.getByTestId('event-count').innerText()).replace(/\D+.*$/, '').replace(/,/g, ''))
  expect(total).toBeGreaterThan(200)
  const log = page.getByTestId('event-log')
  let most = 0
  for (let i = 0; i < 8; i++) {
    await log.evaluate((el, f) => el.scrollTo({ top: el.scrollHeight * f }), i / 7)
    most = Math.max(most, await page.getByTestId('event-row').count())
  }
  expect(most).toBeLessThan(200)
  await expect(page.locator('[data-testid="event-row"][data-type="run.status"]').last()).toContainText('succeeded')
})

test('the flow editor marks a problem at its line', async ({ app, page }) => {
  await app.open('Flows')
  const editor = page.getByLabel('Flow YAML')
  await editor.fill('name: Broken\nsteps:\n  - goto: https://example.test/\n  - hover: "#menu"\n')
  await page.getByRole('button', { name: 'Validate' }).click()
  const problem = page.getByTestId('editor-problem').first()
  await expect(problem).toHaveAttribute('data-line', '4')
  await expect(problem).toContainText('Line 4')
  await expect(page.locator('.gutter-bad[data-line="4"]')).toBeVisible()
  await expect(editor).toHaveAttribute('aria-invalid', 'true')

  await editor.fill('name: Fixed\nsteps:\n  - goto: https://example.test/\n')
  await page.getByRole('button', { name: 'Validate' }).click()
  await expect(page.getByTestId('flow-valid')).toContainText('“Fixed”, 1 steps')
  await expect(page.getByTestId('editor-problem')).toHaveCount(0)
})
