// The detector on real HTML in real Chromium: each snippet is a page a flow could land on.
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFixtureSite, type FixtureSite } from '../../../test/support/fixture-site'
import { launchArgs, resolveExecutable } from './browsers'
import { detectPrompt, probeFrame, scorePrompt, words, type ScoreOptions } from './mfa-detect'

let browser: Browser
let page: Page
let site: FixtureSite

beforeAll(async () => {
  site = await startFixtureSite()
  browser = await chromium.launch({ executablePath: resolveExecutable(), args: launchArgs() })
  page = await browser.newPage()
})
afterAll(async () => {
  await browser?.close()
  await site?.close()
})

async function judge(html: string, opts: ScoreOptions = {}) {
  await page.setContent(html)
  const features = await probeFrame(page.mainFrame())
  expect(features).not.toBeNull()
  return scorePrompt(features!, opts)
}

describe('scorePrompt on HTML snippets', () => {
  it('takes a one-time-code field alone as a code prompt', async () => {
    const v = await judge('<form><input autocomplete="one-time-code" name="c"></form>')
    expect(v).toMatchObject({ detected: true, kind: 'code' })
    expect(v.signals).toContain('one-time-code field')
    expect(v.fields).toEqual(['input[name="c"]'])
  })

  it('needs wording next to an MFA-named field without other hints', async () => {
    expect((await judge('<input id="otp">')).detected).toBe(false)
    expect(await judge('<p>Enter the code from your authenticator app</p><input id="otp">')).toMatchObject({
      detected: true,
      kind: 'code',
    })
    expect(await judge('<input id="otp" maxlength="6">')).toMatchObject({ detected: true, kind: 'code' })
  })

  it('takes wording plus a short numeric field', async () => {
    const v = await judge(
      '<h1>2-Step Verification</h1><p>We texted a code to your phone.</p><input inputmode="numeric">',
    )
    expect(v).toMatchObject({ detected: true, kind: 'code' })
    expect(v.signals).toEqual(
      expect.arrayContaining(['short numeric field', 'wording "two-step"', 'wording "enter the code"']),
    )
  })

  it('does not trigger on single weak signals', async () => {
    expect(
      (await judge('<form><label>Find products <input name="code" placeholder="Search products"></label></form>'))
        .detected,
    ).toBe(false)
    expect(
      (await judge('<label>Promo code <input name="promo_code" maxlength="8"></label><button>Apply</button>')).detected,
    ).toBe(false)
    expect((await judge('<label>ZIP code <input name="zip_code" maxlength="5"></label>')).detected).toBe(false)
    // An article about 2FA with a search box is prose, not a prompt.
    const article =
      '<h1>How two-step verification works</h1><p>Enter the code from your authenticator app.</p><input type="search" name="q">'
    expect((await judge(article)).detected).toBe(false)
    expect((await judge('<p>Signed in.</p><input type="hidden" autocomplete="one-time-code">')).detected).toBe(false)
    expect((await judge('<input autocomplete="one-time-code" style="display:none">')).detected).toBe(false)
  })

  it('ignores a code field the flow already filled, unless waiting for a person', async () => {
    const html = '<h1>Two-step verification</h1><input autocomplete="one-time-code" id="otp" value="123456">'
    expect((await judge(html)).detected).toBe(false)
    expect((await judge(html, { ignoreValues: true })).detected).toBe(true)
  })

  it('classifies push, chooser and login walls', async () => {
    expect(
      await judge('<h1>Check your phone</h1><p>Approve the request in the Acme app on your phone.</p>'),
    ).toMatchObject({ detected: true, kind: 'push' })
    expect(
      await judge(
        '<h1>Verify it’s you</h1><button>Authenticator app</button><button>Text message</button><button>Security key</button>',
      ),
    ).toMatchObject({ detected: true, kind: 'chooser' })
    const login = await judge(
      '<title>Sign in</title><form><input type="email"><input type="password" name="pw"><button>Sign in</button></form>',
    )
    expect(login).toMatchObject({ detected: true, kind: 'login', fields: ['input[name="pw"]'] })
    expect(
      (await judge('<form><input type="email"><input type="password" value="x"><button>Sign in</button></form>'))
        .detected,
    ).toBe(false)
    expect((await judge('<button>Text message</button><button>Email</button>')).detected).toBe(false)
  })

  it('is more lenient for an explicit mfa step', async () => {
    const html = '<p>Enter the code we sent you</p><input name="token">'
    expect((await judge(html)).detected).toBe(false)
    expect(await judge(html, { lenient: true })).toMatchObject({ detected: true, kind: 'code' })
  })

  it('splits field names into words', () => {
    expect(words('verificationCode')).toBe('verification code')
    expect(words('mfa_code-input')).toBe('mfa code input')
  })
})

describe('detectPrompt on the fixture site', () => {
  const cases: Array<[string, string | null]> = [
    ['/mfa/autofocus', 'code'],
    ['/mfa/plain', 'code'],
    ['/mfa/chooser', 'chooser'],
    ['/mfa/chooser?method=sms', 'code'],
    ['/mfa/push', 'push'],
    ['/mfa/remember', 'code'],
    ['/login-wall', 'login'],
    ['/search', null],
    ['/search?code=1234', null],
    ['/form', null],
    ['/done', null],
  ]
  it.each(cases)('%s → %s', async (path, kind) => {
    await page.goto(site.url + path)
    const found = await detectPrompt([page])
    expect(found?.kind ?? null).toBe(kind)
    if (found) expect(found).toMatchObject({ where: 'page', pageUrl: site.url + path })
  })

  it('finds the prompt in a cross-site iframe and in a popup', async () => {
    const cross = await startFixtureSite({ altHost: 'localhost' })
    try {
      await page.goto(`${cross.url}/mfa/iframe`)
      await page.frameLocator('#mfa-frame').locator('#otp').waitFor()
      const inFrame = await detectPrompt([page])
      expect(inFrame).toMatchObject({ kind: 'code', where: 'iframe', pageUrl: `${cross.url}/mfa/iframe` })
      expect(inFrame!.signals).toContain(`in a frame from ${cross.altUrl}`)
    } finally {
      await cross.close()
    }
    await page.goto(`${site.url}/mfa/popup`)
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#signin')])
    await popup.waitForLoadState()
    const inPopup = await detectPrompt([page, popup])
    expect(inPopup).toMatchObject({ kind: 'code', where: 'popup' })
    await popup.close()
  })
})
