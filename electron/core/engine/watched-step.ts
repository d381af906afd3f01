// One attempt at a step, raced against the prompt watcher. A step is abandoned only while
// it has not acted: steps that only look (expect, waitFor, extract, screenshot, wait) can
// be dropped at any time; an acting step does its own waiting for its target (one
// Playwright call, no separate readiness round trip), and when a prompt comes first it is
// aborted only while that target is still missing, so a click that was sent is never sent
// again.
import type { Page } from 'playwright-core'
import type { FlowStep } from '../../../shared/flow'
import { isTimeout } from './actions'
import type { PromptWatcher, Sighting } from './prompt-watcher'

export const LOOKS_ONLY = new Set<FlowStep['action']>(['expect', 'waitFor', 'extract', 'screenshot', 'wait'])
/** Steps that are themselves about people: the watcher leaves them alone. */
export const PERSON_STEPS = new Set<FlowStep['action']>(['mfa', 'approval'])

export interface WatchedAttempt {
  step: FlowStep
  page: Page
  /** The step's deadline, ms. */
  timeout: number
  watcher: PromptWatcher
  /** Whether a sighting needs a person now (the lookahead). */
  accept(s: Sighting): Promise<boolean>
  /** The step's work with the given timeout (ms); `signal` aborts an acting step. */
  work(timeout: number, signal?: AbortSignal): Promise<void>
}

/** null when the step finished; a sighting when a prompt took the page before it acted. */
export async function attemptWatched(a: WatchedAttempt): Promise<Sighting | null> {
  try {
    if (LOOKS_ONLY.has(a.step.action)) return await raced(a, a.work(a.timeout))
    const target = targetOf(a.step)
    if (target) return await actRaced(a, target)
    await a.work(a.timeout)
    return null
  } catch (err) {
    // A step that ran out of time while a prompt covered the page did not act: a person
    // gets past the prompt and the step runs again.
    if (!isTimeout(err) && !(err instanceof Error && err.name === 'ExpectationError')) throw err
    const s = await a.watcher.settle()
    if (s && (await a.accept(s))) return s
    throw err
  }
}

/**
 * The act raced against the watcher. When a prompt comes first and the act's target is not
 * there (or not visible, for acts that need it), the act is still waiting for it and has
 * not acted: it is aborted and the step runs again after the person. A target that is
 * there may be being acted on, so that act is let finish (as an act past its wait always
 * was). Playwright can only abort at its own checkpoints, so an abort that still reports
 * a pointer action or key press as performed counts as done, never as to be repeated.
 */
async function actRaced(a: WatchedAttempt, target: StepTarget): Promise<Sighting | null> {
  const abort = new AbortController()
  const acting = a.work(a.timeout, abort.signal)
  acting.catch(() => {}) // awaited below on every path that cares
  const watch = a.watcher.next(a.accept)
  let seen: Sighting | null
  try {
    seen = await Promise.race([acting.then(() => null), watch.sighting])
  } finally {
    watch.cancel()
  }
  if (!seen) return null
  if (await targetReady(a.page, target)) {
    await acting
    return null
  }
  abort.abort()
  try {
    await acting
    return null // it finished before the abort reached it
  } catch (err) {
    if (!isAbort(err)) throw err
    return ACTED.test(err instanceof Error ? err.message : '') ? null : seen
  }
}

// What Playwright's call log says just before a pointer action or key press is sent.
const ACTED = /performing \w[\w ]* action|elementHandle\.press\(/

const isAbort = (err: unknown): boolean => err instanceof Error && err.name === 'AbortError'

/** Whether the act's target is there now (visible, where the act needs that); true when unsure. */
async function targetReady(page: Page, t: StepTarget): Promise<boolean> {
  const loc = page.locator(t.selector).first()
  try {
    return t.state === 'visible' ? await loc.isVisible() : (await loc.count()) > 0
  } catch {
    return true // cannot tell (a bad selector, a page going away): never abort then
  }
}

async function raced(a: WatchedAttempt, work: Promise<void>): Promise<Sighting | null> {
  const watch = a.watcher.next(a.accept)
  try {
    return await Promise.race([work.then(() => null), watch.sighting])
  } finally {
    watch.cancel()
    work.catch(() => {}) // abandoned: its later failure is expected
  }
}

/** What an acting step acts on: its selector and the state the act needs. */
export interface StepTarget {
  selector: string
  state: 'visible' | 'attached'
}

/** The element an acting step acts on; null for steps that act on no element (goto, press without one). */
export function targetOf(step: FlowStep): StepTarget | null {
  switch (step.action) {
    case 'click':
      return { selector: step.selector, state: 'visible' }
    case 'fill':
      return { selector: step.selector, state: 'visible' }
    case 'download':
      return { selector: step.click, state: 'visible' }
    case 'select':
      return { selector: step.selector, state: 'attached' }
    case 'check':
      return { selector: step.selector, state: 'attached' }
    case 'press':
      return step.selector ? { selector: step.selector, state: 'attached' } : null
    default:
      return null
  }
}
