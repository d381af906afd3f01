// A run's hold on a browser context, wherever the browser lives (local, profile, remote,
// pool endpoint): it says where, reports a browser that went away on its own, and closes once.
import type { BrowserContext } from 'playwright-core'

export interface BrowserLease {
  readonly context: BrowserContext
  /** "shared local browser", "profile acme", "remote ws://…": for messages. */
  readonly where: string
  /** Why the browser went away on its own (crash, kill, remote drop); null while it lives. */
  lostReason(): string | null
  onLost(cb: (reason: string) => void): () => void
  /** Closes this run's context (for a profile: its browser). Safe to call twice. */
  release(): Promise<void>
}

export class Lease implements BrowserLease {
  private lost: string | null = null
  private readonly listeners = new Set<(reason: string) => void>()
  private releasing: Promise<void> | null = null

  constructor(
    readonly context: BrowserContext,
    readonly where: string,
    private readonly closeFn: () => Promise<void>,
  ) {}

  lostReason(): string | null {
    return this.lost
  }

  onLost(cb: (reason: string) => void): () => void {
    if (this.lost) cb(this.lost)
    else this.listeners.add(cb)
    return () => this.listeners.delete(cb)
  }

  markLost(reason: string): void {
    if (this.lost || this.releasing) return
    this.lost = reason
    for (const cb of [...this.listeners]) cb(reason)
    this.listeners.clear()
  }

  get released(): boolean {
    return this.releasing !== null
  }

  release(): Promise<void> {
    this.releasing ??= this.closeFn().catch(() => {
      // Already gone (crash, cancel raced a close): nothing left to close.
    })
    return this.releasing
  }
}

