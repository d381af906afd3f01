// What an approver sees before deciding (DESIGN.md "approval-context"): the flow and its
// version hash, the track and step, the flow step it stopped at, the parameters, the origins
// it will touch, the policy's reasons, the evidence so far and who asked.
import type { ApprovalContext, Run } from '../../../shared/domain'
import { compareTerms, type ApprovalTerms } from '../../../shared/terms'
import { getRunCwd } from '../store/runs'
import { latestInScope } from '../store/standing'
import { parseFlow } from '../flows/parse'
import { listArtifacts } from '../store/artifacts'
import type { Store } from '../store/db'
import { getTrack } from '../store/track-queries'
import { getStep } from '../store/tracks'

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
      // about:blank and data: URLs have an opaque origin ("null"): nothing to touch.
      const origin = new URL(step.url).origin
      if (origin !== 'null') seen.add(origin)
    } catch {
      // A url built from a parameter is only known at run time.
    }
  }
  return [...seen]
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)

const strings = (v: unknown): Record<string, string> => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {}
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, String(x)]))
}

/** Where in the run an approval is asked; an approval at one point never stands for another. */
export function approvalPoint(run: Run, detail: Record<string, unknown>): string {
  if (detail.stage === 'navigation' && typeof detail.url === 'string') {
    try {
      return `navigation to ${new URL(detail.url).origin}`
    } catch {
      return `navigation to ${detail.url}`
    }
  }
  if (detail.stage === 'step' && typeof detail.index === 'number') return `step ${detail.index}`
  if (typeof detail.line === 'number') return `approval step at line ${detail.line}`
  return run.startedAt ? 'during the run' : 'start'
}

/** What approving this run at this point agrees to (`detail.terms`: an approval step's interpolated terms). */
export function approvalTerms(run: Run, detail: Record<string, unknown>, cwd: string | null): ApprovalTerms {
  return {
    flowHash: run.flowHash,
    command: run.kind === 'command' ? run.command : null,
    cwd: run.kind === 'command' ? cwd : null,
    origins: [...new Set(flowOrigins(run.flowSource))].sort(),
    params: { ...run.params },
    values: strings(detail.terms),
    point: approvalPoint(run, detail),
  }
}

/** Flow name for a browser run, the program for a command: the terms a changed approval is compared within. */
export function approvalScope(run: Run): string {
  if (run.kind === 'browser') return `flow ${run.flowName ?? run.flowId ?? '?'}`
  const program = (run.command ?? '').trim().split(/\s+/)[0] ?? ''
  return `command ${program}`
}

export function approvalContext(store: Store, run: Run, detailIn: Record<string, unknown>): ApprovalContext {
  const { terms: _values, ...detail } = detailIn
  void _values
  const terms = approvalTerms(run, detailIn, getRunCwd(store, run.id))
  const standing = latestInScope(store, approvalScope(run), terms.point)
  const diff = standing ? compareTerms(standing.terms, terms) : null
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
    terms,
    termsDiff: standing && diff && !diff.same ? { standingId: standing.id, changes: diff.changes } : null,
  }
}
