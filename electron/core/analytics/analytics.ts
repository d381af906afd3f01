// Flow health and failure patterns, computed from the store's read-only rows of runs and events.
import type { FailurePattern, FlowAnalyticsRow } from '../../../shared/api'
import { analyticsRuns, failedRunErrors, mfaPromptsByRun, waitingMfaTransitions } from '../store/analytics'
import type { Store } from '../store/db'

function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null
  // Nearest-rank: the value at or below which q of the durations fall.
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[idx]!
}

export function flowAnalytics(store: Store): FlowAnalyticsRow[] {
  const runs = analyticsRuns(store)
  const takeovers = mfaPromptsByRun(store)
  const waits = waitDurations(store)

  const byFlow = new Map<string, typeof runs>()
  for (const r of runs) {
    const list = byFlow.get(r.flow)
    if (list) list.push(r)
    else byFlow.set(r.flow, [r])
  }
  const rows: FlowAnalyticsRow[] = []
  for (const [flowName, list] of byFlow) {
    const succeeded = list.filter((r) => r.status === 'succeeded').length
    const failed = list.filter((r) => r.status === 'failed').length
    const finished = list.filter((r) => ['succeeded', 'failed', 'canceled', 'interrupted', 'blocked'].includes(r.status)).length
    const durations = list
      .filter((r) => r.startedAt && r.endedAt)
      .map((r) => Date.parse(r.endedAt!) - Date.parse(r.startedAt!))
      .sort((a, b) => a - b)
    const waited = list.flatMap((r) => waits.get(r.id) ?? [])
    rows.push({
      flowName,
      runs: list.length,
      succeeded,
      failed,
      successRate: finished === 0 ? 0 : Math.round((succeeded / finished) * 1000) / 1000,
      medianDurationMs: quantile(durations, 0.5),
      p90DurationMs: quantile(durations, 0.9),
      takeoversPerRun: Math.round((list.reduce((a, r) => a + (takeovers.get(r.id) ?? 0), 0) / list.length) * 1000) / 1000,
      meanWaitMs: waited.length ? Math.round(waited.reduce((a, b) => a + b, 0) / waited.length) : null,
      retries: list.filter((r) => r.attempt > 1).length,
    })
  }
  return rows.sort((a, b) => b.runs - a.runs || a.flowName.localeCompare(b.flowName))
}

/** Time each run spent in waiting-mfa, from the run.status events entering and leaving it. */
function waitDurations(store: Store): Map<string, number[]> {
  const rows = waitingMfaTransitions(store)
  const out = new Map<string, number[]>()
  const entered = new Map<string, number>()
  for (const r of rows) {
    if (r.to === 'waiting-mfa') entered.set(r.runId, Date.parse(r.ts))
    else if (r.from === 'waiting-mfa' && entered.has(r.runId)) {
      const list = out.get(r.runId) ?? []
      list.push(Date.parse(r.ts) - entered.get(r.runId)!)
      out.set(r.runId, list)
      entered.delete(r.runId)
    }
  }
  return out
}

/**
 * Groups errors that differ only in their particulars: numbers, ids, URLs, quoted text and
 * paths become placeholders, so "Timeout 30000ms waiting for #a" and "... 5000ms ... #b"
 * land in one pattern.
 */
export function errorSignature(error: string): string {
  return error
    .split('\n')[0]!
    // A URL ends before a closing bracket or quote: "(at https://x/y)" keeps its ")".
    .replace(/https?:\/\/[^\s)\]}>"'`]+/g, '<url>')
    .replace(/\b(run|trk|stp|chk|art|apr|alr|flw)_[0-9a-z]+\b/g, '<id>')
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '<text>')
    .replace(/(?:\/[\w.-]+){2,}/g, '<path>')
    .replace(/#[\w-]+/g, '<selector>')
    .replace(/\d+(\.\d+)?/g, 'N')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200)
}

export function failurePatterns(store: Store): FailurePattern[] {
  const rows = failedRunErrors(store)
  const groups = new Map<string, FailurePattern>()
  for (const r of rows) {
    const signature = errorSignature(r.error)
    const g = groups.get(signature)
    if (!g) groups.set(signature, { signature, count: 1, lastSeen: r.at, exampleRunIds: [r.id] })
    else {
      g.count++
      if (g.exampleRunIds.length < 3) g.exampleRunIds.push(r.id)
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || b.lastSeen.localeCompare(a.lastSeen))
}
