// Proves the django-otp harness against the real app in real Chromium: django-otp's own
// admin login asks for an OTP token, accepts the current TOTP code and refuses a wrong one.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchTestBrowser } from './browser'
import { startDjangoOtpAdmin, type DjangoOtpAdmin } from './django-otp'

let browser: Browser

beforeAll(async () => {
  browser = await launchTestBrowser()
})

afterAll(async () => {
  await browser?.close()
})

// Each test gets its own server: django-otp remembers used codes and throttles after a
// wrong one, so sharing a server would make one test's outcome depend on the other's.
async function withAdmin(fn: (admin: DjangoOtpAdmin, page: Page) => Promise<void>): Promise<void> {
  const admin = await startDjangoOtpAdmin()
  const ctx = await browser.newContext()
  try {
    await fn(admin, await ctx.newPage())
  } finally {
    await ctx.close()
    await admin.stop()
  }
}

async function fillLogin(page: Page, admin: DjangoOtpAdmin, code: string): Promise<void> {
  await page.goto(admin.loginUrl)
  await page.getByLabel('Username').fill(admin.username)
  await page.getByLabel('Password').fill(admin.password)
  await page.getByLabel('OTP Token').fill(code)
  await page.getByRole('button', { name: 'Log in' }).click()
}

/** A six-digit code no step in django-otp's ±1 window accepts, so the test cannot flake. */
function wrongCode(admin: DjangoOtpAdmin): string {
  const now = Date.now()
  const valid = new Set([-60, -30, 0, 30, 60].map((s) => admin.totp(now + s * 1000)))
  return ['000000', '111111', '222222', '333333'].find((c) => !valid.has(c))!
}

describe('django-otp admin (real app)', () => {
  it('shows an OTP Token field and logs in with username, password and the current code', async () => {
    await withAdmin(async (admin, page) => {
      await page.goto(admin.loginUrl)
      await expect(page.getByLabel('OTP Token').isVisible()).resolves.toBe(true)
      await expect(page.locator('input[name="otp_token"]').count()).resolves.toBe(1)

      await fillLogin(page, admin, admin.totp())
      await page.getByRole('heading', { name: 'Site administration' }).waitFor()
      expect(new URL(page.url()).pathname).toBe('/admin/')
      // Logged in as our user, with django-otp's device model listed in the index.
      await expect(page.locator('#user-tools').textContent()).resolves.toContain(admin.username)
      await expect(page.getByRole('link', { name: 'TOTP devices' }).isVisible()).resolves.toBe(true)
    })
  })

  it('refuses a wrong code: the error is shown and the page stays on login', async () => {
    await withAdmin(async (admin, page) => {
      await fillLogin(page, admin, wrongCode(admin))
      await page.locator('.errornote').first().waitFor()
      await expect(page.locator('.errornote').first().textContent()).resolves.toContain('Invalid token')
      expect(new URL(page.url()).pathname).toBe('/admin/login/')
      await expect(page.getByLabel('OTP Token').isVisible()).resolves.toBe(true)
      // The app, not the browser, decided: the admin index is still closed to us.
      await page.goto(`${admin.baseUrl}/admin/`)
      expect(new URL(page.url()).pathname).toBe('/admin/login/')
    })
  })
})
