// The input lease: one controller at a time. The first viewer to ask gets it; others
// watch. It ends on release or detach, and a lease idle past its TTL may be taken by
// someone else, so a forgotten tab cannot lock everybody out.

export interface Holder {
  viewerId: string
  by: string
  since: number
  lastInput: number
}

export type LeaseAnswer = { ok: true; changed: boolean; holder: Holder } | { ok: false; holder: Holder }

export class Lease {
  private current: Holder | null = null

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get holder(): Holder | null {
    return this.current
  }

  holds(viewerId: string): boolean {
    return this.current?.viewerId === viewerId
  }

  stale(): boolean {
    return this.current !== null && this.now() - this.current.lastInput > this.ttlMs
  }

  request(viewerId: string, by: string): LeaseAnswer {
    const t = this.now()
    if (this.current && this.current.viewerId === viewerId) {
      this.current.lastInput = t
      return { ok: true, changed: false, holder: this.current }
    }
    if (this.current && !this.stale()) return { ok: false, holder: this.current }
    this.current = { viewerId, by, since: t, lastInput: t }
    return { ok: true, changed: true, holder: this.current }
  }

  /** Returns true when the viewer held the lease (and so it changed). */
  release(viewerId: string): boolean {
    if (this.current?.viewerId !== viewerId) return false
    this.current = null
    return true
  }

  touch(viewerId: string): void {
    if (this.current?.viewerId === viewerId) this.current.lastInput = this.now()
  }

  /** Drops a stale lease; returns true if it did. */
  expire(): boolean {
    if (!this.stale()) return false
    this.current = null
    return true
  }
}
