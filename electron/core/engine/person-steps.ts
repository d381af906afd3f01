// The parts of a flow that wait for people: the explicit `mfa` step, prompts the watcher
// saw while a step was due, and `approval`. Around every MFA wait the trace stops,
// and afterwards an evidence screenshot (code fields masked) is kept.
import { DEFAULT_MFA_TIMEOUT_MS, formatDuration, type FlowStepOf, type MfaUntil } from '../../../shared/flow'
import { withParams } from './actions'
import type { RunState } from './flow-executor'
import { detectPrompt, type DetectedPrompt, type ScoreOptions } from './mfa-detect'
import { describeUntil, untilMissing, waitForPerson, type PersonWaitResult } from './mfa-wait'
import type { PromptWatcher, Sighting } from './prompt-watcher'

// How far the flow's own steps are read ahead: a login form the next few steps fill is
// the flow's to fill, not a person's.
const LOOKAHEAD = 5

export class PersonSteps {
  /** Prompts an operator force-resumed past: seeing them again must not stop the run again. */
  private readonly dismissed = new Set<string>()
  /** Main-frame navigations of the run's page, to tell whether a person moved the page on. */
  private navigations = 0

  constructor(
    private readonly s: RunState,
    private readonly watcher: PromptWatcher | null,
  ) {
    s.page.on('framenavigated', (f) => {
      if (f === s.page.mainFrame()) this.navigations++
    })
  }

  readonly isDismissed = (p: DetectedPrompt): boolean => this.dismissed.has(p.key)

  get navigationCount(): number {
    return this.navigations
  }

  async mfaStep(step: FlowStepOf<'mfa'>): Promise<void> {
    const { ctl } = this.s
    const until = step.until ?? null
    const [holds, found] = await Promise.all([
      until ? untilMissing(this.s.pages(), until).then((m) => m === null) : false,
      detectPrompt(this.s.pages(), { lenient: true }),
    ])
    const prompt = this.fresh(found)
    if (holds && !prompt) {
      ctl.emit('log', { level: 'info', message: `No MFA needed: ${describeUntil(until!)} already holds` })
      return
    }
    if (!until && !prompt) {
      ctl.emit('log', { level: 'info', message: 'No sign-in prompt on the page; continuing' })
      return
    }
    // The condition may hold while the prompt still shows (a glob that also matches the
    // login page, a popup still asking): then the person finishes and both must hold.
    const r = await this.wait(prompt, until, step.timeout, { lenient: true }, { alsoPromptGone: holds })
    if (!r.ok) throw new Error(r.error)
  }

  /**
   * Whether a prompt the watcher saw while step i was due needs a person now: not when the
   * flow's next steps fill fields on that page (a login form it is about to fill), not when
   * an explicit mfa step is coming for it, not when the step or the flow turned detection off.
   */
  async needsPerson(i: number, sighting: Sighting): Promise<boolean> {
    const { flow, params, page } = this.s
    const { prompt } = sighting
    if (this.dismissed.has(prompt.key)) return false
    // The flow acts only on its own page: a prompt in a popup or a frame is never its to fill.
    if (prompt.where !== 'page') return true
    for (let j = i; j < flow.steps.length && j < i + LOOKAHEAD; j++) {
      const step = flow.steps[j]!
      if (j > i && step.action === 'goto') break
      if (step.action === 'mfa') return false
      if (step.action !== 'fill') continue
      try {
        const { selector } = withParams(step, params)
        if ((await page.locator(selector).count()) > 0) return false
      } catch {
        return false // cannot tell: leave it to the step (its failure still meets the watcher)
      }
    }
    return true
  }

  /** A person gets past what the watcher saw; returns the run's error when nobody did. */
  async promptWait(sighting: Sighting, when: string): Promise<string | null> {
    const { prompt } = sighting
    this.s.ctl.emit('log', {
      level: 'info',
      message: `A ${prompt.kind} prompt appeared${prompt.where === 'page' ? '' : ` in ${prompt.where === 'popup' ? 'a popup' : 'a frame'}`} ${when}; waiting for a person`,
    })
    const r = await this.wait(prompt, null, DEFAULT_MFA_TIMEOUT_MS, {}, { latencyMs: sighting.latencyMs })
    return r.ok ? null : r.error
  }

  async approval(step: FlowStepOf<'approval'>, timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    const decided = this.s.ctl.requestApproval(step.reason, { line: step.line, timeoutMs, ...(step.terms ? { terms: step.terms } : {}) })
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

  private fresh(prompt: DetectedPrompt | null): DetectedPrompt | null {
    return prompt && !this.dismissed.has(prompt.key) ? prompt : null
  }

  private async wait(
    prompt: DetectedPrompt | null,
    until: MfaUntil | null,
    timeoutMs: number,
    score: ScoreOptions,
    extra: { alsoPromptGone?: boolean; latencyMs?: number } = {},
  ): Promise<PersonWaitResult> {
    const { s, watcher } = this
    // Nothing a person types, and nothing on their screen, goes into a trace.
    await s.trace.pause()
    watcher?.pause()
    try {
      return await this.waitPaused(prompt, until, timeoutMs, score, extra)
    } finally {
      watcher?.resume()
    }
  }

  private async waitPaused(
    prompt: DetectedPrompt | null,
    until: MfaUntil | null,
    timeoutMs: number,
    score: ScoreOptions,
    extra: { alsoPromptGone?: boolean; latencyMs?: number },
  ): Promise<PersonWaitResult> {
    const { s } = this
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
      alsoPromptGone: extra.alsoPromptGone,
      latencyMs: extra.latencyMs,
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
