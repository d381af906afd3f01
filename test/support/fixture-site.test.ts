// Checks the fixture pages behave as the takeover end-to-end tests assume, in real Chromium.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIXTURE_PATHS, startFixtureSite, type FixtureSite } from './fixture-site'
import { launchTestBrowser } from './browser'

let site: FixtureSite
let browser: Browser

beforeAll(async () => {
  ;[site, browser] = await Promise.all([
    startFixtureSite(),
    launchTestBrowser(),
  ])
})

afterAll(async () => {
  await browser?.close()
  await site?.close()
})

async function withPage(fn: (page: Page, ctx: BrowserContext) => Promise<void>): Promise<void> {
  const ctx = await browser.newContext({ acceptDownloads: true })
  try {
    await fn(await ctx.newPage(), ctx)
  } finally {
    await ctx.close()
  }
}

async function expectDone(page: Page): Promise<void> {
  await page.getByRole('heading', { name: 'Welcome back' }).waitFor()
  await expect(page.title()).resolves.toBe('Signed in')
}

describe('fixture site', () => {
  it('serves every listed page', async () => {
    for (const path of FIXTURE_PATHS) {
      const res = await fetch(`${site.url}${path}${path === '/slow' ? '?ms=0' : ''}`)
      expect(res.status, path).toBe(200)
    }
    expect(site.currentCode()).toBe('123456')
    expect(new URL(site.altUrl).origin).not.toBe(new URL(site.url).origin)
    const frame = await fetch(`${site.altUrl}/frame/mfa`)
    expect(frame.status).toBe(200)
  })

  it('autofocus: wrong code shows an error, 123456 reaches /done', async () => {
    await withPage(async (page) => {
      await page.goto(`${site.url}/mfa/autofocus`)
      await expect(page.evaluate('document.activeElement && document.activeElement.autocomplete')).resolves.toBe('one-time-code')
      await page.keyboard.type('654321')
      await page.getByRole('button', { name: 'Verify' }).click()
      await page.getByText('That code is incorrect').waitFor()
      await page.getByLabel('Verification code').fill('123456')
      await page.getByRole('button', { name: 'Verify' }).click()
      await page.waitForURL('**/done')
      await expectDone(page)
    })
  })

  it('popup: the popup takes the code, closes, and the opener lands on /done', async () => {
    await withPage(async (page) => {
      await page.goto(`${site.url}/mfa/popup`)
      const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Sign in with Acme' }).click()])
      await popup.getByLabel('Verification code').fill('123456')
      await Promise.all([popup.waitForEvent('close'), popup.getByRole('button', { name: 'Verify' }).click()])
      await page.waitForURL('**/done')
      await expectDone(page)
    })
  })

  it('iframe: a cross-origin frame takes the code and the top page reaches /done', async () => {
    for (const altHost of ['127.0.0.1', 'localhost'] as const) {
      const s = altHost === '127.0.0.1' ? site : await startFixtureSite({ altHost })
      try {
        await withPage(async (page) => {
          await page.goto(`${s.url}/mfa/iframe`)
          const frame = page.frameLocator('#mfa-frame')
          await frame.getByLabel('Verification code').fill('123456')
          const child = page.frames().find((f) => f !== page.mainFrame())
          expect(new URL(child!.url()).origin).toBe(s.altUrl)
          await frame.getByRole('button', { name: 'Verify' }).click()
          await page.waitForURL('**/done')
          await expectDone(page)
        })
      } finally {
        if (s !== site) await s.close()
      }
    }
  })

  it('spa: the field appears late and success uses pushState to /done-spa', async () => {
    await withPage(async (page) => {
      await page.goto(`${site.url}/mfa/spa`)
      const started = Date.now()
      await expect(page.locator('#otp').count()).resolves.toBe(0)
      await page.locator('input[autocomplete="one-time-code"]').waitFor()
      expect(Date.now() - started).toBeGreaterThan(1000)
      await page.locator('#otp').fill('123456')
      await page.getByRole('button', { name: 'Verify' }).click()
      await page.waitForURL('**/done-spa')
      await expectDone(page)
    })
  })

  it('chooser, plain field, push and remember-device flows reach /done', async () => {
    await withPage(async (page) => {
      await page.goto(`${site.url}/mfa/chooser`)
      await page.getByRole('button', { name: 'Text message' }).click()
      await page.getByLabel('Verification code').fill('123456')
      await page.getByRole('button', { name: 'Verify' }).click()
      await expectDone(page)

      await page.goto(`${site.url}/mfa/plain`)
      await expect(page.locator('input[name="verification_code"]:not([autocomplete])').count()).resolves.toBe(1)
      await page.getByLabel('Security code').fill('123456')
      await page.getByRole('button', { name: 'Continue' }).click()
      await expectDone(page)

      await page.goto(`${site.url}/mfa/push`)
      await page.getByText('Approve the sign-in on your phone').waitFor()
      await page.getByRole('button', { name: 'I approved it' }).click()
      await expectDone(page)

      await page.goto(`${site.url}/mfa/remember`)
      await page.getByLabel('Verification code').fill('123456')
      await page.getByLabel('Remember this device').check()
      await page.getByRole('button', { name: 'Verify' }).click()
      await expectDone(page)
      await page.goto(`${site.url}/mfa/remember`)
      await page.waitForURL('**/done')
    })
  })

  it('search is an ordinary page without sign-in wording; other action pages work', async () => {
    await withPage(async (page) => {
      await page.goto(`${site.url}/search`)
      await expect(page.locator('input[name="code"][placeholder="Search products"]').count()).resolves.toBe(1)
      await page.getByRole('button', { name: 'Search' }).waitFor()
      const text = (await page.locator('body').innerText()).toLowerCase()
      expect(text).not.toMatch(/verif|one-time|authenticat|security|sign.?in|log.?in|2fa|mfa|\bcode\b|passcode/)

      await page.goto(`${site.url}/form`)
      await page.getByLabel('Full name').fill('Ada')
      await page.getByLabel('Plan').selectOption('pro')
      await page.getByLabel('Email me product updates').check()
      await page.getByRole('button', { name: 'Submit' }).click()
      await page.getByText('Received: name=Ada, company=, plan=pro, updates=yes').waitFor()

      await page.goto(`${site.url}/download`)
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download report' }).click()])
      expect(download.suggestedFilename()).toBe('report.txt')

      await page.goto(`${site.url}/dialogs`)
      page.once('dialog', (d) => void d.accept('Grace'))
      await page.getByRole('button', { name: 'Show prompt' }).click()
      await page.getByText('prompt: Grace').waitFor()

      await page.goto(`${site.url}/select`)
      await page.getByLabel('Fruit').selectOption('cherry')
      await page.getByText('Selected: cherry').waitFor()

      const started = Date.now()
      await page.goto(`${site.url}/slow?ms=300`)
      expect(Date.now() - started).toBeGreaterThanOrEqual(290)
      await page.getByText('Loaded after 300 ms').waitFor()
    })
  })
})
