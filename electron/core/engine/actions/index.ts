// One function per page action. `mfa` and `approval` wait for people and live in the executor.
import type { FlowStep } from '../../../../shared/flow'
import { expect, extract, waitFor } from './checks'
import { download, screenshot } from './files'
import { check, click, goto, press, select } from './input'
import type { ActionEnv } from './types'

export { fill, fillSource, prepareFill, type PreparedFill, type ValueSource } from './input'
export { stepLabel, withParams } from './labels'
export { ExpectationError, isTimeout, type ActionEnv } from './types'

type PageStep = Exclude<FlowStep, { action: 'fill' | 'mfa' | 'approval' | 'wait' }>

export function runPageAction(step: PageStep, env: ActionEnv): Promise<void> {
  switch (step.action) {
    case 'goto':
      return goto(step, env)
    case 'click':
      return click(step, env)
    case 'press':
      return press(step, env)
    case 'select':
      return select(step, env)
    case 'check':
      return check(step, env)
    case 'waitFor':
      return waitFor(step, env)
    case 'expect':
      return expect(step, env)
    case 'extract':
      return extract(step, env)
    case 'screenshot':
      return screenshot(step, env)
    case 'download':
      return download(step, env)
  }
}
