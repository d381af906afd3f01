// How often main restarts a core process that died: a crash is restarted at once, but one
// that keeps crashing (a damaged database, a bad build) is left stopped and reported rather
// than restarted in a loop that would look like a frozen app.
export class RestartBudget {
  private readonly times: number[] = []
  constructor(
    private readonly max = 3,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when another restart is allowed now (and counts it). */
  take(): boolean {
    const t = this.now()
    while (this.times.length && t - this.times[0]! > this.windowMs) this.times.shift()
    if (this.times.length >= this.max) return false
    this.times.push(t)
    return true
  }
}
