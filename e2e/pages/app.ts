import { expect, type Locator, type Page } from '@playwright/test'

export type ViewName = 'Execution' | 'Runs' | 'Approvals' | 'Alerts' | 'Flows' | 'Schedules' | 'Profiles' | 'Analytics' | 'Settings'

export class AppShell {
  readonly nav: Locator
  constructor(readonly page: Page) {
    this.nav = page.getByRole('navigation', { name: 'Main' })
  }

  async ready(): Promise<void> {
    await expect(this.nav).toBeVisible()
  }

  async open(view: ViewName): Promise<void> {
    await this.nav.getByRole('link', { name: new RegExp(`^${view}`) }).click()
    await expect(this.page.getByRole('heading', { level: 1, name: view })).toBeVisible()
  }

  heading(): Locator {
    return this.page.getByRole('heading', { level: 1 })
  }

  /** Resolves once the live stream has said hello, so changes made now are seen live. */
  async live(): Promise<void> {
    await expect(this.page.getByRole('status').filter({ hasText: /^Live$/ })).toBeVisible()
  }
}
