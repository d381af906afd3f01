// One attempt at a step, raced against the prompt watcher. A step is abandoned only while
// it has not acted: steps that only look (expect, waitFor, extract, screenshot, wait) can
// be dropped at any time, and an acting step is split into "wait for the target" (which
// can be dropped) and the act itself (which is never raced, so a click that was sent is
// never sent again).
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
  /** The step's work with the given timeout (ms). */
  work(timeout: number): Promise<void>
}

/** null when the step finished; a sighting when a prompt took the page before it acted. */
export async function attemptWatched(a: WatchedAttempt): Promise<Sighting | null> {
  const t0 = Date.now()
  const left = (): number => Math.max(1, a.timeout - (Date.now() - t0))
  try {
    if (LOOKS_ONLY.has(a.step.action)) return await raced(a, a.work(a.timeout))
    const ready = readiness(a.step, a.page, a.timeout)
    if (ready) {
      const seen = await raced(a, ready)
      if (seen) return seen
    }
    await a.work(left())
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

async function raced(a: WatchedAttempt, work: Promise<void>): Promise<Sighting | null> {
  const watch = a.watcher.next(a.accept)
  try {
    return await Promise.race([work.then(() => null), watch.sighting])
  } finally {
    watch.cancel()
    work.catch(() => {}) // abandoned: its later failure is expected
  }
}

/** What an acting step acts on: its selector, the state the act needs, and the act's API name. */
export interface StepTarget {
  selector: string
  state: 'visible' | 'attached'
  api: string
}

/** The element an acting step acts on; null for steps that act on no element (goto, press without one). */
export function targetOf(step: FlowStep): StepTarget | null {
  switch (step.action) {
    case 'click':
      return { selector: step.selector, state: 'visible', api: 'page.click' }
    case 'fill':
      return { selector: step.selector, state: 'visible', api: 'page.fill' }
    case 'download':
      return { selector: step.click, state: 'visible', api: 'page.click' }
    case 'select':
      return { selector: step.selector, state: 'attached', api: 'page.selectOption' }
    case 'check':
      return { selector: step.selector, state: 'attached', api: 'page.setChecked' }
    case 'press':
      return step.selector ? { selector: step.selector, state: 'attached', api: 'page.press' } : null
    default:
      return null
  }
}

/**
 * The waiting half of an acting step: its target present (and visible where the act needs
 * it). Failures read as the act's own would, so messages do not change with the split.
 */
function readiness(step: FlowStep, page: Page, timeout: number): Promise<void> | null {
  const target = targetOf(step)
  if (!target) return null
  return page
    .locator(target.selector)
    .waitFor({ state: target.state, timeout })
    .catch((err: unknown) => {
      if (err instanceof Error) err.message = err.message.replace(/^locator\.waitFor:/, `${target.api}:`)
      throw err
    })
}
