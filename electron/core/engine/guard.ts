// Deadline, cancellation and "the browser went away" for one run, in one place (after
// Playwright's ProgressController): every step races the guard, so a cancel, the run's
// timeout or a crash ends whatever the step was waiting on, and the error says which.
import { formatDuration, type FlowDefinition, type FlowStep } from '../../../shared/flow'
import type { RunControl } from '../runs/control'
import type { BrowserLease } from './browsers'

export const DEFAULT_STEP_TIMEOUT_MS = 30_000
export const DEFAULT_RUN_TIMEOUT_MS = 30 * 60_000

export type HaltReason = 'canceled' | 'timeout' | 'lost'

export class HaltError extends Error {
  override name = 'HaltError'
  constructor(readonly reason: HaltReason) {
    super(reason)
  }
}

export interface StepRef {
  index: number
  label: string
  line: number
}

export class RunGuard {
  readonly deadline: number
  private reason: HaltReason | null = null
  private lostText: string | null = null
  private readonly halted: Promise<never>
  private reject!: (err: HaltError) => void
  private readonly timer: NodeJS.Timeout
  private readonly cleanups: Array<() => void> = []

  constructor(
    private readonly ctl: RunControl,
    readonly runTimeoutMs: number,
    /** Called once on the first halt: close the browser context so pending calls reject. */
    private readonly onHalt: () => void,
  ) {
    this.deadline = Date.now() + runTimeoutMs
    this.halted = new Promise<never>((_, reject) => {
      this.reject = reject
    })
    this.halted.catch(() => {}) // only ever observed through race()
    this.timer = setTimeout(() => this.halt('timeout'), runTimeoutMs)
    const onAbort = (): void => this.halt('canceled')
    if (ctl.signal.aborted) onAbort()
    ctl.signal.addEventListener('abort', onAbort, { once: true })
    this.cleanups.push(() => ctl.signal.removeEventListener('abort', onAbort))
  }

  attach(lease: BrowserLease): void {
    this.cleanups.push(
      lease.onLost((text) => {
        this.lostText = text
        this.halt('lost')
      }),
    )
  }

  get haltReason(): HaltReason | null {
    return this.reason
  }

  private halt(reason: HaltReason): void {
    if (this.reason) return
    this.reason = reason
    this.reject(new HaltError(reason))
    this.onHalt()
  }

  remaining(): number {
    return Math.max(1, this.deadline - Date.now())
  }

  /** The work, unless the run is canceled, times out or loses its browser first. */
  race<T>(work: Promise<T>): Promise<T> {
    work.catch(() => {}) // if the guard wins, the work's later rejection is expected
    return Promise.race([work, this.halted])
  }

  /** This step's deadline: its own, else the flow's, else 30 s; never past the run's. */
  stepTimeout(step: FlowStep, flow: FlowDefinition): number {
    // People set their own pace: approvals and waits are bounded by the run, not by the
    // default step timeout (mfa always carries its own).
    const own =
      step.action === 'approval' || step.action === 'wait'
        ? step.timeout
        : (step.timeout ?? flow.stepTimeout ?? DEFAULT_STEP_TIMEOUT_MS)
    return Math.min(own ?? Number.MAX_SAFE_INTEGER, this.remaining())
  }

  /** One plain, redacted sentence for an error, naming the step when there is one. */
  explain(err: unknown, at: StepRef | null): string {
    const where = at ? `step ${at.index} (${at.label}, line ${at.line})` : 'start-up'
    let text: string
    if (this.reason === 'canceled') text = 'Canceled by the operator'
    else if (this.reason === 'lost') text = `${this.lostText ?? 'The browser went away'} (stopped at ${where})`
    else if (this.reason === 'timeout' || this.ranOut(err))
      text = `The run exceeded its ${formatDuration(this.runTimeoutMs)} timeout during ${where}`
    else if (at) text = `Step ${at.index} (${at.label}, line ${at.line}) failed: ${firstLine(err)}`
    else text = firstLine(err)
    return this.ctl.redact(text)
  }

  // A step's own timeout is cut to the run's deadline, so it may fire a moment before the
  // run's timer does: that is still the run running out of time.
  private ranOut(err: unknown): boolean {
    return (
      this.reason === null && err instanceof Error && err.name === 'TimeoutError' && this.deadline - Date.now() < 250
    )
  }

  dispose(): void {
    clearTimeout(this.timer)
    this.cleanups.forEach((c) => c())
  }
}

/** The first line of an error's message: Playwright appends call logs below it. */
export function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err)
  // Colour codes from Playwright's terminal formatting have no place in a stored message.
  const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g')
  const line =
    msg
      .replace(ansi, '')
      .split('\n')
      .find((l) => l.trim() !== '') ?? 'unknown error'
  return line.trim().slice(0, 500)
}
