// Holds the one open core and swaps it when the operator picks another workspace. Stream
// subscribers attach here, not to a core's bus, so they survive the swap. No electron
// import: the factory is injected and the tests pass a fake.
import type { StreamMessage } from '../../shared/api'

/** The slice of Core (electron/core/core.ts) the shell uses. */
export interface CoreLike {
  ws: { dir: string }
  bus: { subscribe(listener: (msg: StreamMessage) => void): () => void }
  router: {
    handle(req: { method: string; path: string; query?: Record<string, string>; body?: unknown }): Promise<unknown>
  }
  close(): Promise<void>
}

export interface OpenRequest {
  workspaceDir: string
  demo: boolean
}

export class CoreHost<C extends CoreLike> {
  private current: C | null = null
  private offBus: (() => void) | null = null
  private pending: Promise<C> | null = null
  private readonly listeners = new Set<(msg: StreamMessage) => void>()
  private closed = false

  constructor(
    private readonly factory: (req: OpenRequest) => Promise<C>,
    /** Closing the old core failed; the new one is already in use, so this is only reported. */
    private readonly onCloseError: (err: unknown) => void = () => {},
  ) {}

  /** The open core; waits while a switch is in progress. */
  async get(): Promise<C> {
    // A failed switch leaves the previous core in place; callers get that one.
    if (this.pending) await this.pending.catch(() => undefined)
    if (!this.current) throw new Error(this.closed ? 'Opdesk is shutting down' : 'No workspace is open')
    return this.current
  }

  /** Whether this core is the one in use (not one already swapped out or closed). */
  isCurrent(core: C): boolean {
    return this.current === core
  }

  get workspaceDir(): string | undefined {
    return this.current?.ws.dir
  }

  /**
   * Opens a workspace. The new core is created before the old one closes, so a folder that
   * cannot be opened (a newer schema, no permission) leaves the current workspace working.
   */
  open(req: OpenRequest): Promise<C> {
    const previous = this.pending ?? Promise.resolve(this.current)
    const next = previous
      .catch(() => this.current)
      .then(async (old) => {
        if (this.closed) throw new Error('Opdesk is shutting down')
        const core = await this.factory(req)
        this.offBus?.()
        this.current = core
        this.offBus = core.bus.subscribe((msg) => {
          for (const l of this.listeners) {
            try {
              l(msg)
            } catch {
              // A window that went away must not stop the others.
            }
          }
        })
        if (old && old !== core) await old.close().catch(this.onCloseError)
        return core
      })
    this.pending = next
    const clear = () => {
      if (this.pending === next) this.pending = null
    }
    next.then(clear, clear)
    return next
  }

  subscribe(listener: (msg: StreamMessage) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  async close(): Promise<void> {
    this.closed = true
    await this.pending?.catch(() => undefined)
    this.offBus?.()
    this.offBus = null
    const core = this.current
    this.current = null
    this.listeners.clear()
    await core?.close()
  }
}
