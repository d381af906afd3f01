// The takeover view as a person uses it: look at the live page, click where things are,
// type. Positions are CSS pixels of the remote page's viewport, mapped onto the view's box
// (DESIGN.md: a click at fraction (fx, fy) of the box lands at (fx·width, fy·height)).
import { expect, type Locator, type Page } from '@playwright/test'

export class TakeoverPage {
  readonly view: Locator
  readonly status: Locator
  readonly resumeButton: Locator
  readonly url: Locator

  constructor(readonly page: Page) {
    this.view = page.getByTestId('takeover-view')
    this.status = page.getByTestId('takeover-status')
    this.resumeButton = page.getByTestId('takeover-resume')
    this.url = page.getByTestId('takeover-url')
  }

  /** Opens the view for a run (the app shell is already signed in). */
  async open(origin: string, runId: string): Promise<void> {
    await this.page.goto(`${origin}/#/takeover/${encodeURIComponent(runId)}`)
    await expect(this.page.getByRole('heading', { level: 1, name: /^Takeover/ })).toBeVisible()
  }

  /** Waits until frames of the live page are on screen. */
  async waitLive(timeout = 30_000): Promise<void> {
    await expect(this.status).toHaveAttribute('data-live', 'true', { timeout })
    await expect(this.view.locator('img')).toHaveAttribute('src', /^data:image\/jpeg;base64,/, { timeout })
  }

  async expectStatus(status: string, timeout = 30_000): Promise<void> {
    await expect(this.status).toHaveAttribute('data-status', status, { timeout })
  }

  async viewport(): Promise<{ width: number; height: number }> {
    await expect(this.view).toHaveAttribute('data-viewport', /^\d+x\d+$/)
    const [width, height] = (await this.view.getAttribute('data-viewport'))!.split('x').map(Number)
    return { width: width!, height: height! }
  }

  /** Clicks the live page at (x, y) CSS pixels of its viewport, through the view. */
  async clickAt(at: { x: number; y: number }): Promise<void> {
    const vp = await this.viewport()
    const box = (await this.view.boundingBox())!
    await this.page.mouse.click(box.x + (at.x / vp.width) * box.width, box.y + (at.y / vp.height) * box.height)
  }

  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text, { delay: 30 })
  }

  async press(key: string): Promise<void> {
    await this.page.keyboard.press(key)
  }
}
