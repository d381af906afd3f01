// The policy, again at run time: before each acting step (its interpolated form may say
// more than the file did) and at every top-level navigation (a click or a redirect can
// leave allowedOrigins even when every goto stayed inside).
import type { BrowserContext, Route } from 'playwright-core'
import type { PolicyResult } from '../../../shared/domain'
import type { FlowDefinition, FlowStep } from '../../../shared/flow'
import type { RunControl } from '../runs/control'

export interface StepPolicy {
  judgeStep(step: FlowStep, allowedOrigins: string[] | undefined): PolicyResult
  judgeNavigation(url: string, allowedOrigins: string[] | undefined): PolicyResult
}

export class PolicyDenied extends Error {
  override name = 'PolicyDenied'
}

/**
 * Reasons a person already approved for this run (the pre-run verdict): a step that needs
 * approval for one of them is not asked about twice.
 */
function approvedUpfront(ctl: RunControl): Set<string> {
  const p = ctl.run.policy
  return new Set(p && p.verdict === 'requires-approval' ? p.reasons : [])
}

/** Judges one step before it runs: deny throws, requires-approval waits for a person. */
export async function checkStep(
  policy: StepPolicy,
  ctl: RunControl,
  flow: FlowDefinition,
  step: FlowStep,
  index: number,
): Promise<void> {
  const verdict = policy.judgeStep(step, flow.allowedOrigins)
  if (verdict.verdict === 'allow') return
  ctl.emit('policy.verdict', { ...verdict, stage: 'step', index })
  if (verdict.verdict === 'deny') throw new PolicyDenied(`Denied by policy: ${verdict.reasons.join('; ')}`)
  const upfront = approvedUpfront(ctl)
  // The pre-run verdict names each step as "step N (action): reason".
  if (verdict.reasons.every((r) => upfront.has(`step ${index} (${step.action}): ${r}`))) return
  await ctl.requestApproval(verdict.reasons.join('; '), { stage: 'step', index })
}

/**
 * Holds every top-level document request to an origin off the flow's list: denied ones
 * are aborted (the step then fails with the reason); ones that need approval wait for a
 * person and go ahead only if approved. Sub-frames (a sign-in iframe) are not top-level.
 */
export async function guardNavigation(
  context: BrowserContext,
  policy: StepPolicy,
  ctl: RunControl,
  flow: FlowDefinition,
  onViolation: (message: string) => void,
): Promise<void> {
  if (!flow.allowedOrigins?.length) return
  const approved = new Set<string>()
  await context.route('**/*', async (route: Route) => {
    const req = route.request()
    if (!req.isNavigationRequest() || req.frame().parentFrame() !== null) return route.fallback()
    const url = req.url()
    let origin: string
    try {
      origin = new URL(url).origin
    } catch {
      return route.fallback()
    }
    const verdict = policy.judgeNavigation(url, flow.allowedOrigins)
    if (verdict.verdict === 'allow' || approved.has(origin)) return route.fallback()
    ctl.emit('policy.verdict', { ...verdict, stage: 'navigation', url: url.slice(0, 500) })
    if (verdict.verdict === 'deny') {
      onViolation(`Denied by policy: ${verdict.reasons.join('; ')}`)
      return route.abort('blockedbyclient')
    }
    try {
      await ctl.requestApproval(verdict.reasons.join('; '), { stage: 'navigation', url: url.slice(0, 500) })
      approved.add(origin)
      return route.fallback()
    } catch (err) {
      onViolation(err instanceof Error ? err.message : String(err))
      return route.abort('blockedbyclient').catch(() => {})
    }
  })
}
