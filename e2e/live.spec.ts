// Changes made by another client reach an open page through the stream, without reload.
import { expect, test } from './fixtures'

test('a change made through the API appears live', async ({ app, execution, host, page }) => {
  await app.live()
  // Marks this document: if the page reloaded, the marker would be gone.
  await page.evaluate('window.__noReload = true')

  const res = await host.api.post('/api/tracks', {
    data: { title: 'Made elsewhere', owner: 'API client', steps: [{ title: 'Only step', state: 'active' }] },
  })
  expect(res.status()).toBe(201)
  const track = (await res.json()) as { id: string; steps: { id: string }[] }

  const card = execution.card('Made elsewhere')
  await expect(card.root).toBeVisible()
  await card.expectState('active')
  await execution.expectTiles({ active: 2, blocked: 1 })

  const patch = await host.api.patch(`/api/steps/${track.steps[0]!.id}`, { data: { state: 'blocked' } })
  expect(patch.status()).toBe(200)
  await card.expectState('blocked')
  await execution.expectTiles({ active: 1, blocked: 2 })

  const del = await host.api.delete(`/api/tracks/${track.id}`)
  expect(del.status()).toBe(200)
  await expect(card.root).toHaveCount(0)
  await expect(execution.cards).toHaveCount(3)
  await execution.expectTiles({ active: 1, waiting: 1, blocked: 1, progress: '47%' })

  expect(await page.evaluate('window.__noReload')).toBe(true)
})

test('a burst of changes settles to the final state', async ({ app, execution, host }) => {
  await app.live()
  const created = await Promise.all(
    Array.from({ length: 25 }, (_, i) =>
      host.api.post('/api/tracks', { data: { title: `Burst ${i + 1}`, steps: [{ title: 's', state: 'done' }] } }),
    ),
  )
  for (const r of created) expect(r.status()).toBe(201)
  await expect(execution.cards).toHaveCount(28)
  await execution.expectTiles({ active: 1, waiting: 1, blocked: 1 })
  await expect(execution.page.getByTestId('summary-progress')).toContainText('28 tracks, 25 done')
})
