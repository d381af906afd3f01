// The scheduler's only view of time: now, and one-shot timers. Tests drive a schedule
// across days (and DST changes) with their own clock; the app uses the system's.
export type TimerHandle = unknown

export interface Clock {
  now(): number
  setTimer(fn: () => void, ms: number): TimerHandle
  clearTimer(handle: TimerHandle): void
}

/** Reads the globals at call time, so vitest's fake timers drive it as well. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const t = setTimeout(fn, ms)
    // A pending schedule alone must not keep a CLI or test process alive.
    t.unref?.()
    return t
  },
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
}
