// Shared set-up for the takeover tests: real Chromium, the fixture site, and a hub whose
// run status is a plain map (no engine, no store).
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { UpMessageIn } from '../../shared/takeover-schema'
import { MOD } from '../../shared/takeover'
import { TakeoverHub } from '../../electron/core/takeover/hub'
import { livePageFor, TestViewer } from './takeover-viewer'
import type { TakeoverOptions } from '../../electron/core/takeover/types'
import { launchTestBrowser } from './browser'

export const VIEWPORT = { width: 1000, height: 700 }
export const RUN = 'run_test'

export function launch(): Promise<Browser> {
  return launchTestBrowser()
}

export interface Harness {
  context: BrowserContext
  page: Page
  hub: TakeoverHub
  audit: { type: string; data: Record<string, unknown> }[]
  setStatus(status: string): void
  viewer(id: string, by?: string, autoAck?: boolean): TestViewer
  close(): Promise<void>
}

export async function harness(browser: Browser, url: string, options: Partial<TakeoverOptions> = {}): Promise<Harness> {
  const context = await browser.newContext({ viewport: VIEWPORT })
  const page = await context.newPage()
  await page.goto(url)
  const live = livePageFor(context, page)
  let status = 'waiting-mfa'
  const since = new Date().toISOString()
  const listeners = new Set<(runId: string, status: string) => void>()
  const audit: Harness['audit'] = []
  const hub = new TakeoverHub({
    livePages: { get: (id) => (id === RUN ? live : undefined) },
    runInfo: (id) =>
      id === RUN
        ? { status, waitingSince: since, timeoutAt: new Date(Date.parse(since) + 60_000).toISOString() }
        : null,
    audit: () => (type, data) => audit.push({ type, data }),
    onRunChanged: (l) => {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    options,
    idleStopMs: 50,
  })
  return {
    context,
    page,
    hub,
    audit,
    setStatus(s) {
      status = s
      for (const l of listeners) l(RUN, s)
    },
    viewer(id, by = 'alice', autoAck = true) {
      const v = new TestViewer(id, by, autoAck)
      v.handle = hub.attach(RUN, v)
      return v
    },
    async close() {
      await hub.close()
      await context.close()
    },
  }
}

/** The fraction of the view's box where an element's centre is drawn. */
export async function centerFraction(
  page: Page,
  box: { x: number; y: number; width: number; height: number } | null,
): Promise<{ fx: number; fy: number }> {
  if (!box) throw new Error('element has no box')
  const vp = page.viewportSize()!
  return { fx: (box.x + box.width / 2) / vp.width, fy: (box.y + box.height / 2) / vp.height }
}

export function click(v: TestViewer, at: { fx: number; fy: number }): void {
  v.up({ type: 'mouse', action: 'move', ...at })
  v.up({ type: 'mouse', action: 'down', ...at, button: 'left', clickCount: 1 })
  v.up({ type: 'mouse', action: 'up', ...at, button: 'left', clickCount: 1 })
}

export function press(v: TestViewer, key: string, code: string, modifiers = 0): void {
  const base: UpMessageIn = { type: 'key', action: 'down', key, code, modifiers }
  v.up(base)
  v.up({ ...base, action: 'up' })
}

/** Types digits and letters one key at a time, as a person at a keyboard would. */
export function typeKeys(v: TestViewer, text: string): void {
  for (const ch of text) {
    const code = /\d/.test(ch) ? `Digit${ch}` : /[a-z]/i.test(ch) ? `Key${ch.toUpperCase()}` : ''
    press(v, ch, code, /[A-Z]/.test(ch) ? MOD.shift : 0)
  }
}

export async function until(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 25))
  }
}
