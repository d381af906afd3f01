// One CDP session on one page: the screencast out, Input commands in. Frames are
// acknowledged only when told (ack()), which is what paces Chromium to the viewer.
import type { BrowserContext, CDPSession, Page } from 'playwright-core'
import type { FrameMeta, Viewport } from '../../../shared/takeover'

export interface RawFrame {
  data: string
  meta: FrameMeta
  /** Chromium's id for the ack. */
  ackId: number
}

interface ScreencastFrameEvent {
  data: string
  sessionId: number
  metadata: FrameMeta & { timestamp?: number }
}

export class Screencast {
  private stopped = false

  private constructor(
    readonly page: Page,
    private readonly cdp: CDPSession,
  ) {}

  /** Attaches to the page; frames flow after begin(). */
  static async open(context: BrowserContext, page: Page): Promise<Screencast> {
    return new Screencast(page, await context.newCDPSession(page))
  }

  async begin(
    opts: { maxWidth: number; maxHeight: number; quality: number },
    onFrame: (f: RawFrame) => void,
  ): Promise<void> {
    this.cdp.on('Page.screencastFrame', (e: ScreencastFrameEvent) => {
      if (this.stopped) return
      const m = e.metadata
      onFrame({
        data: e.data,
        ackId: e.sessionId,
        meta: {
          deviceWidth: m.deviceWidth,
          deviceHeight: m.deviceHeight,
          pageScaleFactor: m.pageScaleFactor,
          offsetTop: m.offsetTop,
          scrollOffsetX: m.scrollOffsetX,
          scrollOffsetY: m.scrollOffsetY,
        },
      })
    })
    const vp = await this.viewport()
    await this.cdp.send('Page.startScreencast', {
      format: 'jpeg',
      quality: opts.quality,
      // No larger than the viewport: the view scales down, and more pixels only cost time.
      maxWidth: Math.min(opts.maxWidth, vp?.width ?? opts.maxWidth),
      maxHeight: Math.min(opts.maxHeight, vp?.height ?? opts.maxHeight),
      everyNthFrame: 1,
    })
  }

  /** The page's layout viewport in CSS pixels: what (fx, fy) fractions map onto. */
  async viewport(): Promise<Viewport | null> {
    const set = this.page.viewportSize()
    if (set) return set
    try {
      // A persistent profile may run without an emulated viewport: ask the page.
      const { cssLayoutViewport } = (await this.cdp.send('Page.getLayoutMetrics')) as {
        cssLayoutViewport: { clientWidth: number; clientHeight: number }
      }
      return { width: cssLayoutViewport.clientWidth, height: cssLayoutViewport.clientHeight }
    } catch {
      return null
    }
  }

  ack(ackId: number): void {
    if (this.stopped) return
    this.cdp.send('Page.screencastFrameAck', { sessionId: ackId }).catch(() => {
      // The page closed or navigated away in another process; the next frame carries on.
    })
  }

  send<T = unknown>(method: string, params: Record<string, unknown>): Promise<T> {
    return this.cdp.send(method as 'Input.dispatchMouseEvent', params as never) as Promise<T>
  }

  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    if (this.page.isClosed()) return
    await this.cdp.send('Page.stopScreencast').catch(() => {})
    await this.cdp.detach().catch(() => {})
  }
}
