// The Profiles view as a test sees it: one row per profile, its health, its two actions.
import { expect, type Locator, type Page } from '@playwright/test'

export class ProfilesPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profiles' }).click()
    await expect(this.page.getByRole('heading', { level: 1, name: 'Profiles' })).toBeVisible()
  }

  row(name: string): Locator {
    return this.page.locator(`[data-testid="profile-row"][data-name="${name}"]`)
  }

  health(name: string): Locator {
    return this.row(name).getByTestId('profile-health')
  }

  async expectHealth(name: string, state: string, timeout = 60_000): Promise<void> {
    await expect(this.health(name)).toHaveAttribute('data-state', state, { timeout })
  }

  async checkNow(name: string): Promise<void> {
    await this.row(name).getByRole('button', { name: 'Check now' }).click()
  }

  async logInNow(name: string): Promise<void> {
    await this.row(name).getByRole('button', { name: 'Log in now' }).click()
  }
}
