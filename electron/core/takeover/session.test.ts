// TakeoverSession (through the hub) on plain Playwright pages of the fixture site, in real
// Chromium, without the engine: frames, coordinates, keys, text, popups, dialogs, selects.
import type { Browser } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { MOD } from '../../../shared/takeover'
import { startFixtureSite, type FixtureSite } from '../../../test/support/fixture-site'
import {
  centerFraction,
  click,
  harness,
  launch,
  press,
  typeKeys,
  until,
  VIEWPORT,
  type Harness,
} from '../../../test/support/takeover-harness'

let site: FixtureSite
let browser: Browser
let h: Harness | null = null

beforeAll(async () => {
  ;[site, browser] = await Promise.all([startFixtureSite({ altHost: 'localhost' }), launch()])
})
afterAll(async () => {
  await browser?.close()
  await site?.close()
})
afterEach(async () => {
  await h?.close()
  h = null
})

describe('takeover session', () => {
  it('streams frames with metadata, and gives a late viewer the last frame of a still page', async () => {
    h = await harness(browser, `${site.url}/mfa/autofocus`)
    const a = h.viewer('a')
    const frame = await a.next('frame')
    expect(frame.meta).toMatchObject({ deviceWidth: VIEWPORT.width, deviceHeight: VIEWPORT.height, pageScaleFactor: 1 })
    expect(frame.viewport).toEqual(VIEWPORT)
    expect(Buffer.from(frame.data, 'base64').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8])) // JPEG
    const status = await a.next('status', (s) => s.live, { past: true })
    expect(status).toMatchObject({ runStatus: 'waiting-mfa', url: `${site.url}/mfa/autofocus`, lease: null, you: 'a' })
    expect(status.waitingSince).toBeTruthy()
    await new Promise((r) => setTimeout(r, 300))
    const b = h.viewer('b')
    const late = await b.next('frame', () => true, { past: true, timeoutMs: 500 })
    expect(late.frameId).toBe(a.last('frame')!.frameId)
  })

  it('lands a click at (fx·width, fy·height) of the viewport', async () => {
    h = await harness(browser, `${site.url}/mfa/chooser`)
    const a = h.viewer('a')
    await a.next('frame')
    const at = await centerFraction(h.page, await h.page.getByRole('button', { name: 'Text message' }).boundingBox())
    a.up({ type: 'lease', want: true })
    click(a, at)
    await h.page.waitForURL(/method=sms/)
    await a.next('status', (s) => !!s.url?.includes('method=sms'), { past: true })
  })

  it('types keys with modifiers, inserts text and pastes, then submits with Enter', async () => {
    h = await harness(browser, `${site.url}/mfa/autofocus`)
    const a = h.viewer('a')
    await a.next('frame')
    a.up({ type: 'lease', want: true })
    const otp = h.page.locator('#otp')
    typeKeys(a, '99')
    await until(async () => (await otp.inputValue()) === '99')
    press(a, 'a', 'KeyA', MOD.ctrl) // select all: a shortcut, not a character
    press(a, 'Backspace', 'Backspace')
    await until(async () => (await otp.inputValue()) === '')
    typeKeys(a, '12')
    a.up({ type: 'text', text: '34' })
    a.up({ type: 'paste', text: '56' })
    await until(async () => (await otp.inputValue()) === '123456')
    press(a, 'Enter', 'Enter')
    await h.page.waitForURL(/\/done$/)
  })

  it('types into a cross-origin (out-of-process) iframe', async () => {
    h = await harness(browser, `${site.url}/mfa/iframe`)
    const a = h.viewer('a')
    await a.next('frame')
    const field = h.page.frameLocator('#mfa-frame').locator('#otp')
    await field.waitFor()
    a.up({ type: 'lease', want: true })
    click(a, await centerFraction(h.page, await field.boundingBox()))
    typeKeys(a, site.code)
    press(a, 'Enter', 'Enter')
    await h.page.waitForURL(/\/done$/)
  })

  it('follows a popup and returns to the opener when it closes', async () => {
    h = await harness(browser, `${site.url}/mfa/popup`)
    const a = h.viewer('a')
    await a.next('frame')
    a.up({ type: 'lease', want: true })
    const popupSeen = h.context.waitForEvent('page')
    click(a, await centerFraction(h.page, await h.page.locator('#signin').boundingBox()))
    const popup = await popupSeen
    await a.next('status', (s) => s.popup && !!s.url?.includes('/mfa/popup/auth'), { past: true })
    await popup.locator('#otp').waitFor()
    await a.next('frame', () => true) // a frame of the popup
    click(a, await centerFraction(popup, await popup.locator('#otp').boundingBox()))
    typeKeys(a, site.code)
    press(a, 'Enter', 'Enter')
    await a.next('status', (s) => !s.popup && !!s.url?.endsWith('/done'), { timeoutMs: 15_000, past: false })
    expect(popup.isClosed()).toBe(true)
  })

  it('shows JS dialogs to the person and applies the answer', async () => {
    h = await harness(browser, `${site.url}/dialogs`)
    const a = h.viewer('a')
    await a.next('frame')
    a.up({ type: 'lease', want: true })
    const result = h.page.locator('#dialog-result')
    click(a, await centerFraction(h.page, await h.page.locator('#prompt').boundingBox()))
    const { dialog } = await a.next('dialog', (d) => d.dialog !== null)
    expect(dialog).toMatchObject({ dialogType: 'prompt', message: 'Your name?', defaultValue: '' })
    press(a, 'x', 'KeyX') // refused while the dialog is open
    expect(a.last('error')?.message).toMatch(/dialog/)
    a.up({ type: 'dialog-answer', id: dialog!.id, accept: true, text: 'Bob' })
    await until(async () => (await result.textContent()) === 'prompt: Bob')
    click(a, await centerFraction(h.page, await h.page.locator('#confirm').boundingBox()))
    const confirm = await a.next('dialog', (d) => d.dialog?.dialogType === 'confirm')
    a.up({ type: 'dialog-answer', id: confirm.dialog!.id, accept: false })
    await until(async () => (await result.textContent()) === 'confirm: false')
  })

  it('offers a native select as an overlay and applies the choice', async () => {
    h = await harness(browser, `${site.url}/select`)
    const a = h.viewer('a')
    await a.next('frame')
    a.up({ type: 'lease', want: true })
    click(a, await centerFraction(h.page, await h.page.locator('#fruit').boundingBox()))
    const { select } = await a.next('select', (s) => s.select !== null)
    expect(select!.options.map((o) => o.value)).toEqual(['apple', 'banana', 'cherry'])
    expect(select!.options[0]!.selected).toBe(true)
    a.up({ type: 'select-answer', id: select!.id, values: ['cherry'] })
    await until(async () => (await h!.page.locator('#select-result').textContent()) === 'Selected: cherry')
    // The invisible popup was closed: arrow keys now move the select itself.
    press(a, 'ArrowUp', 'ArrowUp')
    await until(async () => (await h!.page.locator('#select-result').textContent()) === 'Selected: banana')
  })

  it('paces frames by the controller’s acks', async () => {
    h = await harness(browser, `${site.url}/dialogs`, { ackTimeoutMs: 60_000 })
    await h.page.evaluate(
      `(() => { let n = 0; const tick = () => { document.body.style.background = 'hsl(' + (n++ % 360) + ',60%,80%)'; requestAnimationFrame(tick) }; tick() })()`,
    )
    const slow = h.viewer('slow', 'alice', false)
    await slow.next('frame')
    await new Promise((r) => setTimeout(r, 400))
    const stalled = slow.count('frame')
    expect(stalled).toBeLessThanOrEqual(3) // Chromium keeps at most a couple in flight
    slow.up({ type: 'ack', frameId: slow.last('frame')!.frameId })
    await until(() => slow.count('frame') > stalled, 2_000)
  })
})
