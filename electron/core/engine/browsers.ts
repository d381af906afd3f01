// Where browser runs get their browser: one shared local Chromium (a fresh context per
// run), a persistent context per named profile (logins survive between runs), or a
// remote browser server when the workspace names an endpoint. A browser that goes away on
// its own (crash, kill, remote drop) fails the runs using it and is replaced next time.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core'
import type { Logger } from '../log'

export interface BrowserSettings {
  executablePath?: string | null
  /** Playwright browser-server endpoint (ws://…); when set, runs use that browser. */
  endpoint?: string | null
  headless?: boolean | null
}

export interface ContextRequest {
  profile: string | null
  viewport?: { width: number; height: number }
}

export interface BrowserLease {
  readonly context: BrowserContext
  /** "shared local browser", "profile acme", "remote ws://…": for messages. */
  readonly where: string
  /** Why the browser went away on its own (crash, kill, remote drop); null while it lives. */
  lostReason(): string | null
  onLost(cb: (reason: string) => void): () => void
  /** Closes this run's context (for a profile: its browser). Safe to call twice. */
  release(): Promise<void>
}

export const DEFAULT_VIEWPORT = { width: 1280, height: 800 }

export const BROWSER_LOST =
  'The browser closed unexpectedly (it crashed or was killed); the next run starts a new one'

// Background services only add noise and network traffic to an operator's automation.
const BASE_ARGS = ['--disable-background-networking', '--disable-component-update', '--disable-sync']

export function launchArgs(): string[] {
  // Chromium refuses to start its sandbox as root (containers, CI); everywhere else keep it.
  const root = process.platform === 'linux' && process.getuid?.() === 0
  return [...BASE_ARGS, ...(root ? ['--no-sandbox'] : [])]
}

/** Where Chrome-family browsers usually live, most specific first. */
export function knownBrowserPaths(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string[] {
  if (platform === 'darwin') {
    return [
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    ]
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES ?? 'C:\\Program Files', env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)', env.LOCALAPPDATA]
    const out: string[] = []
    for (const root of roots.filter((r): r is string => !!r)) {
      out.push(`${root}\\Google\\Chrome\\Application\\chrome.exe`, `${root}\\Microsoft\\Edge\\Application\\msedge.exe`)
    }
    return out
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/microsoft-edge',
    '/snap/bin/chromium',
  ]
}

export class BrowserNotFoundError extends Error {
  override name = 'BrowserNotFoundError'
}

/**
 * The Chromium to launch: the workspace setting, then CHROMIUM_PATH, then the usual places.
 * A path the operator named that does not exist is an error rather than a silent fallback,
 * so a typo in Settings is not hidden by some other browser being found.
 */
export function resolveExecutable(
  opts: { setting?: string | null; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; exists?: (p: string) => boolean } = {},
): string {
  const env = opts.env ?? process.env
  const exists = opts.exists ?? existsSync
  const fix = 'Set the path under Settings → Browser path, or start Opdesk with CHROMIUM_PATH=/path/to/chrome'
  if (opts.setting) {
    if (exists(opts.setting)) return opts.setting
    throw new BrowserNotFoundError(`No browser at ${opts.setting} (Settings → Browser path). Install Chrome or Chromium there, or fix the path`)
  }
  if (env.CHROMIUM_PATH) {
    if (exists(env.CHROMIUM_PATH)) return env.CHROMIUM_PATH
    throw new BrowserNotFoundError(`No browser at ${env.CHROMIUM_PATH} (CHROMIUM_PATH). ${fix}`)
  }
  const tried = knownBrowserPaths(opts.platform, env)
  const found = tried.find((p) => exists(p))
  if (found) return found
  throw new BrowserNotFoundError(`No Chrome, Chromium or Edge found; tried ${tried.join(', ')}. ${fix}`)
}

/** Profile names become folder names: keep them to one safe path segment. */
export function profileDir(profilesDir: string, name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
    throw new Error(`Profile name "${name}" must be letters, digits, ".", "_" or "-" (at most 64), starting with a letter or digit`)
  }
  return join(profilesDir, name)
}

interface Shared {
  browser: Browser
  key: string
  lost: string | null
  leases: Set<Lease>
}

class Lease implements BrowserLease {
  private lost: string | null = null
  private readonly listeners = new Set<(reason: string) => void>()
  private releasing: Promise<void> | null = null

  constructor(
    readonly context: BrowserContext,
    readonly where: string,
    private readonly closeFn: () => Promise<void>,
  ) {}

  lostReason(): string | null {
    return this.lost
  }

  onLost(cb: (reason: string) => void): () => void {
    if (this.lost) cb(this.lost)
    else this.listeners.add(cb)
    return () => this.listeners.delete(cb)
  }

  markLost(reason: string): void {
    if (this.lost || this.releasing) return
    this.lost = reason
    for (const cb of [...this.listeners]) cb(reason)
    this.listeners.clear()
  }

  get released(): boolean {
    return this.releasing !== null
  }

  release(): Promise<void> {
    this.releasing ??= this.closeFn().catch(() => {
      // Already gone (crash, cancel raced a close): nothing left to close.
    })
    return this.releasing
  }
}

export interface BrowserPoolOptions {
  settings(): BrowserSettings
  profilesDir: string
  log: Logger
}

export class BrowserPool {
  private local: Promise<Shared> | null = null
  private remote: Promise<Shared> | null = null
  private readonly leases = new Set<Lease>()
  private closed = false

  constructor(private readonly opts: BrowserPoolOptions) {}

  async acquire(req: ContextRequest): Promise<BrowserLease> {
    if (this.closed) throw new Error('The browser engine is shutting down')
    const s = this.opts.settings()
    const viewport = req.viewport ?? DEFAULT_VIEWPORT
    if (s.endpoint) return this.remoteContext(s.endpoint, req.profile, viewport)
    const executablePath = resolveExecutable({ setting: s.executablePath })
    const headless = s.headless ?? true
    if (req.profile) return this.persistentContext(req.profile, executablePath, headless, viewport)
    return this.sharedContext('local', localKey(executablePath, headless), 'shared local browser', () =>
      chromium.launch({ executablePath, headless, args: launchArgs() }), { viewport, acceptDownloads: true })
  }

  /** The shared local browser if it is running (tests and the bench crash or inspect it). */
  async sharedBrowser(): Promise<Browser | null> {
    const s = await this.local?.catch(() => null)
    return s && !s.lost ? s.browser : null
  }

  async closeAll(): Promise<void> {
    this.closed = true
    await Promise.allSettled([...this.leases].map((l) => l.release()))
    const shared = await Promise.allSettled([this.local, this.remote].filter((p): p is Promise<Shared> => p !== null))
    this.local = this.remote = null
    await Promise.allSettled(shared.map((r) => (r.status === 'fulfilled' ? r.value.browser.close() : undefined)))
  }

  // ── shared browsers (local launch or remote connection) ───────────────────

  private async sharedContext(
    slot: 'local' | 'remote',
    key: string,
    where: string,
    open: () => Promise<Browser>,
    options: BrowserContextOptions,
    beforeClose?: (context: BrowserContext) => Promise<void>,
  ): Promise<BrowserLease> {
    const shared = await this.sharedBrowserFor(slot, key, open)
    const context = await shared.browser.newContext(options)
    const lease: Lease = new Lease(context, where, async () => {
      this.leases.delete(lease)
      shared.leases.delete(lease)
      try {
        if (beforeClose && !lease.lostReason()) await beforeClose(context).catch(() => {})
        await context.close()
      } finally {
        // A browser whose settings changed meanwhile is retired once its last run ends.
        if (this.slotKey(slot) !== shared.key && shared.leases.size === 0) await shared.browser.close().catch(() => {})
      }
    })
    this.leases.add(lease)
    shared.leases.add(lease)
    if (shared.lost) lease.markLost(shared.lost)
    return lease
  }

  private slotKey(slot: 'local' | 'remote'): string | null {
    const s = this.opts.settings()
    if (slot === 'remote') return s.endpoint ? remoteKey(s.endpoint) : null
    try {
      return localKey(resolveExecutable({ setting: s.executablePath }), s.headless ?? true)
    } catch {
      return null
    }
  }

  private async sharedBrowserFor(slot: 'local' | 'remote', key: string, open: () => Promise<Browser>): Promise<Shared> {
    const current = slot === 'local' ? this.local : this.remote
    // Concurrent runs share one launch: wait for the one in flight rather than start another.
    const existing = current ? await current.catch(() => null) : null
    if (existing && existing.key === key && !existing.lost) return existing
    const now = slot === 'local' ? this.local : this.remote
    if (now && now !== current) return this.sharedBrowserFor(slot, key, open) // another run replaced it meanwhile
    const next = (async (): Promise<Shared> => {
      const browser = await open()
      const shared: Shared = { browser, key, lost: null, leases: new Set() }
      browser.on('disconnected', () => {
        if (this.closed) return
        shared.lost = slot === 'remote' ? `The remote browser (${key.slice(7)}) disconnected; the next run connects again` : BROWSER_LOST
        if (shared.leases.size) this.opts.log.warn('browser went away', { browser: key, runs: shared.leases.size })
        for (const l of shared.leases) l.markLost(shared.lost)
        // The next run launches (or connects) afresh.
        if (this.local === next) this.local = null
        if (this.remote === next) this.remote = null
      })
      return shared
    })()
    if (slot === 'local') this.local = next
    else this.remote = next
    // A failed launch must not stick: the next run tries again (maybe with a fixed path).
    next.catch(() => {
      if (this.local === next) this.local = null
      if (this.remote === next) this.remote = null
    })
    // The old browser (other settings) keeps its running contexts and closes with the last one.
    if (existing && !existing.lost && existing.leases.size === 0) void existing.browser.close().catch(() => {})
    return next
  }

  private remoteContext(endpoint: string, profile: string | null, viewport: { width: number; height: number }): Promise<BrowserLease> {
    // A browser server cannot open a user-data dir for us, so a profile on a remote browser
    // keeps its cookies and storage as a storage-state file in the profile folder instead.
    const statePath = profile ? join(profileDir(this.opts.profilesDir, profile), 'storage-state.json') : null
    const storageState =
      statePath && existsSync(statePath) ? (JSON.parse(readFileSync(statePath, 'utf8')) as BrowserContextOptions['storageState']) : undefined
    const save = statePath
      ? async (context: BrowserContext) => {
          mkdirSync(dirname(statePath), { recursive: true })
          await context.storageState({ path: statePath })
        }
      : undefined
    return this.sharedContext(
      'remote',
      remoteKey(endpoint),
      `remote browser ${endpoint}`,
      () => chromium.connect(endpoint, { timeout: 30_000 }),
      { viewport, acceptDownloads: true, storageState },
      save,
    )
  }

  private async persistentContext(
    profile: string,
    executablePath: string,
    headless: boolean,
    viewport: { width: number; height: number },
  ): Promise<BrowserLease> {
    const dir = profileDir(this.opts.profilesDir, profile)
    prepareProfile(dir)
    const context = await chromium.launchPersistentContext(dir, { executablePath, headless, args: launchArgs(), viewport, acceptDownloads: true })
    const lease: Lease = new Lease(context, `profile ${profile}`, async () => {
      this.leases.delete(lease)
      try {
        await context.close()
      } finally {
        forgetTypedValues(dir)
      }
    })
    this.leases.add(lease)
    // A persistent context is its own browser: its closing without release() is a crash.
    context.on('close', () => {
      if (!lease.released && !this.closed) lease.markLost(BROWSER_LOST)
    })
    return lease
  }
}

const localKey = (executablePath: string, headless: boolean): string => `local ${executablePath} headless=${headless}`
const remoteKey = (endpoint: string): string => `remote ${endpoint}`

// A profile keeps cookies and storage so logins survive; it must not keep what flows typed.
// Chromium would: autocomplete entries ("Web Data"), saved passwords ("Login Data") and the
// form state of open tabs for session restore ("Sessions/"), all readable on disk.
const PROFILE_PREFS = {
  autofill: { enabled: false, profile_enabled: false, credit_card_enabled: false },
  credentials_enable_service: false,
  credentials_enable_autosignin: false,
  profile: { password_manager_enabled: false },
}
const SESSION_FILES = ['Sessions', 'Current Session', 'Current Tabs', 'Last Session', 'Last Tabs']

/** Turns off form memory in a profile's preferences before Chromium opens it. */
export function prepareProfile(dir: string): void {
  const prefsDir = join(dir, 'Default')
  mkdirSync(prefsDir, { recursive: true })
  const file = join(prefsDir, 'Preferences')
  let prefs: Record<string, unknown> = {}
  try {
    prefs = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  } catch {
    // New profile, or a damaged file Chromium would reset anyway.
  }
  writeFileSync(file, JSON.stringify(deepMerge(prefs, PROFILE_PREFS)))
  forgetTypedValues(dir)
}

/** Session-restore files hold the tabs' form state; Opdesk never restores sessions. */
export function forgetTypedValues(dir: string): void {
  for (const name of SESSION_FILES) rmSync(join(dir, 'Default', name), { recursive: true, force: true })
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base }
  for (const [k, v] of Object.entries(over)) {
    const cur = out[k]
    out[k] =
      v && typeof v === 'object' && cur && typeof cur === 'object' && !Array.isArray(cur)
        ? deepMerge(cur as Record<string, unknown>, v as Record<string, unknown>)
        : v
  }
  return out
}
