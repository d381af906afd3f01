// What an approver sees before deciding (DESIGN.md "approval-context"): the flow and its
// version hash, the track and step, the flow step it stopped at, the parameters, the origins
// it will touch, the policy's reasons, the evidence so far and who asked.
import type { ApprovalContext, Run } from '../../../shared/domain'
import { parseFlow } from '../flows/parse'
import { listArtifacts } from '../store/artifacts'
import type { Store } from '../store/db'
import { getStep, getTrack } from '../store/tracks'

/** allowedOrigins when the flow sets them, else the origins its `goto` steps name. */
export function flowOrigins(source: string | null): string[] {
  if (!source) return []
  const parsed = parseFlow(source)
  if (!parsed.ok) return []
  if (parsed.flow.allowedOrigins) return [...parsed.flow.allowedOrigins]
  const seen = new Set<string>()
  for (const step of parsed.flow.steps) {
    if (step.action !== 'goto') continue
    try {
      seen.add(new URL(step.url).origin)
    } catch {
      // A url built from a parameter is only known at run time.
    }
  }
  return [...seen]
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

export function approvalContext(store: Store, run: Run, detail: Record<string, unknown>): ApprovalContext {
  const track = run.trackId ? getTrack(store, run.trackId) : null
  const step = run.stepId ? getStep(store, run.stepId) : null
  const index = num(detail.index)
  const line = num(detail.line)
  const started = run.startedAt !== null
  return {
    kind: run.kind,
    flowName: run.flowName,
    flowHash: run.flowHash,
    command: run.command,
    track: track ? { id: track.id, title: track.title } : null,
    step: step ? { id: step.id, title: step.title } : null,
    // Before a start there is no flow step yet: the whole run is being approved.
    flowStep: started ? { index: index ?? (run.progress.current || null), label: run.progress.label, line } : null,
    params: { ...run.params },
    origins: flowOrigins(run.flowSource),
    policyReasons: run.policy?.reasons ?? [],
    evidence: listArtifacts(store, run.id).map((a) => ({ id: a.id, kind: a.kind, name: a.name })),
    requestedBy: run.startedBy,
    detail,
  }
}
