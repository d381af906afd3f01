// The takeover WebSocket over a real host (startHost attaches it): same auth as /api,
// cross-origin upgrades refused, messages relayed both ways to a session on a real page.
import type { Browser } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { DownMessage } from '../../shared/takeover'
import { addToken } from '../core/store/tokens'
import { startFixtureSite, type FixtureSite } from '../../test/support/fixture-site'
import { harness, launch, RUN, until, type Harness } from '../../test/support/takeover-harness'
import { tempCore } from '../../test/support/temp-workspace'
import { startHost, type Host } from './server'

const TOKEN = 'secret-token-123'
let site: FixtureSite
let browser: Browser
let core: Awaited<ReturnType<typeof tempCore>>
let host: Host
let h: Harness

beforeAll(async () => {
  ;[site, browser] = await Promise.all([startFixtureSite(), launch()])
})
afterAll(async () => {
  await browser?.close()
  await site?.close()
})
beforeEach(async () => {
  core = await tempCore()
  h = await harness(browser, `${site.url}/mfa/autofocus`)
  // The host attaches the socket to core.takeover: give it a hub over a plain page instead.
  host = await startHost({ core: { ...core, takeover: h.hub }, token: TOKEN })
  alice = addToken(core.ws.store, 'alice', 'operator').token
  viewer = addToken(core.ws.store, 'vera', 'viewer').token
})
afterEach(async () => {
  await h.close()
  await host.close()
  await core.cleanup()
})

let alice: string
let viewer: string
// A name in the query is what a page would like to be called; the token decides who it is.
const wsUrl = (runId = RUN) => `${host.origin.replace(/^http/, 'ws')}/api/runs/${runId}/takeover?by=mallory`

/** Opens a socket; resolves with it, or rejects with the HTTP status of a refused upgrade. */
function open(headers: Record<string, string>, runId?: string): Promise<{ ws: WebSocket; got: DownMessage[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(runId), { headers })
    const got: DownMessage[] = []
    ws.on('message', (d) => got.push(JSON.parse(d.toString()) as DownMessage))
    ws.once('open', () => resolve({ ws, got }))
    ws.once('unexpected-response', (_req, res) =>
      reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })),
    )
    ws.once('error', reject)
  })
}

describe('takeover WebSocket', () => {
  it('refuses a missing or wrong token, another origin, and unknown runs', async () => {
    await expect(open({})).rejects.toMatchObject({ status: 401 })
    await expect(open({ authorization: 'Bearer nope' })).rejects.toMatchObject({ status: 401 })
    await expect(open({ cookie: `opdesk_token=${TOKEN}`, origin: 'http://evil.example' })).rejects.toMatchObject({
      status: 401,
    })
    await expect(open({ authorization: `Bearer ${TOKEN}` }, 'run_nope')).rejects.toMatchObject({ status: 404 })
    // Taking over is an operator's action: a viewer's token is refused with 403.
    await expect(open({ authorization: `Bearer ${viewer}` })).rejects.toMatchObject({ status: 403 })
  })

  it('streams to a cookie-authenticated same-origin view and applies its input', async () => {
    const { ws, got } = await open({ cookie: `opdesk_token=${alice}`, origin: host.origin })
    await until(() => got.some((m) => m.type === 'frame'))
    const status = got.find((m) => m.type === 'status')!
    expect(status).toMatchObject({ runId: RUN, runStatus: 'waiting-mfa' })
    ws.send(JSON.stringify({ type: 'lease', want: true }))
    ws.send('not json')
    for (const ch of '42') {
      ws.send(JSON.stringify({ type: 'key', action: 'down', key: ch, code: `Digit${ch}` }))
      ws.send(JSON.stringify({ type: 'key', action: 'up', key: ch, code: `Digit${ch}` }))
    }
    await until(async () => (await h.page.locator('#otp').inputValue()) === '42')
    expect(got.some((m) => m.type === 'error' && m.code === 'invalid')).toBe(true)
    const started = h.audit.find((e) => e.type === 'takeover.started')
    expect(started?.data.by).toBe('alice')
    ws.close()
    await until(() => h.hub.session(RUN) === undefined || h.audit.some((e) => e.type === 'takeover.input'))
  })
})
