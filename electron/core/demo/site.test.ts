// Drives the Acme Portal demo site in real Chromium: the same path the demo flow and
// a person taking over a run will walk (login -> MFA -> dashboard -> CSV export).
import { readFile } from 'node:fs/promises'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { Secret, TOTP } from 'otpauth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_CREDENTIALS, DEMO_TOTP_SECRET, startDemoSite, type DemoSite } from './site'
import { launchTestBrowser } from '../../../test/support/browser'

let site: DemoSite
let browser: Browser

beforeAll(async () => {
  ;[site, browser] = await Promise.all([
    startDemoSite(),
    launchTestBrowser(),
  ])
})

afterAll(async () => {
  await browser?.close()
  await site?.close()
})

async function withContext(fn: (ctx: BrowserContext, page: Page) => Promise<void>): Promise<void> {
  const ctx = await browser.newContext({ acceptDownloads: true })
  try {
    await fn(ctx, await ctx.newPage())
  } finally {
    await ctx.close()
  }
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${site.url}/login`)
  await page.getByLabel('Email').fill(DEMO_CREDENTIALS.email)
  await page.getByLabel('Password').fill(DEMO_CREDENTIALS.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

/** A six-digit code that no step in the ±1 window accepts, so the test cannot flake. */
function wrongCode(): string {
  const secret = Secret.fromBase32(DEMO_TOTP_SECRET)
  const now = Date.now()
  const valid = new Set([-60, -30, 0, 30, 60].map((s) => TOTP.generate({ secret, timestamp: now + s * 1000 })))
  return ['000000', '111111', '222222', '333333', '444444', '555555'].find((c) => !valid.has(c)) ?? '999999'
}

describe('demo site (Acme Portal)', () => {
  it('login -> MFA -> dashboard -> CSV download -> Export complete', async () => {
    await withContext(async (ctx, page) => {
      await page.goto(site.url)
      await expect.poll(() => page.url()).toBe(`${site.url}/login`)
      await expect(page.locator('#demo-email').textContent()).resolves.toBe('demo@acme.test')
      await expect(page.locator('#demo-password').textContent()).resolves.toBe('opdesk-demo')
      await signIn(page)
      await page.waitForURL('**/mfa')
      await page.getByText('Enter the verification code from your authenticator app').waitFor()

      const otp = page.locator('input[autocomplete="one-time-code"][inputmode="numeric"][name="otp"][autofocus]')
      await expect(otp.count()).resolves.toBe(1)
      await expect(page.evaluate('document.activeElement && document.activeElement.id')).resolves.toBe('otp')
      await expect(page.locator('#totp-secret').textContent()).resolves.toBe(DEMO_TOTP_SECRET)

      await page.getByRole('button', { name: 'Show demo code' }).click()
      await page.locator('#demo-code[data-code]').waitFor()
      const shown = await page.locator('#demo-code').getAttribute('data-code')
      expect(shown).toMatch(/^\d{6}$/)

      // The session cookie must be invisible to page script.
      const session = (await ctx.cookies()).find((c) => c.name === 'acme_session')
      expect(session?.httpOnly).toBe(true)

      await otp.fill(site.currentCode())
      await page.getByRole('button', { name: 'Verify' }).click()
      await page.waitForURL('**/dashboard')
      await page.getByRole('heading', { name: 'Hello, Demo User' }).waitFor()

      const month = await page.getByLabel('Month').inputValue()
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export CSV' }).click(),
      ])
      expect(download.suggestedFilename()).toBe(`invoices-${month}.csv`)
      const csv = await readFile((await download.path())!, 'utf8')
      expect(csv.split('\n')[0]).toBe('invoice,date,customer,amount_usd,status')
      await page.getByText('Export complete').waitFor()
    })
  })

  it('a wrong code stays on /mfa with an error', async () => {
    await withContext(async (_ctx, page) => {
      await signIn(page)
      await page.waitForURL('**/mfa')
      await page.locator('#otp').fill(wrongCode())
      await page.getByRole('button', { name: 'Verify' }).click()
      await page.getByRole('alert').waitFor()
      expect(new URL(page.url()).pathname).toBe('/mfa')
      await expect(page.getByRole('alert').textContent()).resolves.toContain('didn’t work')
      // A pending MFA session does not open the dashboard.
      await page.goto(`${site.url}/dashboard`)
      expect(new URL(page.url()).pathname).toBe('/mfa')
    })
  })

  it('"Remember this device" skips MFA on the next login in the same profile', async () => {
    await withContext(async (ctx, page) => {
      await signIn(page)
      await page.waitForURL('**/mfa')
      await page.locator('#otp').fill(site.currentCode())
      await page.getByLabel('Remember this device for 30 days').check()
      await page.getByRole('button', { name: 'Verify' }).click()
      await page.waitForURL('**/dashboard')
      const device = (await ctx.cookies()).find((c) => c.name === 'acme_device')
      expect(device?.httpOnly).toBe(true)
      expect(device!.expires * 1000 - Date.now()).toBeGreaterThan(7 * 24 * 3600 * 1000)

      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.getByText('You have signed out.').waitFor()
      await signIn(page)
      await page.waitForURL('**/dashboard')
      await page.getByText('Signed in as demo@acme.test').waitFor()
    })
  })

  it('serves the demo code API, guards pages and assets', async () => {
    const api = (await (await fetch(`${site.url}/api/demo-code`)).json()) as { code: string; period: number }
    expect(api.code).toMatch(/^\d{6}$/)
    expect(api.period).toBe(30)
    const secret = Secret.fromBase32(DEMO_TOTP_SECRET)
    expect(TOTP.validate({ token: site.currentCode(), secret, window: 1 })).not.toBeNull()

    const dash = await fetch(`${site.url}/dashboard`, { redirect: 'manual' })
    expect(dash.status).toBe(303)
    expect(dash.headers.get('location')).toBe('/login')
    expect((await fetch(`${site.url}/export.csv`)).status).toBe(401)
    expect((await fetch(`${site.url}/assets/style.css`)).status).toBe(200)
    expect((await fetch(`${site.url}/assets/..%2Flogin.html`)).status).toBe(404)
    expect((await fetch(`${site.url}/assets/login.html`)).status).toBe(404)
    expect((await fetch(`${site.url}/login`)).headers.get('content-security-policy')).toContain("script-src 'self'")
  })
})
