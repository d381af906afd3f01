// Builds the hub from the core's parts: run status and wait times from the run's columns, audit
// through the executing run's RunControl, stops on the bus's run.changed.
import type { CoreContext } from '../context'
import type { RunService } from '../runs/service'
import type { Store } from '../store/db'
import { getRun, runWait } from '../store/runs'
import { TakeoverHub, type RunInfo } from './hub'
import type { LivePageSource, TakeoverOptions } from './types'

export function createTakeoverHub(
  ctx: CoreContext,
  runs: RunService,
  livePages: LivePageSource,
  options?: Partial<TakeoverOptions>,
): TakeoverHub {
  const runInfo = (runId: string): RunInfo | null => takeoverRunInfo(ctx.ws.store, runId)
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

/** What the hub tells viewers of a run: its status and, while a person works on it, the wait's times. */
export function takeoverRunInfo(store: Store, runId: string): RunInfo | null {
  const run = getRun(store, runId)
  if (!run) return null
  if (run.status !== 'waiting-mfa' && run.status !== 'waiting-assist') return { status: run.status, waitingSince: null, timeoutAt: null }
  const wait = runWait(store, runId)
  return { status: run.status, waitingSince: wait?.since ?? null, timeoutAt: wait?.deadlineAt ?? null }
}
