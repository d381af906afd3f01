// Waiting for a person to get past an MFA or login prompt. The run sits in waiting-mfa
// while the page stays alive for the takeover view; it resumes when the `until`
// condition holds, when a detected prompt is gone and the page settled, or when the
// operator presses Resume (which may be refused while the prompt is still there).
// Everything here only reads the page: a person holds it, so automation sends no input.
import type { Page } from 'playwright-core'
import { formatDuration, type MfaUntil } from '../../../shared/flow'
import { urlMatches } from '../flows/parse'
import type { RunControl } from '../runs/control'
import type { BrowserLease } from './browsers'
import { detectPrompt, lookForPrompt, type DetectedPrompt, type ScoreOptions } from './mfa-detect'

export type ResumeReason = 'until-met' | 'prompt-gone' | 'resume' | 'forced'

export interface PersonWaitOptions {
  ctl: RunControl
  /** The run's open pages, its own page first. */
  pages(): Page[]
  /** What detection found; null for an explicit `mfa` step that found nothing. */
  prompt: DetectedPrompt | null
  until: MfaUntil | null
  timeoutMs: number
  /** The failure when timeoutMs runs out (the MFA timeout, or the run's own deadline). */
  timeoutError?: string
  /** How the prompt was detected, so "is it gone?" asks the same question. */
  score: ScoreOptions
  /** With `until`: also wait for the prompt to go (the condition held before the person began). */
  alsoPromptGone?: boolean
  /** Prompt rendered → detected, for a prompt the watcher saw. */
  latencyMs?: number
  lease: Pick<BrowserLease, 'lostReason' | 'onLost'>
  /** Runs just before `takeover.ended` is emitted (the takeover flushes its input counts). */
  beforeEnd?: () => void
  /**
   * Instead of `until`: null when the person is done, else what is still missing (a login
   * run waits for its profile's logged-in condition).
   */
  condition?: (pages: Page[]) => Promise<string | null>
  /** What the wait is for when no prompt was detected (`mfa.detected` kind and signal). */
  describe?: { kind: string; signal: string }
  pollMs?: number
  /** How long the prompt must stay gone (and the page loaded) before the run goes on. */
  settleMs?: number
}

/** `by`: the person who pressed Resume (absent when the page itself let the run go on). */
export type PersonWaitResult = { ok: true; reason: ResumeReason; by?: string } | { ok: false; error: string; canceled?: boolean }

const REASON_TEXT: Record<ResumeReason, string> = {
  'until-met': 'The MFA condition holds; resuming',
  'prompt-gone': 'The sign-in prompt is gone; resuming',
  resume: 'Resumed by an operator',
  forced: 'Resume forced by an operator',
}

export async function waitForPerson(o: PersonWaitOptions): Promise<PersonWaitResult> {
  const { ctl } = o
  const pollMs = o.pollMs ?? 250
  const settleMs = o.settleMs ?? 1_500
  const kind = o.prompt?.kind ?? o.describe?.kind ?? 'unknown'
  const condition = conditionOf(o)
  const url = o.prompt?.pageUrl ?? o.pages()[0]?.url() ?? ''
  const signals = o.prompt?.signals ?? [
    o.describe?.signal ?? (o.until ? `explicit mfa step (until ${describeUntil(o.until)})` : 'explicit mfa step'),
  ]

  let finished = false
  let settle!: (r: PersonWaitResult) => void
  const outcome = new Promise<PersonWaitResult>((resolve) => {
    settle = resolve
  })
  const timers: NodeJS.Timeout[] = []
  const cleanups: Array<() => void> = []

  // One place ends the wait, whoever gets there first (poll, Resume, timeout, cancel).
  const finish = (r: PersonWaitResult): void => {
    if (finished) return
    finished = true
    ctl.onResume(null)
    timers.forEach(clearTimeout)
    cleanups.forEach((c) => c())
    o.beforeEnd?.()
    try {
      // The takeover view (if a person attached) closes on this event; one owner emits it.
      ctl.emit('takeover.ended', {
        reason: r.ok ? r.reason : r.canceled ? 'canceled' : 'failed',
        ...(r.ok && r.by ? { by: r.by } : {}),
      })
      if (r.ok) ctl.leaveMfaWait(REASON_TEXT[r.reason])
      settle(r)
    } catch (err) {
      // The run moved on without us (canceled in the same instant): report, never hang.
      settle({ ok: false, error: err instanceof Error ? err.message : String(err), canceled: ctl.signal.aborted })
    }
  }

  ctl.enterMfaWait({
    kind,
    url,
    signals,
    timeoutMs: o.timeoutMs,
    reason: o.prompt ? signals.slice(0, 3).join(', ') : signals[0]!,
    frameUrl: o.prompt?.frameUrl ?? url,
    popup: o.prompt?.where === 'popup',
    latencyMs: o.latencyMs ?? null,
  })

  ctl.onResume(async ({ force, by }) => {
    if (finished) return { ok: true }
    const missing = await whatIsMissing(o)
    if (finished) return { ok: true }
    if (missing === null) finish({ ok: true, reason: force ? 'forced' : 'resume', by })
    else if (force) finish({ ok: true, reason: 'forced', by })
    else
      // What is wrong only: each screen adds the actions it really offers (the run page has
      // no Force resume button; the takeover view does).
      return { ok: false, message: `The page still shows the sign-in prompt (${missing})` }
    return { ok: true }
  })

  const onAbort = (): void => finish({ ok: false, error: 'Canceled while waiting for a person', canceled: true })
  if (ctl.signal.aborted) onAbort()
  ctl.signal.addEventListener('abort', onAbort, { once: true })
  cleanups.push(() => ctl.signal.removeEventListener('abort', onAbort))
  cleanups.push(o.lease.onLost((reason) => finish({ ok: false, error: reason })))

  const half = Math.floor(o.timeoutMs / 2)
  timers.push(
    setTimeout(() => {
      if (finished) return
      ctl.alert(
        'stale-wait',
        `Run ${ctl.run.flowName ?? ctl.run.id} has waited ${formatDuration(half)} for a person at ${url}; it fails in ${formatDuration(o.timeoutMs - half)}`,
      )
    }, half),
    setTimeout(
      () =>
        finish({
          ok: false,
          error: o.timeoutError ?? `Nobody completed the MFA prompt within ${formatDuration(o.timeoutMs)}`,
        }),
      o.timeoutMs,
    ),
  )

  void (async () => {
    let lastSeen = Date.now()
    while (!finished) {
      await new Promise((r) => setTimeout(r, pollMs))
      if (finished) return
      if (condition && !(o.alsoPromptGone && o.prompt)) {
        if ((await condition(o.pages())) === null) finish({ ok: true, reason: 'until-met' })
      } else if (o.prompt) {
        const look = await lookForPrompt(o.pages(), { ...o.score, ignoreValues: true })
        if (look.prompt || !look.complete) lastSeen = Date.now()
        else if (Date.now() - lastSeen >= settleMs && (await loaded(o.pages()))) {
          if (condition && (await condition(o.pages())) !== null) lastSeen = Date.now()
          else finish({ ok: true, reason: condition ? 'until-met' : 'prompt-gone' })
        }
      }
    }
  })().catch((err: unknown) => ctl.log.warn('mfa wait poll failed', { error: String(err) }))

  return outcome
}

/** null when the person is done; else what still stands in the way, for the refusal. */
async function whatIsMissing(o: PersonWaitOptions): Promise<string | null> {
  const condition = conditionOf(o)
  if (condition) {
    const missing = await condition(o.pages())
    if (missing !== null || !o.alsoPromptGone) return missing
  }
  if (!o.prompt) return null
  const still = await detectPrompt(o.pages(), { ...o.score, ignoreValues: true })
  return still ? `${still.kind} prompt: ${still.signals.slice(0, 2).join(', ')}` : null
}

function conditionOf(o: PersonWaitOptions): ((pages: Page[]) => Promise<string | null>) | null {
  if (o.condition) return o.condition
  const until = o.until
  return until ? (pages) => untilMissing(pages, until) : null
}

/** null when every part of `until` holds on some open page; else the first part that does not. */
export async function untilMissing(pages: Page[], until: MfaUntil): Promise<string | null> {
  const open = pages.filter((p) => !p.isClosed())
  if (until.url && !open.some((p) => urlMatches(until.url!, p.url()))) return `until: url ${until.url} not reached`
  if (until.selector) {
    const sel = until.selector
    if (!(await anyPage(open, (p) => p.locator(sel).filter({ visible: true }).count())))
      return `until: selector ${sel} not visible`
  }
  if (until.text) {
    const text = until.text
    if (!(await anyPage(open, (p) => p.getByText(text).filter({ visible: true }).count())))
      return `until: text "${text}" not visible`
  }
  return null
}

async function anyPage(pages: Page[], count: (p: Page) => Promise<number>): Promise<boolean> {
  for (const p of pages) {
    // A page mid-navigation cannot answer; that is "not yet", not an error.
    if ((await count(p).catch(() => 0)) > 0) return true
  }
  return false
}

async function loaded(pages: Page[]): Promise<boolean> {
  const page = pages.find((p) => !p.isClosed())
  if (!page) return false
  return (await page.evaluate('document.readyState').catch(() => 'loading')) === 'complete'
}

export function describeUntil(until: MfaUntil): string {
  const parts: string[] = []
  if (until.url) parts.push(`url ${until.url}`)
  if (until.selector) parts.push(`selector ${until.selector}`)
  if (until.text) parts.push(`text "${until.text}"`)
  return parts.join(', ')
}
