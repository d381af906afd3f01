// All takeovers of this process: at most one session per waiting run, shared by every
// view attached to it. Transport-agnostic: a WebSocket (host mode) or IPC channel hands
// each view in as a Viewer and feeds its messages to handle(). A session lives while the
// run waits for a person and someone watches; the run's page itself belongs to the engine.
import type { TakeoverStatus } from '../../../shared/takeover'
import { UpMessage } from '../../../shared/takeover-schema'
import type { Logger } from '../log'
import { TakeoverSession } from './session'
import {
  TakeoverError,
  type AuditFn,
  type LivePageSource,
  type TakeoverOptions,
  type Viewer,
  type ViewerHandle,
} from './types'

export interface RunInfo {
  status: string
  /** When the current MFA wait began, and when it times out (ISO), while waiting-mfa. */
  waitingSince: string | null
  timeoutAt: string | null
}

export interface TakeoverHubDeps {
  livePages: LivePageSource
  runInfo(runId: string): RunInfo | null
  /** Appends to the run's event log (RunControl.emit of the executing run). */
  audit(runId: string): AuditFn
  /** Run status changes (the core bus's run.changed); returns its unsubscribe. */
  onRunChanged(listener: (runId: string, status: string) => void): () => void
  options?: Partial<TakeoverOptions>
  log?: Logger
  /** A session nobody watches is stopped after this long (a reload reconnects in time). */
  idleStopMs?: number
}

interface Entry {
  runId: string
  viewers: Map<string, Viewer>
  session: TakeoverSession | null
  opening: Promise<TakeoverSession> | null
  idleTimer: NodeJS.Timeout | null
  /** Run status last told to the viewers: progress updates also fire run.changed. */
  told: string | null
}

// A person works on the live page while a run waits for MFA or for assist after a failed step.
const isWaiting = (status: string | undefined): boolean => status === 'waiting-mfa' || status === 'waiting-assist'

export class TakeoverHub {
  private readonly entries = new Map<string, Entry>()
  private readonly offs: (() => void)[] = []
  private closed = false

  constructor(private readonly deps: TakeoverHubDeps) {
    this.offs.push(deps.onRunChanged((runId, status) => void this.runChanged(runId, status)))
    // The engine says when a wait ends, just before takeover.ended: the counts go first.
    if (deps.livePages.onWaitEnding) this.offs.push(deps.livePages.onWaitEnding((runId) => this.flush(runId)))
  }

  describe(runId: string): RunInfo | null {
    return this.deps.runInfo(runId)
  }

  session(runId: string): TakeoverSession | undefined {
    const s = this.entries.get(runId)?.session
    return s?.active ? s : undefined
  }

  /** The run's session, started on demand; refused unless the run waits for a person here. */
  async open(runId: string): Promise<TakeoverSession> {
    return this.ensure(this.entry(runId))
  }

  attach(runId: string, viewer: Viewer): ViewerHandle {
    const info = this.deps.runInfo(runId)
    if (!info) throw new TakeoverError('not-found', `Run ${runId} was not found`)
    const entry = this.entry(runId)
    if (entry.idleTimer) clearTimeout(entry.idleTimer)
    entry.idleTimer = null
    entry.viewers.set(viewer.id, viewer)
    viewer.send(this.status(entry, viewer))
    if (entry.session?.active) entry.session.addViewer(viewer)
    else if (isWaiting(info.status)) {
      this.ensure(entry).catch((err: unknown) => {
        const code = err instanceof TakeoverError ? err.code : 'unavailable'
        viewer.send({ type: 'error', code, message: err instanceof Error ? err.message : String(err) })
      })
    }
    let detached = false
    return {
      handle: (raw) => {
        if (detached) return
        const parsed = UpMessage.safeParse(raw)
        if (!parsed.success)
          return viewer.send({ type: 'error', code: 'invalid', message: 'Message refused: not a takeover message' })
        const session = entry.session
        if (!session?.active) {
          if (parsed.data.type !== 'ack')
            viewer.send({ type: 'error', code: 'not-live', message: 'The run is not waiting for a person' })
          return
        }
        session.handle(viewer, parsed.data)
      },
      detach: () => {
        if (detached) return
        detached = true
        entry.viewers.delete(viewer.id)
        entry.session?.removeViewer(viewer.id)
        if (entry.viewers.size === 0) this.idle(entry)
      },
    }
  }

  /** Writes the input counts gathered so far (call before takeover.ended to keep the order). */
  flush(runId: string): void {
    this.entries.get(runId)?.session?.flushAudit()
  }

  async close(): Promise<void> {
    this.closed = true
    for (const off of this.offs.splice(0)) off()
    await Promise.all([...this.entries.values()].map((e) => this.stopSession(e)))
    for (const e of this.entries.values()) if (e.idleTimer) clearTimeout(e.idleTimer)
    this.entries.clear()
  }

  private entry(runId: string): Entry {
    let e = this.entries.get(runId)
    if (!e) {
      e = { runId, viewers: new Map(), session: null, opening: null, idleTimer: null, told: null }
      this.entries.set(runId, e)
    }
    return e
  }

  private ensure(entry: Entry): Promise<TakeoverSession> {
    if (entry.session?.active) return Promise.resolve(entry.session)
    if (entry.opening) return entry.opening
    const opening = (async () => {
      if (this.closed) throw new TakeoverError('unavailable', 'Opdesk is shutting down')
      const info = this.deps.runInfo(entry.runId)
      if (!info) throw new TakeoverError('not-found', `Run ${entry.runId} was not found`)
      if (!isWaiting(info.status))
        throw new TakeoverError(
          'not-live',
          `Run ${entry.runId} is ${info.status}; only a run waiting for MFA can be taken over`,
        )
      const live = this.deps.livePages.get(entry.runId)
      if (!live) throw new TakeoverError('unavailable', `Run ${entry.runId} has no live page in this Opdesk process`)
      const session = new TakeoverSession(entry.runId, live, {
        onAudit: this.deps.audit(entry.runId),
        onStatus: () => this.broadcast(entry),
        options: this.deps.options,
        log: this.deps.log,
      })
      try {
        await session.start()
      } catch (err) {
        await session.stop()
        throw err
      }
      // The run may have moved on while the screencast started.
      if (this.closed || !isWaiting(this.deps.runInfo(entry.runId)?.status)) {
        await session.stop()
        throw new TakeoverError('not-live', `Run ${entry.runId} is no longer waiting for a person`)
      }
      entry.session = session
      for (const v of entry.viewers.values()) session.addViewer(v)
      this.broadcast(entry)
      return session
    })()
    entry.opening = opening
    const clear = () => {
      if (entry.opening === opening) entry.opening = null
    }
    opening.then(clear, clear)
    return opening
  }

  private async runChanged(runId: string, status: string): Promise<void> {
    const entry = this.entries.get(runId)
    if (!entry) return
    if (!isWaiting(status)) await this.stopSession(entry)
    else if (entry.viewers.size > 0)
      this.ensure(entry).catch((err: unknown) =>
        this.deps.log?.warn('takeover could not start', { runId, error: String(err) }),
      )
    if (entry.told !== status) this.broadcast(entry)
    if (entry.viewers.size === 0 && !entry.session) this.forget(entry)
  }

  private idle(entry: Entry): void {
    const ms = this.deps.idleStopMs ?? 5_000
    entry.idleTimer = setTimeout(() => {
      entry.idleTimer = null
      if (entry.viewers.size > 0) return
      void this.stopSession(entry).then(() => entry.viewers.size === 0 && this.forget(entry))
    }, ms)
    entry.idleTimer.unref?.()
  }

  private forget(entry: Entry): void {
    if (entry.idleTimer) clearTimeout(entry.idleTimer)
    if (this.entries.get(entry.runId) === entry) this.entries.delete(entry.runId)
  }

  private async stopSession(entry: Entry): Promise<void> {
    await entry.opening?.catch(() => {})
    const s = entry.session
    entry.session = null
    if (s) await s.stop()
  }

  private broadcast(entry: Entry): void {
    entry.told = this.deps.runInfo(entry.runId)?.status ?? null
    for (const v of entry.viewers.values()) v.send(this.status(entry, v))
  }

  private status(entry: Entry, viewer: Viewer): TakeoverStatus {
    const info = this.deps.runInfo(entry.runId)
    const session = entry.session?.active ? entry.session : null
    const s = session?.state()
    return {
      type: 'status',
      runId: entry.runId,
      runStatus: info?.status ?? 'unknown',
      live: !!session,
      url: s?.url ?? null,
      title: s?.title ?? null,
      lease: s?.lease ?? null,
      leaseBy: s?.leaseBy ?? null,
      you: viewer.id,
      popup: s?.popup ?? false,
      viewport: s?.viewport ?? null,
      waitingSince: info && isWaiting(info.status) ? info.waitingSince : null,
      timeoutAt: info && isWaiting(info.status) ? info.timeoutAt : null,
      platform: session?.platform ?? (process.platform === 'darwin' ? 'mac' : 'other'),
    }
  }
}
