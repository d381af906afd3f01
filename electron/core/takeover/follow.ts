// Which page the person sees: the run's page, or a popup while one is open. A popup that
// opens takes the screencast; when it closes, the view goes back to the page that opened it.
import type { Frame, Page } from 'playwright-core'
import type { Viewport } from '../../../shared/takeover'
import type { Logger } from '../log'
import { Screencast, type RawFrame } from './screencast'
import type { LivePage, TakeoverOptions } from './types'

export interface FollowerEvents {
  /** About to leave the current page: drop what belongs to it (pending acks, held buttons). */
  leaving(): Promise<void>
  /** A page is on screen now, its screencast running. */
  shown(cast: Screencast, viewport: Viewport | null): void
  frame(cast: Screencast, raw: RawFrame): void
  /** URL or title of the page on screen changed. */
  changed(): void
}

export class PageFollower {
  cast: Screencast | null = null
  title: string | null = null
  /** Pages followed, oldest first; the last open one is shown. */
  private trail: Page[] = []
  private switching: Promise<void> = Promise.resolve()
  private readonly watched = new WeakSet<Page>()
  private readonly offs: (() => void)[] = []
  private stopped = false

  constructor(
    private readonly live: LivePage,
    private readonly opts: TakeoverOptions,
    private readonly on: FollowerEvents,
    private readonly log?: Logger,
  ) {}

  start(): Promise<void> {
    const { context } = this.live
    const onPage = (p: Page) => void this.follow(p)
    context.on('page', onPage)
    this.offs.push(() => context.off('page', onPage))
    // The engine also says when its focus page changes; following is idempotent.
    if (this.live.onPageChange) this.offs.push(this.live.onPageChange((p) => void this.follow(p)))
    return this.follow(this.live.page)
  }

  /** The page on screen is not the run's own page (pages() lists that one first). */
  get popup(): boolean {
    const page = this.cast?.page
    return !!page && page !== this.live.pages()[0]
  }

  async stop(): Promise<void> {
    this.stopped = true
    for (const off of this.offs.splice(0)) off()
    await this.switching.catch(() => {})
    await this.cast?.stop()
    this.cast = null
  }

  private follow(page: Page): Promise<void> {
    this.switching = this.switching
      .then(() => this.switchTo(page))
      .catch((err: unknown) => this.log?.warn('takeover could not follow a page', { error: String(err) }))
    return this.switching
  }

  private async switchTo(page: Page): Promise<void> {
    if (this.stopped || page.isClosed() || this.cast?.page === page) return
    this.trail = [...this.trail.filter((p) => p !== page && !p.isClosed()), page]
    const old = this.cast
    this.cast = null
    await this.on.leaving()
    await old?.stop()
    const cast = await Screencast.open(this.live.context, page)
    if (this.stopped || page.isClosed()) return void (await cast.stop())
    this.cast = cast
    this.title = null
    this.watch(page)
    this.on.shown(cast, await cast.viewport())
    await cast.begin(this.opts, (f) => this.on.frame(cast, f))
    this.on.changed()
    void this.refreshTitle(page)
  }

  private watch(page: Page): void {
    if (this.watched.has(page)) return
    this.watched.add(page)
    const onNav = (frame: Frame) => {
      if (frame !== page.mainFrame() || this.cast?.page !== page) return
      this.on.changed()
      void this.refreshTitle(page)
    }
    const onClose = () => {
      this.trail = this.trail.filter((p) => p !== page && !p.isClosed())
      if (this.cast?.page !== page) return
      // A popup that closes hands the view back to the page that opened it.
      const back =
        this.trail.at(-1) ?? (this.live.page.isClosed() ? this.live.pages().find((p) => !p.isClosed()) : this.live.page)
      if (back) void this.follow(back)
    }
    page.on('framenavigated', onNav)
    page.once('close', onClose)
    this.offs.push(() => {
      page.off('framenavigated', onNav)
      page.off('close', onClose)
    })
  }

  private async refreshTitle(page: Page): Promise<void> {
    const timeout = new Promise<null>((r) => setTimeout(() => r(null), 1_000))
    const title = await Promise.race([page.title(), timeout]).catch(() => null)
    if (title !== null && this.cast?.page === page && title !== this.title) {
      this.title = title
      this.on.changed()
    }
  }
}
