// The parts of a flow that wait for people: the explicit `mfa` step, prompts detected
// after a step (or blocking one), and `approval`. Around every MFA wait the trace stops,
// and afterwards an evidence screenshot (code fields masked) is kept.
import {
  DEFAULT_MFA_TIMEOUT_MS,
  formatDuration,
  type FlowStep,
  type FlowStepOf,
  type MfaUntil,
} from '../../../shared/flow'
import type { Page } from 'playwright-core'
import { isTimeout, withParams } from './actions'
import type { RunState } from './flow-executor'
import { detectPrompt, type DetectedPrompt, type ScoreOptions } from './mfa-detect'
import { describeUntil, untilMissing, waitForPerson, type PersonWaitResult } from './mfa-wait'

// A goto that timed out never finished loading: there is no prompt to read, and reading a
// page mid-navigation only waits for it.
const NOT_BLOCKABLE = new Set<FlowStep['action']>(['mfa', 'approval', 'wait', 'goto'])

// Steps that only read the page. After one that was quick and saw no navigation, the page
// is the one the previous look found no prompt on; looking again would only cost a round
// trip. A slow one (a page changing by itself, e.g. a late-rendered prompt) is looked at.
const READS_ONLY = new Set<FlowStep['action']>(['expect', 'waitFor', 'extract', 'screenshot'])
const QUIET_MS = 500

export class PersonSteps {
  /** Prompts an operator force-resumed past: seeing them again must not stop the run again. */
  private readonly dismissed = new Set<string>()
  private navigations = 0
  private lastLook = { at: 0, navigations: -1 }

  constructor(private readonly s: RunState) {
    const watch = (p: Page): void => {
      p.on('framenavigated', () => this.navigations++)
    }
    const context = s.lease.context
    context.pages().forEach(watch)
    context.on('page', (p) => {
      this.navigations++
      watch(p)
    })
  }

  async mfaStep(step: FlowStepOf<'mfa'>): Promise<void> {
    const { ctl } = this.s
    const until = step.until ?? null
    if (until && (await untilMissing(this.s.pages(), until)) === null) {
      ctl.emit('log', { level: 'info', message: `No MFA needed: ${describeUntil(until)} already holds` })
      return
    }
    const prompt = this.fresh(await detectPrompt(this.s.pages(), { lenient: true }))
    if (!until && !prompt) {
      ctl.emit('log', { level: 'info', message: 'No sign-in prompt on the page; continuing' })
      return
    }
    const r = await this.wait(prompt, until, step.timeout, { lenient: true })
    if (!r.ok) throw new Error(r.error)
  }

  async approval(step: FlowStepOf<'approval'>, timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    const decided = this.s.ctl.requestApproval(step.reason, { line: step.line })
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new Error(`Nobody decided the approval within ${formatDuration(timeoutMs)}`)
        err.name = 'TimeoutError'
        reject(err)
      }, timeoutMs)
    })
    try {
      await Promise.race([decided, expired])
    } finally {
      clearTimeout(timer)
    }
  }

  /** After a successful step: a prompt blocking the page? Returns the run's error if the wait failed. */
  async afterStep(i: number): Promise<string | null> {
    const { flow } = this.s
    const step = flow.steps[i]
    const next = flow.steps[i + 1]
    if (!flow.detectMfa || !step || step.action === 'mfa' || next?.action === 'mfa') return null
    const quiet = this.navigations === this.lastLook.navigations && performance.now() - this.lastLook.at < QUIET_MS
    if (READS_ONLY.has(step.action) && quiet) return null
    this.lastLook = { at: performance.now(), navigations: this.navigations }
    // A click that navigated returns once the new document commits; the probe waits (briefly)
    // for it to finish parsing before it reads. Both questions go to the page at once.
    const [handled, found] = await Promise.all([
      next ? this.flowHandlesPage(next) : false,
      detectPrompt(this.s.pages()),
    ])
    const prompt = handled ? null : this.fresh(found)
    if (!prompt) return null
    const r = await this.wait(prompt, null, DEFAULT_MFA_TIMEOUT_MS, {})
    return r.ok ? null : r.error
  }

  /**
   * A step timed out: if a sign-in prompt is in the way, a person gets past it and the
   * step is tried once more (true). Throws when nobody did.
   */
  async promptBlocked(err: unknown, step: FlowStep, index: number): Promise<boolean> {
    const { flow, ctl } = this.s
    if (!flow.detectMfa || !isTimeout(err) || NOT_BLOCKABLE.has(step.action)) return false
    const prompt = this.fresh(await detectPrompt(this.s.pages()))
    if (!prompt) return false
    ctl.emit('log', {
      level: 'info',
      message: `Step ${index} timed out on a ${prompt.kind} prompt; waiting for a person, then trying it again`,
    })
    const r = await this.wait(prompt, null, DEFAULT_MFA_TIMEOUT_MS, {})
    if (!r.ok) throw new Error(r.error)
    return true
  }

  /**
   * Whether the next step deals with this page itself, so a login or code form here is the
   * flow's to fill and not a blocker: a fill whose field is on the page now (a fill aimed at
   * the page after a prompt must not hide the prompt). An explicit mfa step next is checked
   * by the caller.
   */
  private async flowHandlesPage(next: FlowStep): Promise<boolean> {
    if (next.action !== 'fill') return false
    try {
      const { selector } = withParams(next, this.s.params)
      return (await this.s.page.locator(selector).count()) > 0
    } catch {
      return true // cannot tell: leave it to the step (a failure there still checks for a prompt)
    }
  }

  private fresh(prompt: DetectedPrompt | null): DetectedPrompt | null {
    return prompt && !this.dismissed.has(prompt.key) ? prompt : null
  }

  private async wait(
    prompt: DetectedPrompt | null,
    until: MfaUntil | null,
    timeoutMs: number,
    score: ScoreOptions,
  ): Promise<PersonWaitResult> {
    const { s } = this
    // Nothing a person types, and nothing on their screen, goes into a trace.
    await s.trace.pause()
    for (const field of prompt?.fields ?? []) s.evidence.masks.add(field)
    const limit = Math.min(timeoutMs, s.guard.remaining())
    const r = await waitForPerson({
      ctl: s.ctl,
      pages: s.pages,
      prompt,
      until,
      timeoutMs: limit,
      timeoutError:
        limit < timeoutMs
          ? `The run reached its ${formatDuration(s.guard.runTimeoutMs)} timeout while waiting for a person`
          : undefined,
      score,
      lease: s.lease,
      beforeEnd: s.beforeWaitEnds,
    })
    if (!r.ok) return r
    if (r.reason === 'forced' && prompt) this.dismissed.add(prompt.key)
    await s.capture('evidence-after-mfa')
    await s.resumeTrace()
    return r
  }
}
