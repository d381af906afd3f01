// The pages of runs that are executing right now, so a takeover session can screencast the
// page a person must act on (following popups) and take over its dialogs. The engine
// registers a run's context when it opens and removes it when the run ends.
import type { BrowserContext, Dialog, Page } from 'playwright-core'

/** Handles a dialog while a person holds the page; it must accept or dismiss it. */
export type DialogHandler = (dialog: Dialog, page: Page) => void | Promise<void>

export interface LivePage {
  readonly runId: string
  /** The page a person should see: the newest open popup, else the run's own page. */
  readonly page: Page
  readonly context: BrowserContext
  /** Every open page of the run, the run's own page first. */
  pages(): Page[]
  /** Called with the new focus page when a popup opens or closes. Returns unsubscribe. */
  onPageChange(cb: (page: Page) => void): () => void
  /** While set, dialogs go to this handler instead of the engine's default answer. */
  onDialog(handler: DialogHandler | null): void
}

/** What the engine keeps to drive one registration. */
export interface LiveRegistration {
  readonly live: LivePage
  /** The takeover's dialog handler, if one is installed. */
  dialogHandler(): DialogHandler | null
  dispose(): void
}

export class LivePages {
  private readonly byRun = new Map<string, LiveRegistration>()
  private readonly watchers = new Set<(runId: string, live: LivePage | undefined) => void>()
  private readonly endingHooks = new Set<(runId: string) => void>()

  get(runId: string): LivePage | undefined {
    return this.byRun.get(runId)?.live
  }

  runIds(): string[] {
    return [...this.byRun.keys()]
  }

  /** Told when a run's live page appears or goes away. Returns unsubscribe. */
  onChange(cb: (runId: string, live: LivePage | undefined) => void): () => void {
    this.watchers.add(cb)
    return () => this.watchers.delete(cb)
  }

  /**
   * Called just before the engine emits `takeover.ended` for a run, so a takeover session
   * can write its pending input counts first and the log reads in order. Returns unsubscribe.
   */
  onWaitEnding(cb: (runId: string) => void): () => void {
    this.endingHooks.add(cb)
    return () => this.endingHooks.delete(cb)
  }

  /** Engine side: a wait for a person is about to end. */
  waitEnding(runId: string): void {
    for (const cb of [...this.endingHooks]) {
      try {
        cb(runId)
      } catch {
        // Best effort: the run must go on whatever a hook does.
      }
    }
  }

  /** Engine side: makes a run's context visible until dispose(). */
  register(runId: string, context: BrowserContext, main: Page): LiveRegistration {
    this.byRun.get(runId)?.dispose()
    const changeListeners = new Set<(page: Page) => void>()
    let dialog: DialogHandler | null = null
    let focus = main
    let disposed = false

    const open = (): Page[] => {
      const rest = context.pages().filter((p) => p !== main && !p.isClosed())
      return main.isClosed() ? rest : [main, ...rest]
    }
    const refocus = (): void => {
      if (disposed) return
      const pages = open()
      const next = pages.at(-1) ?? main
      if (next === focus) return
      focus = next
      for (const cb of [...changeListeners]) {
        try {
          cb(next)
        } catch {
          // A broken subscriber must not break the run.
        }
      }
    }
    const watchPage = (p: Page): void => {
      p.once('close', refocus)
    }
    const onPage = (p: Page): void => {
      watchPage(p)
      refocus()
    }
    for (const p of context.pages()) watchPage(p)
    context.on('page', onPage)

    const live: LivePage = {
      runId,
      get page() {
        return focus
      },
      context,
      pages: open,
      onPageChange(cb) {
        changeListeners.add(cb)
        return () => changeListeners.delete(cb)
      },
      onDialog(handler) {
        dialog = handler
      },
    }
    const reg: LiveRegistration = {
      live,
      dialogHandler: () => dialog,
      dispose: () => {
        if (disposed) return
        disposed = true
        context.off('page', onPage)
        changeListeners.clear()
        if (this.byRun.get(runId) === reg) {
          this.byRun.delete(runId)
          this.notify(runId, undefined)
        }
      },
    }
    this.byRun.set(runId, reg)
    refocus()
    this.notify(runId, live)
    return reg
  }

  private notify(runId: string, live: LivePage | undefined): void {
    for (const cb of [...this.watchers]) {
      try {
        cb(runId, live)
      } catch {
        // Same as above: watchers are best effort.
      }
    }
  }
}
