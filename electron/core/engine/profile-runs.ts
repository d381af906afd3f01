// The two runs a profile's login health needs: a `check` run opens the profile's browser at
// the check url and reads whether the logged-in condition holds; a `login` run opens it at
// the login page for a person (the takeover view) and ends when the condition holds there
// and the check then passes in that same browser. Both only read the page; who typed what
// is the takeover's business (it records counts, never values).
import type { Page } from 'playwright-core'
import { urlMatches } from '../flows/parse'
import type { LoginCondition, ProfileCheck } from '../../../shared/profiles'
import type { ExecResult, RunControl, RunExecutor } from '../runs/control'
import type { BrowserLease, BrowserPool } from './browsers'
import { firstLine } from './guard'
import type { LivePages } from './live-pages'
import { untilMissing, waitForPerson } from './mfa-wait'

export interface ProfileRunDeps {
  pool: BrowserPool
  livePages: LivePages
}

/** What a check found: the health it implies and why. */
export interface CheckOutcome {
  state: 'ok' | 'stale' | 'unknown'
  reason: string
}

const NAV_TIMEOUT_MS = 30_000
/** A page that renders its logged-in marker late (client-side apps) gets this long. */
const CONDITION_WAIT_MS = 5_000
export const LOGIN_TIMEOUT_MS = 15 * 60_000

/** null when the logged-in condition holds on one of the pages; else what is missing, in words. */
export async function loginMissing(pages: Page[], when: LoginCondition): Promise<string | null> {
  if ('notUrl' in when) {
    const open = pages.filter((p) => !p.isClosed())
    if (open.some((p) => !urlMatches(when.notUrl, p.url()))) return null
    return `the page is still the login page (${open[0]?.url() ?? 'no page'})`
  }
  return untilMissing(pages, when)
}

export function describeCondition(when: LoginCondition): string {
  if ('selector' in when) return `selector ${when.selector} visible`
  if ('text' in when) return `text "${when.text}" visible`
  return `url not ${when.notUrl}`
}

async function conditionWithin(page: Page, when: LoginCondition, ms: number): Promise<string | null> {
  const until = Date.now() + ms
  for (;;) {
    const missing = await loginMissing([page], when)
    if (missing === null || Date.now() >= until) return missing
    await new Promise((r) => setTimeout(r, 200))
  }
}

/** Opens the profile's browser; cancel closes it. */
async function openProfile(
  deps: ProfileRunDeps,
  ctl: RunControl,
  profile: string,
): Promise<{ lease: BrowserLease; page: Page; dispose(): void }> {
  const lease = await deps.pool.acquire({ profile })
  const onAbort = (): void => void lease.release()
  ctl.signal.addEventListener('abort', onAbort, { once: true })
  if (ctl.signal.aborted) onAbort()
  const page = lease.context.pages()[0] ?? (await lease.context.newPage())
  return { lease, page, dispose: () => ctl.signal.removeEventListener('abort', onAbort) }
}

async function gotoStep(ctl: RunControl, page: Page, index: number, url: string): Promise<void> {
  ctl.emit('step.started', { index, action: 'goto', label: `goto ${url}` })
  const t0 = performance.now()
  try {
    await page.goto(url, { timeout: NAV_TIMEOUT_MS })
  } catch (err) {
    ctl.emit('step.failed', { index, error: firstLine(err) })
    throw err
  }
  ctl.emit('step.succeeded', { index, durationMs: Math.round(performance.now() - t0) })
}

/** Reads the condition at the check url; records the outcome before the run ends. */
async function checkAt(ctl: RunControl, page: Page, check: ProfileCheck, index: number): Promise<CheckOutcome> {
  await gotoStep(ctl, page, index, check.url)
  ctl.emit('step.started', { index: index + 1, action: 'expect', label: `logged in: ${describeCondition(check.when)}` })
  const missing = await conditionWithin(page, check.when, CONDITION_WAIT_MS)
  if (missing === null) {
    ctl.emit('step.succeeded', { index: index + 1, durationMs: 0 })
    return { state: 'ok', reason: `Logged in: ${describeCondition(check.when)} at ${check.url}` }
  }
  ctl.emit('step.failed', { index: index + 1, error: missing })
  return { state: 'stale', reason: `Not logged in at ${check.url}: ${missing}` }
}

function result(outcome: CheckOutcome): ExecResult {
  return outcome.state === 'ok' ? { status: 'succeeded' } : { status: 'failed', error: outcome.reason }
}

export class CheckExecutor implements RunExecutor {
  constructor(
    private readonly deps: ProfileRunDeps,
    private readonly profile: string,
    private readonly check: ProfileCheck,
    private readonly done: (outcome: CheckOutcome) => void,
  ) {}

  async execute(ctl: RunControl): Promise<ExecResult> {
    ctl.setPhase('execution')
    ctl.setProgress(0, 2, `check ${this.profile}`)
    let opened: Awaited<ReturnType<typeof openProfile>> | null = null
    let outcome: CheckOutcome
    try {
      opened = await openProfile(this.deps, ctl, this.profile)
      outcome = await checkAt(ctl, opened.page, this.check, 1)
    } catch (err) {
      outcome = ctl.signal.aborted
        ? { state: 'unknown', reason: 'The check was canceled' }
        : { state: 'unknown', reason: `The check could not run: ${firstLine(err)}` }
    } finally {
      opened?.dispose()
      await opened?.lease.release()
    }
    ctl.setProgress(2, 2, null)
    ctl.setOutputs({ health: outcome.state, reason: outcome.reason })
    this.done(outcome)
    return result(outcome)
  }
}

export class LoginExecutor implements RunExecutor {
  constructor(
    private readonly deps: ProfileRunDeps,
    private readonly profile: string,
    private readonly check: ProfileCheck,
    private readonly done: (outcome: CheckOutcome) => void,
  ) {}

  async execute(ctl: RunControl): Promise<ExecResult> {
    ctl.setPhase('execution')
    const loginUrl = this.check.loginUrl ?? this.check.url
    let opened: Awaited<ReturnType<typeof openProfile>> | null = null
    let registration: ReturnType<LivePages['register']> | null = null
    let outcome: CheckOutcome
    try {
      opened = await openProfile(this.deps, ctl, this.profile)
      const { page, lease } = opened
      await gotoStep(ctl, page, 1, loginUrl)
      registration = this.deps.livePages.register(ctl.run.id, lease.context, page)
      const live = registration.live
      ctl.emit('step.started', { index: 2, action: 'mfa', label: `log in to ${this.profile}` })
      const wait = await waitForPerson({
        ctl,
        pages: () => live.pages(),
        prompt: null,
        until: null,
        condition: (pages) => loginMissing(pages, this.check.when),
        describe: {
          kind: 'login',
          signal: `log in to profile ${this.profile} (until ${describeCondition(this.check.when)})`,
        },
        timeoutMs: LOGIN_TIMEOUT_MS,
        timeoutError: `Nobody logged in to ${this.profile} within 15 minutes`,
        score: {},
        lease,
        beforeEnd: () => this.deps.livePages.waitEnding(ctl.run.id),
      })
      if (!wait.ok) throw new Error(wait.error)
      ctl.emit('step.succeeded', { index: 2, durationMs: 0 })
      registration.dispose()
      registration = null
      // The condition held on the page the person left; the check itself must pass too.
      outcome = await checkAt(ctl, page, this.check, 3)
    } catch (err) {
      outcome = ctl.signal.aborted
        ? { state: 'unknown', reason: 'The login was canceled' }
        : { state: 'unknown', reason: `The login did not finish: ${firstLine(err)}` }
    } finally {
      registration?.dispose()
      opened?.dispose()
      await opened?.lease.release()
    }
    ctl.setOutputs({ health: outcome.state, reason: outcome.reason })
    // A login that ended without a pass leaves the health as it was (stale stays stale).
    if (outcome.state === 'ok') this.done(outcome)
    return result(outcome)
  }
}
