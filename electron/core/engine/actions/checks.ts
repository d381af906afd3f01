// Actions that only look: wait for something, expect something, read something out.
import type { Page } from 'playwright-core'
import { formatDuration, type FlowStepOf } from '../../../../shared/flow'
import { globToRegExp } from '../../flows/parse'
import { ExpectationError, isTimeout, type ActionFn } from './types'

/** Waits for each condition the step names (url, then selector, then text), all within its timeout. */
async function waitAll(page: Page, step: FlowStepOf<'waitFor'> | FlowStepOf<'expect'>, timeout: number): Promise<void> {
  const deadline = Date.now() + timeout
  const left = (): number => Math.max(1, deadline - Date.now())
  const within = formatDuration(timeout)
  const fail = (what: string) => (err: unknown) => {
    if (!isTimeout(err)) throw err
    throw new ExpectationError(`${what} within ${within} (page: ${page.url()})`)
  }
  if (step.url) {
    const glob = step.url
    await page
      .waitForURL(globToRegExp(glob), { timeout: left(), waitUntil: 'load' })
      .catch(fail(`The page URL did not match ${glob}`))
  }
  const state = step.action === 'waitFor' ? (step.state ?? 'visible') : 'visible'
  if (step.selector && step.text) {
    const matching = page.locator(step.selector).filter({ hasText: step.text })
    const loc = state === 'visible' ? matching.filter({ visible: true }) : matching
    await loc
      .first()
      .waitFor({ state, timeout: left() })
      .catch(fail(`No ${step.selector} with text ${JSON.stringify(step.text)} became ${state}`))
  } else if (step.selector) {
    // A locator wait, not waitForSelector: that returns an element handle, which costs a
    // handle adoption (and sets up Playwright's main-world scripts) nobody uses.
    await page
      .locator(step.selector)
      .first()
      .waitFor({ state, timeout: left() })
      .catch(fail(`${step.selector} did not become ${state}`))
  } else if (step.text) {
    // Any visible match counts: the first match in the DOM may be a hidden template.
    const loc = page.getByText(step.text).filter({ visible: true }).first()
    await loc
      .waitFor({ state: 'visible', timeout: left() })
      .catch(fail(`The text ${JSON.stringify(step.text)} did not appear`))
  }
}

export const waitFor: ActionFn<'waitFor'> = (step, env) => waitAll(env.page, step, env.timeout)

export const expect: ActionFn<'expect'> = (step, env) => waitAll(env.page, step, env.timeout)

export const extract: ActionFn<'extract'> = async (step, env) => {
  const { page, timeout } = env
  const loc = page.locator(step.selector)
  const missing = (err: unknown): never => {
    if (!isTimeout(err)) throw err
    throw new ExpectationError(
      `Nothing matches ${step.selector} to extract ${step.name} from, within ${formatDuration(timeout)}`,
    )
  }
  const attr = step.attribute
  // One call per value: reading waits for the element itself, so no separate wait first.
  const read = async (i: number): Promise<string | null> => {
    const el = loc.nth(i)
    if (attr) return el.getAttribute(attr, { timeout })
    return ((await el.textContent({ timeout })) ?? '').replace(/\s+/g, ' ').trim()
  }
  let value: string | null | Array<string | null>
  if (step.all) {
    await loc.first().waitFor({ state: 'attached', timeout }).catch(missing)
    const n = await loc.count()
    value = []
    for (let i = 0; i < n; i++) value.push(await read(i))
  } else {
    value = await read(0).catch(missing)
  }
  env.ctl.setOutputs({ [step.name]: value })
}
