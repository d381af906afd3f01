// What really happened in each of a run's phases, from its status and whether it started
// executing. Shared by the core's timeline and the renderer's phase stepper, so both tell the
// same story: planning ends when the run starts executing; execution is current while it runs
// or waits, then done, failed or canceled; review and artifact are reached only by a run that
// succeeded, so a run that failed, was canceled or never started shows them skipped, not done.
import { RUN_PHASES, TERMINAL_RUN_STATUSES, type RunPhase, type RunStatus } from './domain'

export type PhaseState = 'done' | 'current' | 'failed' | 'canceled' | 'skipped' | 'todo'
export interface PhaseOutcome {
  phase: RunPhase
  state: PhaseState
}

export function phasesOf(status: RunStatus, started: boolean): PhaseOutcome[] {
  const terminal = TERMINAL_RUN_STATUSES.includes(status)
  const ended: PhaseState = status === 'failed' || status === 'blocked' ? 'failed' : 'canceled'
  const state = (phase: RunPhase): PhaseState => {
    if (status === 'succeeded') return 'done'
    if (phase === 'planning') {
      if (started) return 'done'
      return terminal ? ended : 'current'
    }
    if (phase === 'execution') {
      if (!started) return terminal ? 'skipped' : 'todo'
      return terminal ? ended : 'current'
    }
    return terminal ? 'skipped' : 'todo'
  }
  return RUN_PHASES.map((phase) => ({ phase, state: state(phase) }))
}
