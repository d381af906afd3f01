// A workspace with more tracks than render in full: only the cards near the viewport are
// mounted, they keep their test ids, and scrolling the page brings any card in.
import { expect, test } from './fixtures'

test.use({ demo: false })

test('past 60 tracks only the cards near the viewport mount, and scrolling reaches the last', async ({
  app,
  host,
  page,
}) => {
  const n = 90
  for (let i = 0; i < n; i += 30) {
    const batch = await Promise.all(
      Array.from({ length: 30 }, (_, j) =>
        host.api.post('/api/tracks', {
          data: { title: `Scale track ${String(i + j + 1).padStart(2, '0')}`, steps: [{ title: 'Only step' }] },
        }),
      ),
    )
    for (const r of batch) expect(r.status()).toBe(201)
  }
  await app.open('Runs')
  await app.open('Execution')
  await expect(page.getByRole('group', { name: 'Show tracks' }).getByRole('button', { name: /^All/ })).toContainText(
    String(n),
  )
  const cards = page.getByTestId('track-card')
  await expect(cards.first()).toBeVisible()
  const mounted = await cards.count()
  expect(mounted).toBeGreaterThan(0)
  expect(mounted).toBeLessThan(30)

  // Scroll the page (the main element) to the end: the last card is mounted and visible.
  const titles = await page.evaluate<string[]>(
    "Array.from(document.querySelectorAll('[data-testid=track-card] h2')).map((h) => h.textContent)",
  )
  const last = (await (await host.api.get('/api/tracks')).json()) as { title: string }[]
  const lastTitle = last[last.length - 1]!.title
  expect(titles).not.toContain(lastTitle)
  for (let i = 0; i < 5; i++) {
    await page.locator('#main').evaluate((el) => el.scrollTo({ top: el.scrollHeight }))
    await page.waitForTimeout(100)
  }
  const card = cards.filter({ has: page.getByRole('heading', { level: 2, name: lastTitle, exact: true }) })
  await expect(card).toBeVisible()
  // Past five tracks the cards start collapsed to their head; opening one shows its steps.
  await expect(card).toHaveAttribute('data-open', 'false')
  await card.getByTestId('track-toggle').click()
  await expect(card.getByTestId('step-row')).toHaveCount(1)
  expect(await cards.count()).toBeLessThan(30)
})
