// A clock tests move by hand: timers fire in time order as it advances, each seeing now()
// at its own due time, so a schedule can be driven across days and DST changes in an instant.
import type { Clock, TimerHandle } from '../../electron/core/schedules/clock'

interface Timer {
  id: number
  at: number
  fn: () => void
}

export class FakeClock implements Clock {
  private timers: Timer[] = []
  private seq = 0

  constructor(private current: number) {}

  now(): number {
    return this.current
  }

  setTimer(fn: () => void, ms: number): TimerHandle {
    const t = { id: ++this.seq, at: this.current + Math.max(0, ms), fn }
    this.timers.push(t)
    return t.id
  }

  clearTimer(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle)
  }

  get pending(): number {
    return this.timers.length
  }

  /** Moves to `to` (ISO or ms), firing every timer due on the way in order. */
  advanceTo(to: string | number): void {
    const target = typeof to === 'string' ? Date.parse(to) : to
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0]
      if (!due) break
      this.timers = this.timers.filter((t) => t !== due)
      this.current = Math.max(this.current, due.at)
      due.fn()
    }
    this.current = Math.max(this.current, target)
  }

  advance(ms: number): void {
    this.advanceTo(this.current + ms)
  }

  /** Jumps without firing anything: time that passed while the process was not running. */
  jumpTo(to: string | number): void {
    this.current = typeof to === 'string' ? Date.parse(to) : to
    this.timers = []
  }
}
