// The run queue: a concurrency limit, one run at a time per browser profile (a
// persistent profile is one Chromium user-data dir, which only one browser may hold), and
// browser runs held back while every browser server of the pool is full.
import type { RunKind } from '../../../shared/domain'

/** Room for more runs of a kind beyond the concurrency limit (the browser-server pool). */
export interface RunCapacity {
  hasRoom(kind: RunKind): boolean
  /** Called when room may have appeared; returns the unsubscribe. */
  onRoom(cb: () => void): () => void
}

export interface QueuedItem {
  runId: string
  /** Runs with the same lock key never overlap (profile name). */
  lock: string | null
  /** Absent: never held back by capacity (older callers). */
  kind?: RunKind
}

export class RunQueue {
  private pending: QueuedItem[] = []
  private active = new Map<string, string | null>()
  private paused = false

  constructor(
    private concurrency: number,
    private readonly start: (item: QueuedItem) => Promise<void>,
    private readonly capacity: RunCapacity | null = null,
  ) {
    capacity?.onRoom(() => this.pump())
  }

  setConcurrency(n: number): void {
    this.concurrency = Math.max(1, Math.floor(n))
    this.pump()
  }

  enqueue(item: QueuedItem): void {
    if (this.active.has(item.runId) || this.pending.some((p) => p.runId === item.runId)) return
    this.pending.push(item)
    this.pump()
  }

  /** Drops a run that has not started; true when it was still waiting in the queue. */
  remove(runId: string): boolean {
    const before = this.pending.length
    this.pending = this.pending.filter((p) => p.runId !== runId)
    return this.pending.length !== before
  }

  get running(): number {
    return this.active.size
  }
  get waiting(): number {
    return this.pending.length
  }

  /**
   * Starts nothing more (shutdown). Waiting items stay `queued` in the store, where the
   * next start-up's recovery picks them up again.
   */
  pause(): void {
    this.paused = true
  }

  private pump(): void {
    while (!this.paused && this.active.size < this.concurrency) {
      const busy = new Set([...this.active.values()].filter((l): l is string => l !== null))
      // Asked again after each start (a started browser run takes its server's room at once),
      // but once per kind in a pass: a long queue of browser runs asks once, not per run.
      const room = new Map<RunKind, boolean>()
      const roomy = (p: QueuedItem): boolean => {
        if (!p.kind || !this.capacity) return true
        if (!room.has(p.kind)) room.set(p.kind, this.capacity.hasRoom(p.kind))
        return room.get(p.kind)!
      }
      const idx = this.pending.findIndex((p) => (p.lock === null || !busy.has(p.lock)) && roomy(p))
      if (idx < 0) return
      const [item] = this.pending.splice(idx, 1)
      if (!item) return
      this.active.set(item.runId, item.lock)
      void this.start(item).finally(() => {
        this.active.delete(item.runId)
        this.pump()
      })
    }
  }

  /** Resolves when nothing is running or queued (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.active.size > 0 || this.pending.length > 0) await new Promise((r) => setTimeout(r, 20))
  }
}
