// Runs started from a step in this session, by step id, so the step can show the run's
// status and link to it. The stream's run.changed notice carries the new status, so keeping
// them current costs no request.
import { create } from 'zustand'
import type { Run, RunStatus } from '@shared/domain'
import { call } from '../api/client'

export const useStepRuns = create<{ byStep: Record<string, Run> }>(() => ({ byStep: {} }))

export async function startFlowFromStep(trackId: string, stepId: string, flowId: string): Promise<Run> {
  const run = await call('createRun', { body: { flowId, trackId, stepId, onFailure: 'assist' } })
  useStepRuns.setState((s) => ({ byStep: { ...s.byStep, [stepId]: run } }))
  return run
}

export function noteRunStatus(runId: string, status: string): void {
  const { byStep } = useStepRuns.getState()
  const entry = Object.entries(byStep).find(([, r]) => r.id === runId)
  if (!entry || entry[1].status === status) return
  const [stepId, run] = entry
  useStepRuns.setState({ byStep: { ...byStep, [stepId]: { ...run, status: status as RunStatus } } })
}

export const resetStepRuns = () => useStepRuns.setState({ byStep: {} }, true)
