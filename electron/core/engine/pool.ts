// A pool of browser servers (Settings → browser.pool): Playwright browser servers, or
// anything that speaks their protocol, each taking up to `capacity` runs at once. A run is
// placed on the answering server with the most free room; when every server is full it
// waits (the run queue keeps it `queued` until there is room). A server that cannot be
// reached or drops its connection is marked down with the reason: the runs on it fail
// with that reason, a run still opening its browser there moves to another server, and the
// server is tried again after a rest.
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core'
import type { PoolEndpoint, PoolEndpointStatus } from '../../../shared/api'
import type { Logger } from '../log'
import { Lease, type BrowserLease } from './lease'

export interface EndpointPoolOptions {
  endpoints(): PoolEndpoint[]
  log: Logger
  /** How long a down server rests before placement tries it again. */
  retryMs?: number
  connectTimeoutMs?: number
}

export interface PoolRequest {
  options: BrowserContextOptions
  signal?: AbortSignal
  /** Told where the run went, and when it moved because a server failed. */
  onNote?: (level: 'info' | 'warn', message: string) => void
  /** Runs before the context closes on release, while its browser still answers (storage state). */
  beforeClose?: (context: BrowserContext) => Promise<void>
}

interface Server {
  conf: PoolEndpoint
  index: number
  browser: Promise<Browser> | null
  state: PoolEndpointStatus['state']
  reason: string | null
  since: string | null
  downUntil: number
  leases: Set<Lease>
  /** Runs connecting or opening a context here now: they count against capacity. */
  placing: number
}

export const DEFAULT_RETRY_MS = 15_000

export class EndpointPool {
  private readonly servers = new Map<string, Server>()
  private readonly roomListeners = new Set<() => void>()
  private readonly waiters = new Set<() => void>()
  private closed = false
  private retryTimer: NodeJS.Timeout | null = null

  constructor(private readonly opts: EndpointPoolOptions) {}

  /** Whether Settings name any server (else runs use the local or single remote browser). */
  configured(): boolean {
    return this.opts.endpoints().length > 0
  }

  status(): PoolEndpointStatus[] {
    return this.sync().map((s) => ({
      name: s.conf.name,
      endpoint: s.conf.endpoint,
      capacity: s.conf.capacity,
      state: s.state,
      running: s.leases.size,
      reason: s.reason,
      since: s.since,
    }))
  }

  /**
   * Whether a run started now would get a browser without waiting. Also true when no
   * server can be tried at all, so the run starts and fails with why rather than sit queued.
   */
  hasRoom(): boolean {
    return this.pick() !== null || this.usable().length === 0
  }

  /** Called whenever room may have appeared (a run ended, a server's rest is over). */
  onRoom(cb: () => void): () => void {
    this.roomListeners.add(cb)
    return () => this.roomListeners.delete(cb)
  }

  async acquire(req: PoolRequest): Promise<BrowserLease> {
    const failed: string[] = []
    for (;;) {
      if (this.closed) throw new Error('The browser engine is shutting down')
      req.signal?.throwIfAborted()
      const server = this.pick()
      if (!server) {
        if (this.usable().length === 0) throw new Error(this.noneAnswering(failed))
        await this.roomOrAbort(req.signal)
        continue
      }
      // Counted before the first await: the run queue asks hasRoom() right after this starts.
      server.placing++
      let context: BrowserContext | null = null
      try {
        const browser = await this.connect(server)
        context = await browser.newContext(req.options)
        if (!browser.isConnected()) throw new Error('the connection closed while the browser opened')
      } catch (err) {
        if (this.closed || (await this.stillAnswering(server))) throw err
        // Marked down meanwhile by its connection closing: keep that reason, it says more.
        const fresh = server.state === 'down' && server.downUntil > Date.now()
        const reason = fresh && server.reason ? server.reason : firstLine(err)
        if (!fresh) this.markDown(server, reason)
        failed.push(`"${server.conf.name}" (${reason})`)
        const next = this.pick()
        req.onNote?.(
          'warn',
          `Browser server "${server.conf.name}" (${server.conf.endpoint}) did not answer (${reason}); it is marked down` +
            (next ? `, and this run moves to "${next.conf.name}"` : ''),
        )
        continue
      } finally {
        server.placing--
      }
      if (req.signal?.aborted) {
        await context.close().catch(() => {})
        this.notifyRoom()
        req.signal.throwIfAborted()
      }
      req.onNote?.('info', `Placed on browser server "${server.conf.name}" (${server.conf.endpoint})`)
      return this.lease(server, context, req.beforeClose)
    }
  }

  async closeAll(): Promise<void> {
    this.closed = true
    if (this.retryTimer) clearTimeout(this.retryTimer)
    for (const w of this.waiters) w()
    const servers = [...this.servers.values()]
    await Promise.allSettled(servers.flatMap((s) => [...s.leases].map((l) => l.release())))
    await Promise.allSettled(servers.map(async (s) => (await s.browser)?.close()))
    this.servers.clear()
  }

  // ── placement ──────────────────────────────────────────────────────────────

  /** The servers as Settings name them now; one removed from Settings closes after its last run. */
  private sync(): Server[] {
    const confs = this.opts.endpoints()
    const keep = new Set<string>()
    const list = confs.map((conf, index) => {
      const key = `${conf.name}\n${conf.endpoint}`
      keep.add(key)
      let s = this.servers.get(key)
      if (!s) {
        s = { conf, index, browser: null, state: 'unknown', reason: null, since: null, downUntil: 0, leases: new Set(), placing: 0 }
        this.servers.set(key, s)
      }
      s.conf = conf // capacity edits apply at once
      s.index = index
      return s
    })
    for (const [key, s] of this.servers) {
      if (keep.has(key) || s.leases.size > 0 || s.placing > 0) continue
      this.servers.delete(key)
      void s.browser?.then((b) => b.close()).catch(() => {})
    }
    return list
  }

  private usable(): Server[] {
    const now = Date.now()
    return this.sync().filter((s) => s.state !== 'down' || s.downUntil <= now)
  }

  /** Answering servers first, then one whose rest is over; then the most free room; then Settings order. */
  private pick(): Server | null {
    const free = (s: Server) => s.conf.capacity - s.leases.size - s.placing
    const rank = (s: Server) => (s.state === 'down' ? 1 : 0)
    const open = this.usable().filter((s) => free(s) > 0)
    open.sort((a, b) => rank(a) - rank(b) || free(b) - free(a) || a.index - b.index)
    return open[0] ?? null
  }

  private noneAnswering(failed: string[]): string {
    const down = this.sync()
      .filter((s) => s.state === 'down')
      .map((s) => `"${s.conf.name}" (${s.reason})`)
    const list = [...new Set([...failed, ...down])]
    return `No browser server of the pool is answering (Settings → Browser servers): ${list.join('; ') || 'none is set'}`
  }

  private roomOrAbort(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        this.waiters.delete(done)
        signal?.removeEventListener('abort', aborted)
        resolve()
      }
      const aborted = () => {
        this.waiters.delete(done)
        reject(signal!.reason instanceof Error ? signal!.reason : new Error('Canceled while waiting for a browser'))
      }
      this.waiters.add(done)
      signal?.addEventListener('abort', aborted, { once: true })
    })
  }

  private notifyRoom(): void {
    for (const w of [...this.waiters]) w()
    for (const cb of [...this.roomListeners]) cb()
  }

  // ── health ────────────────────────────────────────────────────────────────

  private connect(server: Server): Promise<Browser> {
    if (server.browser) return server.browser
    const { endpoint, name } = server.conf
    const opening = chromium.connect(endpoint, { timeout: this.opts.connectTimeoutMs ?? 30_000 }).then((browser) => {
      this.setState(server, 'up', null)
      browser.on('disconnected', () => {
        if (server.browser === opening) server.browser = null
        if (this.closed) return
        const reason = 'its connection closed'
        this.markDown(server, reason)
        const text = `The browser server "${name}" (${endpoint}) stopped answering (${reason}); it is marked down and new runs go to the other servers`
        if (server.leases.size) this.opts.log.warn('browser server went away', { server: name, runs: server.leases.size })
        for (const l of server.leases) l.markLost(text)
      })
      return browser
    })
    server.browser = opening
    // A failed connect must not stick: the next try connects afresh.
    opening.catch(() => {
      if (server.browser === opening) server.browser = null
    })
    return opening
  }

  /**
   * After a failed open: a server that died answers "Browser closed" a moment before its
   * connection reports closing, so give the connection a moment to say which it was.
   */
  private async stillAnswering(server: Server): Promise<boolean> {
    const browser = await server.browser?.catch(() => null)
    if (!browser?.isConnected()) return false
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 2_000)
      browser.once('disconnected', () => (clearTimeout(t), resolve()))
    })
    return browser.isConnected()
  }

  private markDown(server: Server, reason: string): void {
    server.downUntil = Date.now() + (this.opts.retryMs ?? DEFAULT_RETRY_MS)
    if (server.state !== 'down') this.opts.log.warn('browser server down', { server: server.conf.name, reason })
    this.setState(server, 'down', reason)
    // Queued runs may start once the rest is over (or fail at once if nothing else answers).
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = setTimeout(() => this.notifyRoom(), (this.opts.retryMs ?? DEFAULT_RETRY_MS) + 10)
    this.retryTimer.unref()
    this.notifyRoom()
  }

  private setState(server: Server, state: PoolEndpointStatus['state'], reason: string | null): void {
    if (server.state !== state || server.reason !== reason) server.since = new Date().toISOString()
    server.state = state
    server.reason = reason
  }

  private lease(server: Server, context: BrowserContext, beforeClose: PoolRequest['beforeClose']): BrowserLease {
    const lease: Lease = new Lease(context, `browser server "${server.conf.name}" (${server.conf.endpoint})`, async () => {
      try {
        if (beforeClose && !lease.lostReason()) await beforeClose(context).catch(() => {})
        await context.close()
      } finally {
        server.leases.delete(lease)
        this.notifyRoom()
      }
    })
    server.leases.add(lease)
    return lease
  }
}

/** Playwright's errors carry pages of logs; the first line says what happened. */
function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err)
  return (text.split('\n').find((l) => l.trim()) ?? 'unknown error').trim()
}
