// Keyboard only (issue 14, item 6): shortcuts (`?` lists them, `g` then a letter goes to a
// view, `n` walks the Needs-you list, none fire while typing), collapsed track cards with
// arrow keys between their titles (the 4th track's step menu in a handful of keys instead
// of 77 Tabs), focus staying on the row after an action, and a takeover that does not trap
// focus once its run has ended.
import type { Page } from '@playwright/test'
import { expect, test, type Host } from './fixtures'
import { seriousViolations } from './support/axe'
import { startRun, waitForPerson, waitStatus } from './support/takeover'

test.use({ demo: false })
test.describe.configure({ timeout: 120_000 })

const TRACKS = 8

async function seedTracks(host: Host): Promise<void> {
  for (let i = 1; i <= TRACKS; i++) {
    const res = await host.api.post('/api/tracks', {
      data: { title: `Track ${i}`, steps: [{ title: `Step of track ${i}` }, { title: `Later step of track ${i}` }] },
    })
    expect(res.status()).toBe(201)
  }
}

/** Presses keys one by one and counts them. */
function keyboard(page: Page) {
  let count = 0
  return {
    async press(...keys: string[]) {
      for (const k of keys) {
        await page.keyboard.press(k)
        count++
      }
    },
    get count() {
      return count
    },
  }
}

const active = (page: Page) =>
  page.evaluate<{ tag: string; label: string; inStage: boolean }>(`(() => {
    const el = document.activeElement
    return {
      tag: el?.tagName ?? '',
      label: el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '',
      inStage: !!el?.closest('.takeover-stage'),
    }
  })()`)

test('? lists the shortcuts; g then a letter goes to a view; nothing fires while typing', async ({ app, page }) => {
  await app.ready()
  await page.keyboard.press('?')
  const dialog = page.getByTestId('shortcuts-dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog.getByRole('heading', { name: 'Keyboard shortcuts' })).toBeVisible()
  await expect(dialog.getByTestId('shortcut-row').filter({ hasText: 'Go to Runs' })).toContainText('g then r')
  await expect(dialog.getByTestId('shortcut-row').filter({ hasText: 'Next item that needs you' })).toBeVisible()
  expect(await seriousViolations(page), 'shortcuts dialog').toEqual([])
  // Shortcuts sleep behind the dialog.
  await page.keyboard.press('g')
  await page.keyboard.press('r')
  await expect(page).not.toHaveURL(/#\/runs/)
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()

  await page.keyboard.press('g')
  await page.keyboard.press('r')
  await expect(page.getByRole('heading', { level: 1, name: 'Runs' })).toBeFocused()
  await page.keyboard.press('g')
  await page.keyboard.press('s')
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeFocused()

  // Typing in a field is typing: "g", "e" and "?" land in the field and go nowhere.
  await page.keyboard.press('g')
  await page.keyboard.press('e')
  await expect(page.getByRole('heading', { level: 1, name: 'Execution' })).toBeFocused()
  await page.getByRole('button', { name: 'New track' }).press('Enter')
  const title = page.getByRole('textbox', { name: /Title/ }).first()
  await title.focus()
  await page.keyboard.type('g?r')
  await expect(title).toHaveValue('g?r')
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('heading', { level: 1, name: 'Execution' })).toBeVisible()
})

test('past five tracks the cards are collapsed; the 4th track’s step menu is a handful of keys away; focus stays on the row', async ({
  app,
  host,
  page,
}) => {
  await seedTracks(host)
  await app.ready()
  const cards = page.getByTestId('track-card')
  await expect(cards).toHaveCount(TRACKS)
  await expect(cards.first()).toHaveAttribute('data-open', 'false')
  await expect(page.getByTestId('step-row')).toHaveCount(0)
  expect(await seriousViolations(page), 'collapsed tracks').toEqual([])

  const keys = keyboard(page)
  await page.locator('body').click({ position: { x: 1, y: 1 } }) // focus nowhere in particular
  await keys.press('g', 't')
  await expect(page.getByTestId('track-toggle').first()).toBeFocused()
  await keys.press('ArrowDown', 'ArrowDown', 'ArrowDown')
  // The 4th card in the list (the server's order, not the titles' numbers).
  const fourth = page.getByTestId('track-toggle').nth(3)
  await expect(fourth).toBeFocused()
  const fourthTitle = (await fourth.textContent())!.replace(/^[▸▾]/, '').trim()
  const n = fourthTitle.replace('Track ', '')
  await keys.press('Enter')
  await expect(fourth).toHaveAttribute('aria-expanded', 'true')
  const menuButton = page.getByRole('button', { name: `Actions for step Step of track ${n}` })
  for (let i = 0; i < 10 && !(await menuButton.evaluate((el) => el === el.ownerDocument.activeElement)); i++) await keys.press('Tab')
  await expect(menuButton).toBeFocused()
  await keys.press('ArrowDown')
  await expect(page.getByRole('menuitem', { name: 'Start flow…' })).toBeFocused()
  // Before: 77 Tabs. Now: g t, three arrows, Enter, a few Tabs, ArrowDown.
  test.info().annotations.push({ type: 'keys to the 4th track’s step menu', description: String(keys.count) })
  expect(keys.count, `keys to the 4th track's step menu: ${keys.count}`).toBeLessThanOrEqual(12)
  await keys.press('Escape')
  await expect(menuButton).toBeFocused()

  // Mark the step done from the keyboard: focus stays on that row's control, not at the top.
  const state = page.getByRole('combobox', { name: `State of step Step of track ${n}`, exact: true })
  await page.keyboard.press('Shift+Tab')
  await expect(state).toBeFocused()
  await state.selectOption('done')
  const card4 = cards.nth(3)
  await expect(card4.getByTestId('track-progress')).toContainText('1/2 core steps')
  await expect(state).toHaveValue('done')
  await expect(state).toBeFocused()
  // The next Tab continues from the row (its menu), not from the top of the page.
  await page.keyboard.press('Tab')
  await expect(menuButton).toBeFocused()

  // The open card is remembered.
  await page.reload()
  await expect(cards.filter({ has: page.getByRole('button', { name: fourthTitle, exact: true }) })).toHaveAttribute(
    'data-open',
    'true',
  )
  await expect(cards.filter({ has: page.getByRole('button', { name: /^Track \d$/ }) })).toHaveCount(TRACKS)
  await expect(cards.locator('[aria-expanded="true"]')).toHaveCount(1)
})

test('a collapsed card keeps its waiting run’s action in its head, and it works from there', async ({ app, host, page }) => {
  await seedTracks(host)
  const tracks = (await (await host.api.get('/api/tracks')).json()) as { id: string; title: string }[]
  const last = tracks.at(-1)!
  // A recursive delete waits for approval under the default policy; it only touches the temp workspace.
  const res = await host.api.post('/api/runs', {
    data: { command: `rm -rf ${host.workspace}/scratch-e2e`, trackId: last.id },
  })
  expect(res.status(), await res.text()).toBe(201)
  const run = (await res.json()) as { id: string; status: string }
  expect(run.status).toBe('waiting-approval')
  await app.ready()

  const card = page.getByTestId('track-card').filter({ has: page.getByRole('button', { name: last.title, exact: true }) })
  await expect(card).toHaveAttribute('data-open', 'false')
  const approve = card.getByRole('button', { name: /^Approve: / })
  await expect(approve).toBeVisible()
  await expect(page.getByTestId('track-card').getByTestId('needs-you-action')).toHaveCount(1)
  expect(await seriousViolations(page), 'collapsed card with its action').toEqual([])

  await approve.click()
  await waitStatus(host, run.id, ['succeeded'])
  await expect(card.getByTestId('needs-you-action')).toHaveCount(0)
  await expect(card).toHaveAttribute('data-open', 'false')
})

test('keyboard-only takeover: n finds the waiting run, the code is typed, and focus is free once the run ends', async ({
  app,
  host,
  page,
  site,
}) => {
  const run = await startRun(
    host,
    `name: Keyboard MFA\nviewport: { width: 1000, height: 700 }\nsteps:\n  - goto: ${site.url}/mfa/autofocus\n  - expect: Welcome back\n`,
  )
  await app.ready()
  await waitForPerson(host, run.id)
  await expect(page.getByTestId('needs-you')).toHaveAttribute('data-count', '1')

  await page.keyboard.press('n')
  const takeOver = page.getByTestId('needs-you-action')
  await expect(takeOver).toBeFocused()
  await page.keyboard.press('Enter')
  const status = page.getByTestId('takeover-status')
  await expect(status).toHaveAttribute('data-live', 'true', { timeout: 30_000 })
  // Live: keys go to the page at once (its code field has focus there).
  await expect.poll(async () => (await active(page)).inStage).toBe(true)
  await page.keyboard.type(site.code)
  await page.keyboard.press('Enter')
  await expect(status).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 })

  // The run is over: focus left the live page, and Tab / Shift+Tab move through the app.
  await expect.poll(async () => (await active(page)).inStage).toBe(false)
  const seen = new Set<string>()
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Shift+Tab')
    const a = await active(page)
    expect(a.inStage, `Shift+Tab ${i + 1} stayed in the live page`).toBe(false)
    seen.add(`${a.tag}:${a.label}`)
  }
  expect(seen.size).toBeGreaterThan(5)
  // The main navigation is reachable from here by keyboard.
  const nav = page.getByRole('navigation', { name: 'Main' })
  let reached = false
  for (let i = 0; i < 30 && !reached; i++) {
    await page.keyboard.press('Shift+Tab')
    reached = await nav.evaluate((n) => n.contains(n.ownerDocument.activeElement))
  }
  expect(reached).toBe(true)
  expect(await seriousViolations(page), 'takeover after the run').toEqual([])
})

test('after Approve, focus goes to the row now in its place, then to the view, never to the top of the page', async ({
  app,
  host,
  page,
  site,
}) => {
  const runs = []
  for (const what of ['Pay the invoice', 'Send the letter']) {
    const run = await startRun(host, `name: ${what}\nsteps:\n  - goto: ${site.url}/search\n  - approval: { reason: "${what}" }\n`)
    await waitStatus(host, run.id, ['waiting-approval'])
    runs.push(run)
  }
  await app.ready()
  await page.keyboard.press('g')
  await page.keyboard.press('a')
  await expect(page.getByRole('heading', { level: 1, name: 'Approvals' })).toBeFocused()
  const rows = page.getByTestId('approval-row')
  await expect(rows).toHaveCount(2)
  const first = rows.first()
  const firstReason = (await first.locator('.row-main > span').first().textContent()) ?? ''
  await first.getByRole('button', { name: 'Approve' }).focus()
  await page.keyboard.press('Enter')
  // Pending approvals only: the decided row leaves the list, and the one now in its place has focus.
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).not.toContainText(firstReason)
  await expect
    .poll(() => rows.first().evaluate((li) => li.contains(li.ownerDocument.activeElement)), { timeout: 5_000 })
    .toBe(true)
  // The last one: the list is gone with it, and focus is on the view's heading.
  await rows.first().getByRole('button', { name: 'Approve' }).focus()
  await page.keyboard.press('Enter')
  await expect(rows).toHaveCount(0)
  await expect(page.getByRole('heading', { level: 1, name: 'Approvals' })).toBeFocused()
  for (const r of runs) expect((await waitStatus(host, r.id, ['succeeded'])).status).toBe('succeeded')
})
