// The per-run prompt watcher: sentinels in every page and frame of the run's context tell
// it when something prompt-like may have changed; it confirms with the full detector and
// keeps the current answer, so a step can be raced against "a person is needed now"
// instead of probing the page after every step. See DESIGN.md "Prompt watcher".
import type { BrowserContext, CDPSession, Frame, Page } from 'playwright-core'
import { lookForPrompt, type DetectedPrompt } from './mfa-detect'
import { installSentinel, type SentinelReport } from './prompt-sentinel'

/** A confirmed prompt and how long it took from rendering to confirmation. */
export interface Sighting {
  prompt: DetectedPrompt
  latencyMs: number
}

/** Decides whether a sighting needs a person now (false: the flow's own next steps deal with it). */
export type Accept = (s: Sighting) => Promise<boolean>

interface PageState {
  /** Epoch ms of the last main-frame navigation, and of the last report from the top document. */
  navigatedAt: number
  reportedAt: number
  interesting: boolean
}

// A sentinel saw something prompt-like that the detector did not confirm (a field still
// fading in, a page still laying out): look again a few times before believing it.
const RECHECK_MS = [250, 600, 1_200]
// How long a step waits at most for a just-navigated page's sentinel to speak.
const SETTLE_MAX_MS = 1_500

export class PromptWatcher {
  private current: Sighting | null = null
  /** Epoch ms of the earliest change not yet confirmed (0: none). */
  private pendingAt = 0
  private confirming: Promise<void> | null = null
  private dirty = false
  private paused = 0
  private disposed = false
  private readonly sessions = new Set<CDPSession>()
  private readonly frameSessions = new WeakMap<Frame, CDPSession>()
  private readonly pageSessions = new WeakMap<Page, CDPSession>()
  private readonly pageState = new WeakMap<Page, PageState>()
  private readonly listeners = new Set<() => void>()
  private frameInteresting = false
  private recheck: NodeJS.Timeout | null = null
  private rechecks = 0
  private readonly cleanups: Array<() => void> = []

  constructor(
    private readonly context: BrowserContext,
    private readonly pages: () => Page[],
    private readonly isDismissed: (p: DetectedPrompt) => boolean = () => false,
  ) {}

  /** Installs sentinels on the open pages and every page the context opens later. */
  async start(): Promise<void> {
    const onPage = (p: Page): void => void this.watchPage(p)
    this.context.on('page', onPage)
    this.cleanups.push(() => this.context.off('page', onPage))
    await Promise.all(this.context.pages().map((p) => this.watchPage(p)))
  }

  /** The open CDP session on a watched page (for work that would otherwise attach its own). */
  sessionFor(page: Page): CDPSession | null {
    return this.disposed ? null : (this.pageSessions.get(page) ?? null)
  }

  dispose(): void {
    this.disposed = true
    if (this.recheck) clearTimeout(this.recheck)
    this.cleanups.forEach((c) => c())
    this.listeners.clear()
    for (const s of this.sessions) void s.detach().catch(() => {})
    this.sessions.clear()
  }

  /** While a person holds the page the wait polls by itself; the watcher only listens. */
  pause(): void {
    this.paused++
  }

  /** After a person's wait: forget what was showing and look again. */
  resume(): void {
    this.paused = Math.max(0, this.paused - 1)
    this.current = null
    this.rechecks = 0
    this.pendingAt = 0
    this.poke(Date.now())
  }

  /**
   * The flow acted (typed, clicked): what is showing may have changed without a DOM change
   * the sentinel sees (a field's value), so a prompt on record is confirmed again.
   */
  invalidate(): void {
    if (this.current) this.poke(Date.now())
  }

  /** The confirmed prompt showing now, if any, after any confirmation under way finishes. */
  async latest(): Promise<Sighting | null> {
    while (this.confirming) await this.confirming
    return this.current
  }

  /**
   * Waits for the pages to settle: every page that navigated has had its new document's
   * sentinel speak (bounded), and no confirmation is under way. Cheap when nothing moved.
   */
  async settle(): Promise<Sighting | null> {
    const deadline = Date.now() + SETTLE_MAX_MS
    while (!this.disposed && Date.now() < deadline) {
      const waiting = this.pages().some((p) => {
        const st = this.pageState.get(p)
        return !p.isClosed() && st !== undefined && st.reportedAt < st.navigatedAt
      })
      if (!waiting && !this.confirming) break
      await this.changed(Math.max(1, deadline - Date.now()))
    }
    return this.latest()
  }

  /**
   * Resolves with the first sighting `accept` takes, the current one included; never
   * resolves otherwise. `cancel` stops it (the step finished first).
   */
  next(accept: Accept): { sighting: Promise<Sighting>; cancel(): void } {
    let canceled = false
    let wake = (): void => {}
    const sighting = (async () => {
      let seen: Sighting | null = null
      while (!canceled && !this.disposed) {
        const s = await this.latest()
        if (canceled) break
        if (s && s !== seen && !this.isDismissed(s.prompt)) {
          seen = s
          if ((await accept(s)) && !canceled) return s
        }
        await new Promise<void>((r) => {
          wake = r
          this.listeners.add(r)
        })
        this.listeners.delete(wake)
      }
      return new Promise<Sighting>(() => {})
    })()
    return {
      sighting,
      cancel: () => {
        canceled = true
        this.listeners.delete(wake)
        wake()
      },
    }
  }

  private changed(maxMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        this.listeners.delete(done)
        resolve()
      }
      const timer = setTimeout(done, Math.min(maxMs, 100))
      this.listeners.add(done)
    })
  }

  private notify(): void {
    for (const l of [...this.listeners]) l()
  }

  private async watchPage(page: Page): Promise<void> {
    if (this.disposed || this.pageState.has(page)) return
    const st: PageState = { navigatedAt: 0, reportedAt: 0, interesting: false }
    this.pageState.set(page, st)
    const onReport = (r: SentinelReport): void => {
      if (r.top) {
        st.reportedAt = Date.now()
        st.interesting = r.sig !== ''
      } else if (r.sig !== '') this.frameInteresting = true
      this.rechecks = 0
      // A document with nothing prompt-like cannot have brought a prompt; it can only have
      // taken one away. Skipping those keeps plain flows free of detector round trips.
      if (r.sig === '' && !this.current && !this.confirming) return this.notify()
      this.poke(r.at)
    }
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) {
        st.navigatedAt = Date.now()
        if (this.current) this.poke(Date.now())
      } else void this.watchFrame(page, frame, onReport)
    })
    page.on('frameattached', (frame) => void this.watchFrame(page, frame, onReport))
    page.on('close', () => {
      if (this.current) this.poke(Date.now())
      this.notify()
    })
    const session = await installSentinel(this.context, page, onReport)
    if (session) {
      this.keep(session)
      this.pageSessions.set(page, session)
    }
    if (this.disposed) return
    await Promise.all(page.frames().map((f) => (f === page.mainFrame() ? null : this.watchFrame(page, f, onReport))))
  }

  /** Out-of-process iframes have their own target; an in-process one is covered by its page. */
  private async watchFrame(page: Page, frame: Frame, onReport: (r: SentinelReport) => void): Promise<void> {
    if (this.disposed || page.isClosed()) return
    const session = await installSentinel(this.context, frame, (r) => onReport({ ...r, top: false }))
    if (!session) return
    const old = this.frameSessions.get(frame)
    if (old) {
      this.sessions.delete(old)
      void old.detach().catch(() => {})
    }
    this.frameSessions.set(frame, session)
    this.keep(session)
  }

  private keep(session: CDPSession): void {
    if (this.disposed) void session.detach().catch(() => {})
    else this.sessions.add(session)
  }

  /** Something may have changed (at epoch ms `at`): confirm, once at a time. */
  private poke(at: number): void {
    if (this.disposed) return
    if (!this.pendingAt || at < this.pendingAt) this.pendingAt = at
    if (this.paused > 0) return
    if (this.confirming) {
      this.dirty = true
      return
    }
    this.confirming = this.confirm().finally(() => {
      this.confirming = null
      if (this.dirty && !this.disposed) {
        this.dirty = false
        this.poke(Date.now())
      } else this.notify()
    })
  }

  private async confirm(): Promise<void> {
    const since = this.pendingAt || Date.now()
    this.pendingAt = 0
    const look = await lookForPrompt(this.pages())
    if (this.disposed || this.paused > 0) return
    if (look.prompt) {
      // The same prompt still showing keeps its first sighting (and latency).
      if (!this.current || this.current.prompt.key !== look.prompt.key) {
        this.current = { prompt: look.prompt, latencyMs: Math.max(0, Date.now() - since) }
      }
      this.rechecks = 0
    } else {
      this.current = null
      const hint = this.frameInteresting || this.pages().some((p) => this.pageState.get(p)?.interesting)
      if ((hint || !look.complete) && this.rechecks < RECHECK_MS.length && !this.recheck) {
        const at = since
        this.recheck = setTimeout(() => {
          this.recheck = null
          this.poke(at)
        }, RECHECK_MS[this.rechecks++])
      }
    }
  }
}
