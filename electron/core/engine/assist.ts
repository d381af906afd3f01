// Assist on failure (DESIGN.md "Continue vs Retry vs Report"): a failing step leaves the
// run waiting-assist with its page alive; a person may fix the page through the takeover
// view, then decides to run the step again, skip it, or fail the run. Evidence after the
// decision; the trace stays off while a person works on the page.
import { DEFAULT_MFA_TIMEOUT_MS, type FlowStep } from '../../../shared/flow'
import type { AssistAction } from '../../../shared/domain'
import { stepLabel } from './actions'
import type { RunState } from './flow-executor'

export type AssistOutcome = { action: Exclude<AssistAction, 'fail'> } | { action: 'fail'; error: string }

export async function assistOnFailure(
  s: RunState,
  failure: { index: number; step: FlowStep; error: string },
): Promise<AssistOutcome> {
  const { ctl, guard } = s
  const { index, step, error } = failure
  await s.trace.pause()
  const timeoutMs = Math.min(DEFAULT_MFA_TIMEOUT_MS, guard.remaining())
  const d = await guard.race(ctl.waitForAssist({ index, label: stepLabel(step), line: step.line, error, timeoutMs }))
  // The takeover view closes on this event, as after an MFA wait.
  s.beforeWaitEnds()
  ctl.emit('takeover.ended', { reason: d.action === 'fail' ? 'failed' : 'resume' })
  if (d.action === 'fail') {
    await s.capture('evidence-after-assist')
    const why = d.note ? `: ${d.note}` : ''
    return {
      action: 'fail',
      error: ctl.redact(`Failed by ${d.by} at step ${index}${why} (the step failed with: ${error})`),
    }
  }
  ctl.leaveAssistWait(d.action === 'retry-step' ? `${d.by} runs step ${index} again` : `${d.by} skipped step ${index}`)
  if (d.action === 'skip-step') ctl.emit('step.skipped', { index, by: d.by, note: d.note })
  await s.capture('evidence-after-assist')
  await s.resumeTrace()
  return { action: d.action }
}
