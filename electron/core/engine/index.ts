// The browser engine as the rest of the core sees it: an executor factory for the run
// service, the live pages of running runs (for takeover), and shutdown.
import type { Run } from '../../../shared/domain'
import type { CoreContext } from '../context'
import type { RunExecutor } from '../runs/control'
import type { RunCapacity } from '../runs/scheduler'
import { getSetting, type WorkspaceSettings } from '../store/settings'
import { BrowserPool } from './browsers'
import { FlowExecutor } from './flow-executor'
import { LivePages } from './live-pages'
import type { StepPolicy } from './step-policy'

export { BrowserNotFoundError, BrowserPool, knownBrowserPaths, resolveExecutable, type BrowserLease } from './browsers'
export { LivePages, type DialogHandler, type LivePage } from './live-pages'
export { detectPrompt, scorePrompt, type DetectedPrompt, type PromptKind, type PromptVerdict } from './mfa-detect'

export interface SettingsAccess {
  get<K extends keyof WorkspaceSettings>(key: K): WorkspaceSettings[K] | undefined
}

export interface BrowserEngineOptions {
  ctx: CoreContext
  /** Defaults to the workspace's settings table, read at every run so changes apply to the next run. */
  settings?: SettingsAccess
  livePages?: LivePages
  /** The workspace policy, re-applied at each step and navigation. */
  policy?: StepPolicy
  /** How long a pool server that stopped answering rests before it is tried again. */
  poolRetryMs?: number
}

export interface BrowserEngine {
  /** The run service's `executors.browser`. */
  executorFor(run: Run): RunExecutor
  livePages: LivePages
  browsers: BrowserPool
  /** For the run queue: browser runs stay queued while every pool server is full. */
  capacity: RunCapacity
  /** Closes every browser; call after the run service has shut down. */
  close(): Promise<void>
}

export function createBrowserEngine(opts: BrowserEngineOptions): BrowserEngine {
  const { ctx } = opts
  const settings: SettingsAccess = opts.settings ?? { get: (key) => getSetting(ctx.ws.store, key) }
  const livePages = opts.livePages ?? new LivePages()
  const browsers = new BrowserPool({
    profilesDir: ctx.ws.paths.profiles,
    log: ctx.log,
    poolRetryMs: opts.poolRetryMs,
    settings: () => ({
      executablePath: settings.get('browser.executablePath'),
      endpoint: settings.get('browser.endpoint'),
      pool: settings.get('browser.pool'),
      headless: settings.get('browser.headless'),
    }),
  })
  const deps = {
    pool: browsers,
    livePages,
    setting: <K extends keyof WorkspaceSettings>(key: K) => settings.get(key),
    policy: opts.policy,
  }
  return {
    executorFor: (run) => new FlowExecutor(deps, run, run.profile ?? null),
    livePages,
    browsers,
    capacity: {
      hasRoom: (kind) => kind !== 'browser' || !browsers.servers.configured() || browsers.servers.hasRoom(),
      onRoom: (cb) => browsers.servers.onRoom(cb),
    },
    close: () => browsers.closeAll(),
  }
}
