// Where browser runs get their browser: one shared local Chromium (a fresh context per
// run), a persistent context per named profile (logins survive between runs), a pool of
// browser servers (browser.pool), or a single remote browser server (browser.endpoint). A
// browser that goes away on its own (crash, kill, remote drop) fails the runs using it and
// is replaced next time.
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core'
import type { PoolEndpoint } from '../../../shared/api'
import type { Logger } from '../log'
import { launchArgs, resolveExecutable } from './executable'
import { Lease, type BrowserLease } from './lease'
import { EndpointPool } from './pool'
import { forgetTypedValues, prepareProfile, profileDir } from './profiles'
import { adoptRemoteState, readStorageState, saveStorageState, storageStatePath } from './storage-state'

export { BrowserNotFoundError, knownBrowserPaths, launchArgs, resolveExecutable } from './executable'
export { profileDir } from './profiles'
export type { BrowserLease } from './lease'

export interface BrowserSettings {
  executablePath?: string | null
  /** Playwright browser-server endpoint (ws://…); when set, runs use that browser. */
  endpoint?: string | null
  /** Browser servers runs are placed on by free capacity; when non-empty, `endpoint` is not used. */
  pool?: PoolEndpoint[] | null
  headless?: boolean | null
}

export interface ContextRequest {
  profile: string | null
  viewport?: { width: number; height: number }
  /** Cancels a run still waiting for room on a browser server. */
  signal?: AbortSignal
  /** Where the run was placed, and why it moved (the run's log shows them). */
  onNote?: (level: 'info' | 'warn', message: string) => void
}

export const DEFAULT_VIEWPORT = { width: 1280, height: 800 }

export const BROWSER_LOST = 'The browser closed unexpectedly (it crashed or was killed); the next run starts a new one'

interface Shared {
  browser: Browser
  key: string
  lost: string | null
  leases: Set<Lease>
}

export interface BrowserPoolOptions {
  settings(): BrowserSettings
  profilesDir: string
  log: Logger
  /** How long a pool server that stopped answering rests before it is tried again. */
  poolRetryMs?: number
}

export class BrowserPool {
  private local: Promise<Shared> | null = null
  private remote: Promise<Shared> | null = null
  private readonly leases = new Set<Lease>()
  private closed = false
  /** The browser servers of browser.pool: placement, capacity and health. */
  readonly servers: EndpointPool

  constructor(private readonly opts: BrowserPoolOptions) {
    this.servers = new EndpointPool({
      endpoints: () => opts.settings().pool ?? [],
      log: opts.log,
      retryMs: opts.poolRetryMs,
    })
  }

  async acquire(req: ContextRequest): Promise<BrowserLease> {
    if (this.closed) throw new Error('The browser engine is shutting down')
    const s = this.opts.settings()
    const viewport = req.viewport ?? DEFAULT_VIEWPORT
    if (s.pool?.length) {
      const state = this.portableState(req.profile)
      return this.servers.acquire({
        options: { viewport, acceptDownloads: true, storageState: state.storageState },
        signal: req.signal,
        onNote: req.onNote,
        beforeClose: state.save,
      })
    }
    if (s.endpoint) return this.remoteContext(s.endpoint, req.profile, viewport)
    const executablePath = resolveExecutable({ setting: s.executablePath })
    const headless = s.headless ?? true
    if (req.profile) return this.persistentContext(req.profile, executablePath, headless, viewport)
    return this.sharedContext(
      'local',
      localKey(executablePath, headless),
      'shared local browser',
      () =>
        explained(
          chromium.launch({ executablePath, headless, args: launchArgs() }),
          `Could not start the browser at ${executablePath}`,
        ),
      { viewport, acceptDownloads: true },
    )
  }

  /** The shared local browser if it is running (tests and the bench crash or inspect it). */
  async sharedBrowser(): Promise<Browser | null> {
    const s = await this.local?.catch(() => null)
    return s && !s.lost ? s.browser : null
  }

  async closeAll(): Promise<void> {
    this.closed = true
    await Promise.allSettled([...this.leases].map((l) => l.release()))
    await this.servers.closeAll()
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
        shared.lost =
          slot === 'remote'
            ? `The remote browser (${key.slice(7)}) disconnected; the next run connects again`
            : BROWSER_LOST
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

  /**
   * A browser server cannot open a user-data dir for us, so a profile on a remote browser
   * starts from the profile's storage-state file and writes it back when the run ends.
   */
  private portableState(profile: string | null): {
    storageState: BrowserContextOptions['storageState']
    save?: (context: BrowserContext) => Promise<void>
  } {
    if (!profile) return { storageState: undefined }
    const path = storageStatePath(this.opts.profilesDir, profile)
    return { storageState: readStorageState(path), save: (context) => saveStorageState(context, path, 'remote') }
  }

  private remoteContext(
    endpoint: string,
    profile: string | null,
    viewport: { width: number; height: number },
  ): Promise<BrowserLease> {
    const { storageState, save } = this.portableState(profile)
    return this.sharedContext(
      'remote',
      remoteKey(endpoint),
      `remote browser ${endpoint}`,
      () =>
        explained(
          chromium.connect(endpoint, { timeout: 30_000 }),
          `Could not reach the remote browser at ${endpoint} (Settings → browser.endpoint)`,
        ),
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
    const context = await explained(
      chromium.launchPersistentContext(dir, {
        executablePath,
        headless,
        args: launchArgs(),
        viewport,
        acceptDownloads: true,
      }),
      // The usual cause: another Chromium (a crashed run's, or the operator's) holds the profile.
      `Could not open profile "${profile}" with the browser at ${executablePath}`,
    )
    const statePath = storageStatePath(this.opts.profilesDir, profile)
    try {
      // A remote run of this profile since its last local run: its login comes back here.
      await adoptRemoteState(context, statePath)
    } catch (err) {
      this.opts.log.warn('could not take the remote run\'s storage state', { profile, error: String(err) })
    }
    const lease: Lease = new Lease(context, `profile ${profile}`, async () => {
      this.leases.delete(lease)
      try {
        // The login travels: a remote browser (pool or endpoint) starts from this file.
        if (!lease.lostReason()) await saveStorageState(context, statePath, 'local').catch(() => {})
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

/** Playwright's launch errors carry pages of logs; keep their first line behind our own words. */
async function explained<T>(work: Promise<T>, what: string): Promise<T> {
  try {
    return await work
  } catch (err) {
    const first =
      (err instanceof Error ? err.message : String(err)).split('\n').find((l) => l.trim()) ?? 'unknown error'
    throw new Error(`${what}: ${first.trim()}`)
  }
}

const localKey = (executablePath: string, headless: boolean): string => `local ${executablePath} headless=${headless}`
const remoteKey = (endpoint: string): string => `remote ${endpoint}`
