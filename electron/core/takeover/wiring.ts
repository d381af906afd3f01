// Builds the hub from the core's parts: run status and wait times from the store, audit
// through the executing run's RunControl, stops on the bus's run.changed.
import type { CoreContext } from '../context'
import type { RunService } from '../runs/service'
import { getRun } from '../store/runs'
import { TakeoverHub, type RunInfo } from './hub'
import type { LivePageSource, TakeoverOptions } from './types'

export function createTakeoverHub(
  ctx: CoreContext,
  runs: RunService,
  livePages: LivePageSource,
  options?: Partial<TakeoverOptions>,
): TakeoverHub {
  const store = ctx.ws.store
  const lastDetection = store.sqlite.prepare(
    "SELECT ts, data FROM run_events WHERE run_id = ? AND type IN ('mfa.detected', 'assist.requested') ORDER BY seq DESC LIMIT 1",
  )
  const runInfo = (runId: string): RunInfo | null => {
    const run = getRun(store, runId)
    if (!run) return null
    if (run.status !== 'waiting-mfa' && run.status !== 'waiting-assist') return { status: run.status, waitingSince: null, timeoutAt: null }
    const row = lastDetection.get(runId) as { ts: string; data: string } | undefined
    if (!row) return { status: run.status, waitingSince: null, timeoutAt: null }
    const timeoutMs = Number((JSON.parse(row.data) as { timeoutMs?: unknown }).timeoutMs)
    const since = Date.parse(row.ts)
    return {
      status: run.status,
      waitingSince: row.ts,
      timeoutAt: Number.isFinite(timeoutMs) && timeoutMs > 0 ? new Date(since + timeoutMs).toISOString() : null,
    }
  }
  return new TakeoverHub({
    livePages,
    runInfo,
    audit: (runId) => (type, data) => {
      // Through the run's own control while it executes (redaction, ordering with its events);
      // a count that arrives after the run finished still belongs in its log.
      const session = runs.session(runId)
      if (session) session.emit(type, data)
      else runs.append(runId, [{ type, data }])
    },
    onRunChanged: (listener) =>
      ctx.bus.subscribe((msg) => {
        if (msg.type === 'run.changed') {
          const d = msg.data as { runId: string; status: string }
          listener(d.runId, d.status)
        }
      }),
    options,
    log: ctx.log,
  })
}
