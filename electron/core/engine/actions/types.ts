// What a step's action gets to work with. Actions see only their own page and the run's
// control; timeouts are already cut to what is left of the run's deadline.
import type { Page } from 'playwright-core'
import type { FlowStep, FlowStepOf } from '../../../../shared/flow'
import type { RunControl } from '../../runs/control'
import type { Evidence } from '../evidence'

export interface ActionEnv {
  page: Page
  ctl: RunControl
  params: Record<string, string>
  /** This step's deadline, ms. */
  timeout: number
  /** Stops an acting step that is still waiting for its target (a prompt took the page). */
  signal?: AbortSignal
  evidence: Evidence
}

export type ActionFn<A extends FlowStep['action']> = (step: FlowStepOf<A>, env: ActionEnv) => Promise<void>

/** A check the page did not pass in time, said plainly (instead of "locator.waitFor: Timeout …"). */
export class ExpectationError extends Error {
  override name = 'ExpectationError'
}

export function isTimeout(err: unknown): boolean {
  return err instanceof Error && err.name === 'TimeoutError'
}
