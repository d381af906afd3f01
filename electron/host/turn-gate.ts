// Takes write requests in turns with the event loop. Creating a run is synchronous work
// (judge the command, write its row and first events in a SQLite transaction): when 1,000
// `POST /api/runs` arrive together, Node would otherwise run all of them back to back in
// one poll phase, and a `GET /api/health` that arrived alongside waits behind every one
// of them (seconds). Here each turn starts writes for at most BUDGET_MS, then lets the
// loop poll again, so a read waits behind one turn at most.

const BUDGET_MS = 4

interface Waiting {
  start(): void
}

export class TurnGate {
  private readonly waiting: Waiting[] = []
  private scheduled = false

  constructor(private readonly budgetMs = BUDGET_MS) {}

  /**
   * Runs fn in a turn. fn's synchronous part (up to its first await) runs inside the turn
   * and counts against its budget; whatever it awaits afterwards no longer holds the gate.
   */
  run<T>(fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({
        start: () => {
          try {
            fn().then(resolve, reject)
          } catch (err) {
            reject(err as Error)
          }
        },
      })
      this.schedule()
    })
  }

  get pending(): number {
    return this.waiting.length
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return
    this.scheduled = true
    // An immediate queued from inside an immediate runs on the next loop iteration, after
    // the poll phase has taken in (and answered) whatever reads are ready.
    setImmediate(() => {
      this.scheduled = false
      const until = performance.now() + this.budgetMs
      do this.waiting.shift()?.start()
      while (this.waiting.length > 0 && performance.now() < until)
      this.schedule()
    })
  }
}
