// Actions that act on the page: navigate, click, type, press, choose.
import type { FlowStepOf } from '../../../../shared/flow'
import { interpolate, referencedParams, referencedSecrets } from '../../flows/parse'
import type { ActionEnv, ActionFn } from './types'

export const goto: ActionFn<'goto'> = async (step, env) => {
  await env.page.goto(step.url, { waitUntil: 'load', timeout: env.timeout })
}

export const click: ActionFn<'click'> = async (step, env) => {
  await env.page.click(step.selector, { timeout: env.timeout, signal: env.signal })
}

export const press: ActionFn<'press'> = async (step, env) => {
  if (step.selector) await env.page.press(step.selector, step.key, { timeout: env.timeout, signal: env.signal })
  else await env.page.keyboard.press(step.key)
}

export const select: ActionFn<'select'> = async (step, env) => {
  // A string matches an option's value or its label, whichever the author wrote.
  await env.page.selectOption(step.selector, step.value, { timeout: env.timeout, signal: env.signal })
}

export const check: ActionFn<'check'> = async (step, env) => {
  await env.page.setChecked(step.selector, step.checked, { timeout: env.timeout, signal: env.signal })
}

export type ValueSource = 'secret' | 'param' | 'literal'

export interface PreparedFill {
  /** The text to type. Lives only until the fill is done; never logged or returned. */
  value: string
  /** What events may say about it. */
  info: { selector: string; valueFrom: ValueSource; length: number }
}

export function fillSource(step: FlowStepOf<'fill'>): ValueSource {
  const probe = { steps: [{ ...step, selector: '' }] }
  if (referencedSecrets(probe).length > 0) return 'secret'
  return referencedParams(probe).length > 0 ? 'param' : 'literal'
}

/**
 * Resolves a fill's value. Secrets are revealed here, at the moment of use, through the
 * run control, which also registers them for redaction in everything the run writes.
 */
export function prepareFill(step: FlowStepOf<'fill'>, env: Pick<ActionEnv, 'ctl' | 'params'>): PreparedFill {
  const valueFrom = fillSource(step)
  const value = interpolate(step.value, { params: env.params, secrets: (name) => env.ctl.reveal(name) })
  return { value, info: { selector: step.selector, valueFrom, length: value.length } }
}

export async function fill(step: FlowStepOf<'fill'>, prepared: PreparedFill, env: ActionEnv): Promise<void> {
  await env.page.fill(step.selector, prepared.value, { timeout: env.timeout, signal: env.signal })
}
