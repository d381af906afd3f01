// The hub's rules in real Chromium: one controller at a time, audit with counts only,
// invalid messages dropped, sessions only while the run waits for a person.
import type { Browser } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startFixtureSite, type FixtureSite } from '../../../test/support/fixture-site'
import { centerFraction, click, harness, launch, press, RUN, typeKeys, until, type Harness } from '../../../test/support/takeover-harness'
import { TakeoverHub } from './hub'
import { TestViewer } from '../../../test/support/takeover-viewer'

let site: FixtureSite
let browser: Browser
let h: Harness | null = null

beforeAll(async () => {
  ;[site, browser] = await Promise.all([startFixtureSite(), launch()])
})
afterAll(async () => {
  await browser?.close()
  await site?.close()
})
afterEach(async () => {
  await h?.close()
  h = null
})

describe('takeover hub', () => {
  it('gives the input lease to one viewer at a time and refuses input from the others', async () => {
    h = await harness(browser, `${site.url}/mfa/autofocus`)
    const a = h.viewer('a', 'alice')
    const b = h.viewer('b', 'bob')
    await a.next('frame')
    a.up({ type: 'lease', want: true })
    await b.next('status', (s) => s.lease === 'a' && s.leaseBy === 'alice', { past: true })
    b.up({ type: 'lease', want: true })
    expect((await b.next('error', () => true, { past: true })).code).toBe('lease-held')
    typeKeys(b, '42')
    expect(b.last('error')?.code).toBe('no-lease')
    typeKeys(a, '1')
    await until(async () => (await h!.page.locator('#otp').inputValue()) === '1')
    a.up({ type: 'lease', want: false })
    await b.next('status', (s) => s.lease === null, { past: true })
    b.up({ type: 'lease', want: true })
    await b.next('status', (s) => s.lease === 'b', { past: true })
    typeKeys(b, '2')
    await until(async () => (await h!.page.locator('#otp').inputValue()) === '12')
    b.handle!.detach() // leaving releases the lease
    expect(a.last('status')?.lease).toBeNull()
  })

  it('lets another viewer take a lease left idle past its TTL', async () => {
    h = await harness(browser, `${site.url}/mfa/autofocus`, { leaseTtlMs: 150 })
    const a = h.viewer('a', 'alice')
    const b = h.viewer('b', 'bob')
    await a.next('frame')
    a.up({ type: 'lease', want: true })
    b.up({ type: 'lease', want: true })
    expect(b.last('error')?.code).toBe('lease-held')
    await new Promise((r) => setTimeout(r, 250))
    b.up({ type: 'lease', want: true })
    await a.next('status', (s) => s.lease === 'b', { past: true })
    typeKeys(a, '9')
    expect(a.last('error')?.code).toBe('no-lease')
  })

  it('audits who took over and how much input, never what was typed', async () => {
    h = await harness(browser, `${site.url}/mfa/autofocus`, { auditEveryMs: 200 })
    const a = h.viewer('a', 'alice')
    await a.next('frame')
    a.up({ type: 'lease', want: true })
    click(a, await centerFraction(h.page, await h.page.locator('#otp').boundingBox()))
    typeKeys(a, site.code)
    a.up({ type: 'text', text: 'x' })
    a.up({ type: 'paste', text: 'y' })
    a.up({ type: 'wheel', fx: 0.5, fy: 0.5, dx: 0, dy: 40 })
    press(a, 'Enter', 'Enter')
    await h.page.waitForURL(/\/done$/)
    h.setStatus('running') // the engine resumes: the session stops and flushes
    await a.next('status', (s) => !s.live && s.runStatus === 'running', { past: true })
    const started = h.audit.filter((e) => e.type === 'takeover.started')
    expect(started).toHaveLength(1)
    expect(started[0]!.data).toMatchObject({ by: 'alice', viewer: 'a' })
    const inputs = h.audit.filter((e) => e.type === 'takeover.input')
    expect(inputs.length).toBeGreaterThan(0)
    const total = (k: string) => inputs.reduce((n, e) => n + Number(e.data[k] ?? 0), 0)
    expect({
      mouse: total('mouse'),
      keys: total('keys'),
      text: total('text'),
      paste: total('paste'),
      wheel: total('wheel'),
    }).toEqual({
      mouse: 1,
      keys: 7,
      text: 1,
      paste: 1,
      wheel: 1,
    })
    for (const e of inputs)
      expect(Object.keys(e.data).sort()).toEqual([
        'dialog',
        'keys',
        'mouse',
        'paste',
        'select',
        'text',
        'viewer',
        'wheel',
      ])
    const all = JSON.stringify(h.audit)
    expect(all).not.toContain(site.code)
    for (const d of site.code) expect(all).not.toContain(`"${d}"`)
  })

  it('drops invalid messages with an error and refuses input when the run is not waiting', async () => {
    h = await harness(browser, `${site.url}/mfa/autofocus`)
    const a = h.viewer('a')
    await a.next('frame')
    for (const bad of [
      null,
      'x',
      { type: 'mouse', action: 'down', fx: 2, fy: 0 },
      { type: 'key', action: 'down' },
      { type: 'nope' },
      { type: 'lease', want: true, extra: 1 },
    ]) {
      a.handle!.handle(bad)
      expect(a.last('error')?.code).toBe('invalid')
    }
    expect(a.last('status')?.lease).toBeNull()
    h.setStatus('running')
    await a.next('status', (s) => !s.live, { past: true })
    a.up({ type: 'lease', want: true })
    expect(a.last('error')?.code).toBe('not-live')
    // Waiting again (a second prompt): the attached view goes live again by itself.
    h.setStatus('waiting-mfa')
    await a.next('status', (s) => s.live, { past: false })
  })

  it('refuses to open a run that is not waiting, or unknown', async () => {
    h = await harness(browser, `${site.url}/mfa/autofocus`)
    h.setStatus('running')
    await expect(h.hub.open(RUN)).rejects.toThrow(/only a run waiting for MFA/)
    expect(() => h!.hub.attach('run_missing', new TestViewer('z', 'zed'))).toThrow(/not found/)
    const hub = new TakeoverHub({
      livePages: { get: () => undefined },
      runInfo: () => ({ status: 'waiting-mfa', waitingSince: null, timeoutAt: null }),
      audit: () => () => {},
      onRunChanged: () => () => {},
    })
    await expect(hub.open('run_elsewhere')).rejects.toThrow(/no live page/)
    await hub.close()
  })
})
