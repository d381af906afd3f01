// What a takeover session needs from the outside, as small structural interfaces, so the
// session can run against the engine's live pages or a plain Playwright page in a test.
import type { BrowserContext, Dialog, Page } from 'playwright-core'
import type { DownMessage } from '../../../shared/takeover'

/**
 * A run's live browser while it executes. Mirrors the engine's LivePages entry
 * (electron/core/engine/live-pages.ts); only what takeover uses is listed.
 */
export interface LivePage {
  /** The page the run works on now. */
  readonly page: Page
  readonly context: BrowserContext
  pages(): Page[]
  /** Called when the run's current page changes (popup opened or closed). */
  onPageChange?(cb: (page: Page) => void): () => void
  /** While set, the engine hands every JS dialog to this handler instead of answering it itself. */
  onDialog(handler: ((dialog: Dialog) => void) | null): void
}

export interface LivePageSource {
  get(runId: string): LivePage | undefined
  /** Told just before the engine emits takeover.ended, so pending input counts come first. */
  onWaitEnding?(cb: (runId: string) => void): () => void
}

/** Appends an audit event to the run's log (the wiring passes RunControl.emit). */
export type AuditFn = (type: string, data: Record<string, unknown>) => void

/** One attached view. send() must not throw; a transport drops what it cannot deliver. */
export interface Viewer {
  readonly id: string
  /** Who is behind the view (operator name), for the audit trail. */
  readonly by: string
  send(msg: DownMessage): void
}

export interface ViewerHandle {
  /** Any message from the view; validated, invalid ones are dropped with an `error` reply. */
  handle(msg: unknown): void
  detach(): void
}

export interface TakeoverOptions {
  /** A lease without input for this long may be taken by another viewer. */
  leaseTtlMs: number
  /** takeover.input is flushed at least this often while input flows. */
  auditEveryMs: number
  /** A frame the pacing viewer has not acknowledged by then is acknowledged anyway. */
  ackTimeoutMs: number
  maxWidth: number
  maxHeight: number
  quality: number
}

export const DEFAULT_OPTIONS: TakeoverOptions = {
  leaseTtlMs: 60_000,
  auditEveryMs: 2_000,
  ackTimeoutMs: 1_000,
  maxWidth: 1920,
  maxHeight: 1200,
  quality: 70,
}

export class TakeoverError extends Error {
  override name = 'TakeoverError'
  constructor(
    readonly code: 'not-found' | 'not-live' | 'unavailable',
    message: string,
  ) {
    super(message)
  }
}
