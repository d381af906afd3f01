// The core: one workspace, its services and the single API router. Every shell creates
// exactly one of these and only wires it (HTTP host, Electron main, CLI).
import { OPDESK_VERSION } from '../../shared/version'
import { ChangeBus } from './bus'
import type { CoreContext } from './context'
import { consoleLogger, type Logger } from './log'
import { createRouter, type Handlers, type Router } from './api/router'
import { trackHandlers } from './api/handlers/tracks'
import { TrackService } from './tracks/service'
import { runHandlers } from './api/handlers/runs'
import { flowHandlers } from './api/handlers/flows'
import { analyticsHandlers } from './api/handlers/analytics'
import { settingsHandlers } from './api/handlers/settings'
import { profileHandlers } from './api/handlers/profiles'
import { ProfileService } from './profiles/service'
import { commandExecutor, DEFAULT_COMMAND_LIMITS } from './commands/executor'
import { detectSandbox, type SandboxStatus } from './sandbox'
import { importFlowFolder } from './flows/folder'
import { FlowService } from './flows/service'
import { createPlanner, type PolicyJudge } from './runs/planner'
import { RunService } from './runs/service'
import { getRunCwd } from './store/runs'
import { getSetting } from './store/settings'
import type { SecretCipher } from './secrets/cipher'
import { hostKeyCipher, keyFileFor, moveLegacyKey } from './secrets/key-store'
import { SecretStore } from './secrets/secrets'
import { workspacePolicyJudge } from './policy-judge'
import { runningPolicy, seedPolicyFromFile } from './policy-store'
import { createBrowserEngine, type BrowserEngine } from './engine'
import { createTakeoverHub } from './takeover/wiring'
import type { TakeoverHub } from './takeover/hub'
import { seedDemo } from './demo/seed'
import { startDemoEnvironment, type DemoEnvironment } from './demo/demo-flow'
import { openWorkspace, type Workspace } from './workspace'
import { localOperatorName } from './identity'
import { systemClock, type Clock } from './schedules/clock'
import { Scheduler } from './schedules/scheduler'
import { ScheduleService } from './schedules/service'
import { scheduleHandlers } from './api/handlers/schedules'

export interface CoreOptions {
  workspaceDir: string
  demo?: boolean
  migrationsDir?: string
  nativeBinding?: string
  log?: Logger
  /** Electron passes a safeStorage-backed cipher; elsewhere OPDESK_KEY or a 0600 key file in the user's config folder. */
  cipher?: SecretCipher
  /** Folder of host-mode key files (default: the user's config folder); tests pass their own. */
  keysDir?: string
  policy?: PolicyJudge
  /** What the machine's command sandbox is; probed once when not given (tests inject one). */
  sandbox?: SandboxStatus
  /** Where a person takes over a waiting run, as a path on the same host. */
  takeoverPath?: (runId: string) => string
  /** Skip start-up recovery and queue pickup (read-only CLI commands). */
  passive?: boolean
  /** Run queued runs left by earlier processes (the app and host do; `opdesk run` does not). */
  requeue?: boolean
  /** What schedules read the time from (tests pass a clock they move). */
  clock?: Clock
}

export interface Core {
  ws: Workspace
  bus: ChangeBus
  router: Router
  ctx: CoreContext
  runs: RunService
  secrets: SecretStore
  engine: BrowserEngine
  /** Live takeover sessions of runs waiting for a person; shells attach viewers to it. */
  takeover: TakeoverHub
  /** Schedules (API side) and the scheduler that fires them (running in long-lived shells). */
  schedules: ScheduleService
  scheduler: Scheduler
  /** Profiles and login health; the scheduler calls ensureFresh / waitForLogin before a run. */
  profiles: ProfileService
  /** The demo portal's URL when started with demo: true. */
  demoUrl: string | null
  close(): Promise<void>
}

export async function createCore(opts: CoreOptions): Promise<Core> {
  const log = opts.log ?? consoleLogger()
  const ws = openWorkspace(opts.workspaceDir, { migrationsDir: opts.migrationsDir, nativeBinding: opts.nativeBinding })
  const bus = new ChangeBus()
  const ctx: CoreContext = { ws, bus, log, version: OPDESK_VERSION }
  try {
    if (opts.demo && seedDemo(ws.store)) log.info('seeded the demo workspace', { dir: ws.dir })
    // A key still inside the workspace is moved out even when safeStorage seals new secrets: older ones need it.
    if (opts.cipher) moveLegacyKey(ws.dir, keyFileFor(ws.store, opts.keysDir), null)
    const cipher = opts.cipher ?? hostKeyCipher(ws.store, ws.dir, { keysDir: opts.keysDir })
    const secrets = new SecretStore(ws.store, cipher)
    await cipher.openAhead?.(secrets.sealedValues())
    seedPolicyFromFile(ws.store, ws.paths.policy)
    const sandbox = opts.sandbox ?? detectSandbox()
    if (!sandbox.available) log.warn(`commands are not sandboxed: ${sandbox.detail}; every command needs approval`)
    const workspacePolicy = workspacePolicyJudge(ws, () => sandbox)
    const policy = opts.policy ?? workspacePolicy
    const engine = createBrowserEngine({ ctx, policy: workspacePolicy })
    // Set once the run service exists: check and login runs are executed by the profile service.
    let profiles: ProfileService | null = null
    const planner = createPlanner({ store: ws.store, workspaceRoot: ws.dir, secretNames: () => secrets.names(), policy })
    const runs = new RunService({
      ctx,
      secrets,
      planner,
      takeoverPath: opts.takeoverPath,
      capacity: engine.capacity,
      executors: {
        browser: (run) => engine.executorFor(run),
        check: (run) => profiles!.executorFor(run),
        login: (run) => profiles!.executorFor(run),
        command: (run) =>
          commandExecutor(run, getRunCwd(ws.store, run.id) ?? ws.paths.work, {
            ...DEFAULT_COMMAND_LIMITS,
            timeoutMs: getSetting(ws.store, 'commands.timeoutMs') ?? DEFAULT_COMMAND_LIMITS.timeoutMs,
            sandbox: {
              status: sandbox,
              workspaceRoot: ws.dir,
              workDir: ws.paths.work,
              cwdOutsideWorkspace: runningPolicy(ws.store).commands.cwdOutsideWorkspace,
              network: runningPolicy(ws.store).commands.networkHosts.length > 0,
            },
          }),
      },
    })
    profiles = new ProfileService({ ctx, runs, engine: { pool: engine.browsers, livePages: engine.livePages } })
    const takeover = createTakeoverHub(ctx, runs, engine.livePages)
    importFlowFolder(ws.store, ws.paths.flows, log, secrets.names())
    const demo: DemoEnvironment | null = opts.demo
      ? await startDemoEnvironment({ store: ws.store, secrets, flowsDir: ws.paths.flows, log })
      : null
    if (!opts.passive) {
      const { interrupted } = runs.recover({ requeue: opts.requeue ?? true })
      if (interrupted.length) log.warn(`marked ${interrupted.length} run(s) interrupted after an unclean stop`)
      profiles.start()
    }
    const clock = opts.clock ?? systemClock
    const scheduler = new Scheduler({ ctx, runs, clock, profiles })
    const schedules = new ScheduleService({ ctx, planner, scheduler, now: () => clock.now() })
    // Only the shells that stay up fire schedules (the app, `opdesk serve`); a one-shot
    // `opdesk run` or a read-only command must not start, or skip, anyone's scheduled runs.
    if (!opts.passive && opts.requeue !== false) scheduler.start()

    const handlers: Handlers = {
      health: () => ({ ok: true, version: OPDESK_VERSION, workspace: ws.dir, schemaVersion: ws.store.schemaVersion, sandbox }),
      ...trackHandlers(ctx, new TrackService(ctx)),
      ...runHandlers(ctx, runs),
      ...flowHandlers(ctx, new FlowService(ctx, secrets), secrets, policy),
      ...analyticsHandlers(ctx),
      ...settingsHandlers(ctx, runs, () => engine.browsers.servers.status()),
      ...scheduleHandlers(schedules),
      ...profileHandlers(profiles, runs),
    }
    const router = createRouter(handlers, {
      onError: (err, req) =>
        log.error('unhandled API error', { method: req.method, path: req.path, error: err instanceof Error ? err.stack : String(err) }),
      // Electron and the CLI act as the person at this machine: the display name from Settings, else the OS user.
      localActor: () => ({ name: localOperatorName(ws), role: 'admin' }),
    })
    let closed = false
    return {
      ws,
      bus,
      router,
      ctx,
      runs,
      secrets,
      engine,
      takeover,
      schedules,
      scheduler,
      profiles,
      demoUrl: demo?.site.url ?? null,
      async close() {
        if (closed) return
        closed = true
        scheduler.stop()
        profiles.close()
        await takeover.close()
        await runs.shutdown()
        await engine.close()
        await demo?.close()
        ws.close()
      },
    }
  } catch (err) {
    ws.close()
    throw err
  }
}
