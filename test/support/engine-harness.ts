// Test helpers for browser runs: a temp workspace with a real run service wired to the
// engine, a planner that only parses (policy always allows), and waits on run status.
// Meant for engine and takeover tests; production code uses runs/planner.ts.
import { unzipSync } from 'fflate'
import type { Artifact, PolicyResult, Run, RunEvent, RunStatus } from '../../shared/domain'
import { TERMINAL_RUN_STATUSES } from '../../shared/domain'
import { badRequest } from '../../electron/core/errors'
import type { Logger } from '../../electron/core/log'
import { parseFlow, resolveParams } from '../../electron/core/flows/parse'
import { RunService, type PreparedRun, type RunPlanner } from '../../electron/core/runs/service'
import { SecretStore } from '../../electron/core/secrets/secrets'
import { listArtifacts } from '../../electron/core/store/artifacts'
import { setSetting, type WorkspaceSettings } from '../../electron/core/store/settings'
import { tempCore } from './temp-workspace'
import { createBrowserEngine, type BrowserEngine } from '../../electron/core/engine/index'

const ALLOW: PolicyResult = { verdict: 'allow', risk: 'low', reasons: ['test'] }

/** Parses and resolves params like the real planner, and allows everything. */
export function testPlanner(opts: { policy?: PolicyResult; secretNames?: () => Iterable<string> } = {}): RunPlanner {
  const plan = (source: string, given: Record<string, string>): PreparedRun => {
    const parsed = parseFlow(source, opts.secretNames ? { secretNames: opts.secretNames() } : {})
    if (!parsed.ok) throw badRequest(parsed.problems.map((p) => `line ${p.line}: ${p.message}`).join('; '), 'flow')
    const params = resolveParams(parsed.flow, given)
    if (!params.ok) throw badRequest(params.errors.join('; '), 'params')
    return {
      kind: 'browser',
      flowSource: source,
      flowHash: parsed.hash,
      flowName: parsed.flow.name,
      params: params.params,
      steps: parsed.flow.steps.length,
      profile: parsed.flow.profile ?? null,
      policy: opts.policy ?? ALLOW,
    }
  }
  return {
    plan: (input) => plan(input.flow ?? '', input.params ?? {}),
    replan: (run) => plan(run.flowSource ?? '', run.params),
  }
}

/** A logger that keeps every line, so tests can check nothing secret was logged. */
export function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  const put = (level: string) => (msg: string, data?: Record<string, unknown>) => {
    lines.push(`${level} ${msg}${data ? ` ${JSON.stringify(data)}` : ''}`)
  }
  return { lines, info: put('info'), warn: put('warn'), error: put('error') }
}

export interface EngineHarness {
  core: Awaited<ReturnType<typeof tempCore>>
  service: RunService
  engine: BrowserEngine
  secrets: SecretStore
  log: Logger & { lines: string[] }
  /** Creates a run from flow source (queued at once). */
  start(flow: string, params?: Record<string, string>): Run
  /** Resolves when the run reaches one of the statuses; rejects after timeoutMs. */
  waitFor(runId: string, status: RunStatus | RunStatus[], timeoutMs?: number): Promise<Run>
  /** Resolves when the run has finished (any terminal status). */
  finished(runId: string, timeoutMs?: number): Promise<Run>
  events(runId: string): RunEvent[]
  artifacts(runId: string): Artifact[]
  close(): Promise<void>
}

export async function engineHarness(
  opts: { settings?: Partial<WorkspaceSettings>; poolRetryMs?: number } = {},
): Promise<EngineHarness> {
  const log = capturingLogger()
  const core = await tempCore({ log })
  const store = core.ws.store
  setSetting(store, 'runs.concurrency', 4)
  for (const [k, v] of Object.entries(opts.settings ?? {})) setSetting(store, k as keyof WorkspaceSettings, v as never)
  const secrets = core.secrets
  const engine = createBrowserEngine({ ctx: core.ctx, poolRetryMs: opts.poolRetryMs })
  const service = new RunService({
    ctx: core.ctx,
    secrets,
    planner: testPlanner(),
    executors: { browser: engine.executorFor },
    capacity: engine.capacity,
  })

  // Woken by the change bus at once (benchmarks time runs with this), polled as a fallback.
  const waitFor = async (runId: string, status: RunStatus | RunStatus[], timeoutMs = 30_000): Promise<Run> => {
    const want = Array.isArray(status) ? status : [status]
    const until = Date.now() + timeoutMs
    let wake: () => void = () => {}
    const off = core.ctx.bus.subscribe((msg) => {
      if (msg.type === 'run.changed' && (msg.data as { runId: string }).runId === runId) wake()
    })
    try {
      for (;;) {
        const run = service.mustRun(runId)
        if (want.includes(run.status)) return run
        if (Date.now() > until) {
          throw new Error(
            `Run ${runId} is ${run.status} (error: ${run.error ?? '-'}), not ${want.join('|')}, after ${timeoutMs} ms`,
          )
        }
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 100)
          wake = () => {
            clearTimeout(t)
            resolve()
          }
        })
      }
    } finally {
      off()
    }
  }
  return {
    core,
    service,
    engine,
    secrets,
    log,
    start: (flow, params) => service.create({ flow, params }),
    waitFor,
    finished: (runId, timeoutMs) => waitFor(runId, [...TERMINAL_RUN_STATUSES], timeoutMs),
    events: (runId) => service.events.list(runId, 0, 10_000),
    artifacts: (runId) => listArtifacts(store, runId),
    async close() {
      await service.shutdown()
      await engine.close()
      await core.cleanup()
    },
  }
}

/**
 * The entries of a zip file, inflated (fflate): enough to look inside Playwright trace zips,
 * whose entries are deflated (a secret would not show in the raw bytes).
 */
export function zipEntries(zip: Buffer): Array<{ name: string; data: Buffer }> {
  return Object.entries(unzipSync(new Uint8Array(zip.buffer, zip.byteOffset, zip.byteLength))).map(([name, data]) => ({
    name,
    data: Buffer.from(data),
  }))
}
