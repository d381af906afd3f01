import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { StreamMessage } from '../../../shared/api'
import type { Alert, Track } from '../../../shared/domain'
import { tempCore } from '../../../test/support/temp-workspace'
import { insertAlert } from '../store/alerts'

let core: Awaited<ReturnType<typeof tempCore>>
beforeEach(async () => {
  core = await tempCore()
})
afterEach(async () => {
  await core.cleanup()
})

const req = (method: string, path: string, body?: unknown) => core.router.handle({ method, path, body })

describe('acknowledging an alert through the router', () => {
  it('marks it acknowledged and tells the alert list and the track view, once', async () => {
    const track = (await req('POST', '/api/tracks', { title: 'T' })).body as Track
    const alert = insertAlert(core.ws.store, { kind: 'login-stale', trackId: track.id, message: 'Sign in again' })
    const seen: StreamMessage[] = []
    core.bus.subscribe((m) => seen.push(m))

    const res = await req('POST', `/api/alerts/${alert.id}/ack`)
    expect(res.status).toBe(200)
    expect((res.body as Alert).ackedAt).not.toBeNull()
    expect(((await req('GET', '/api/alerts', undefined)).body as Alert[]).find((a) => a.id === alert.id)?.ackedAt).toBe(
      (res.body as Alert).ackedAt,
    )
    expect(seen).toEqual([
      { type: 'alert.changed', data: { alertId: alert.id } },
      { type: 'track.changed', data: { trackId: track.id } },
    ])
  })

  it('answers 404 for an alert that does not exist and tells nobody', async () => {
    const seen: StreamMessage[] = []
    core.bus.subscribe((m) => seen.push(m))
    expect((await req('POST', '/api/alerts/alr_missing/ack')).status).toBe(404)
    expect(seen).toEqual([])
  })
})
