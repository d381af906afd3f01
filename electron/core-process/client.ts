// The parent's side of shared/core-process.ts: a core running in another process, shaped
// like the slice of Core the shells use (CoreLike in electron/main/core-host.ts), so Electron
// main relays to it as it did to an in-process core. The transport is injected: Electron's
// utilityProcess in main, child_process.fork in tests and the bench.
import type { StreamMessage } from '../../shared/api'
import {
  ownBuffer,
  type CoreApiRequest,
  type CoreApiResponse,
  type FromCore,
  type OpenedWorkspace,
  type OpenWorkspace,
  type ToCore,
} from '../../shared/core-process'
import type { DownMessage } from '../../shared/takeover'
import type { SecretCipher } from '../core/secrets/cipher'
import { joinFrame } from './frames'

export interface CoreTransport {
  post(msg: ToCore): void
  onMessage(listener: (msg: FromCore) => void): void
  /** The process ended, for whatever reason (null code: killed by a signal). */
  onExit(listener: (code: number | null) => void): void
  kill(): void
}

export interface RemoteViewer {
  id: string
  send(msg: DownMessage): void
}
export interface RemoteViewerHandle {
  handle(msg: unknown): void
  detach(): void
}

export interface RemoteCoreOptions {
  /** Seals and opens secrets for the core (Electron safeStorage); without it the core uses its own key file. */
  cipher?: SecretCipher
}

export class CoreProcessGone extends Error {
  override name = 'CoreProcessGone'
}

export class RemoteCore {
  readonly ws: { dir: string }
  readonly bus = { subscribe: (l: (msg: StreamMessage) => void) => this.subscribe(l) }
  readonly router = { handle: (req: CoreApiRequest) => this.call<CoreApiResponse>({ t: 'api', req }) }
  readonly takeover = { attach: (runId: string, viewer: RemoteViewer) => this.attach(runId, viewer) }
  /** The pid the core runs in: another process's, except in a worker thread (tests). */
  readonly pid: number

  private constructor(
    private readonly link: Link,
    opened: OpenedWorkspace,
  ) {
    this.ws = { dir: opened.dir }
    this.pid = opened.pid
  }

  /** Starts nothing itself: `transport` is a freshly started core process; this opens the workspace in it. */
  static async open(transport: CoreTransport, req: OpenWorkspace, opts: RemoteCoreOptions = {}): Promise<RemoteCore> {
    const link = new Link(transport, opts.cipher)
    try {
      const opened = await link.call<OpenedWorkspace>({ t: 'open', req: { ...req, remoteCipher: !!opts.cipher } })
      return new RemoteCore(link, opened)
    } catch (err) {
      transport.kill()
      throw err
    }
  }

  /** False once the process ended or is being closed. */
  get alive(): boolean {
    return this.link.exitCode === undefined && !this.link.closing
  }

  /** Called once if the process ends without close() (a crash, an OOM kill). */
  onUnexpectedExit(listener: (code: number | null) => void): void {
    this.link.unexpectedExit.push(listener)
  }

  async close(): Promise<void> {
    if (this.link.exitCode !== undefined) return
    this.link.closing = true
    try {
      await this.call({ t: 'close' })
    } finally {
      this.link.transport.kill()
    }
  }

  private call<T>(msg: DistributiveOmit<ToCore & { id: number }, 'id'>): Promise<T> {
    return this.link.call<T>(msg)
  }

  private subscribe(listener: (msg: StreamMessage) => void): () => void {
    this.link.busListeners.add(listener)
    return () => this.link.busListeners.delete(listener)
  }

  private async attach(runId: string, viewer: RemoteViewer): Promise<RemoteViewerHandle> {
    this.link.viewers.set(viewer.id, viewer)
    try {
      await this.call({ t: 'takeover-attach', viewerId: viewer.id, runId })
    } catch (err) {
      this.link.viewers.delete(viewer.id)
      throw err
    }
    let detached = false
    return {
      handle: (msg) => {
        if (!detached) this.link.post({ t: 'takeover-up', viewerId: viewer.id, msg })
      },
      detach: () => {
        if (detached) return
        detached = true
        this.link.viewers.delete(viewer.id)
        this.link.post({ t: 'takeover-detach', viewerId: viewer.id })
      },
    }
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

/** The message plumbing of one core process: pending calls, listeners, the cipher service. */
class Link {
  private nextId = 1
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  readonly busListeners = new Set<(msg: StreamMessage) => void>()
  readonly viewers = new Map<string, RemoteViewer>()
  readonly unexpectedExit: ((code: number | null) => void)[] = []
  exitCode: number | null | undefined = undefined
  closing = false

  constructor(
    readonly transport: CoreTransport,
    private readonly cipher: SecretCipher | undefined,
  ) {
    transport.onMessage((msg) => this.receive(msg))
    transport.onExit((code) => this.exited(code))
  }

  post(msg: ToCore): void {
    if (this.exitCode === undefined) this.transport.post(msg)
  }

  call<T>(msg: DistributiveOmit<ToCore & { id: number }, 'id'>): Promise<T> {
    if (this.exitCode !== undefined) return Promise.reject(new CoreProcessGone(this.goneMessage()))
    const id = this.nextId++
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.transport.post({ ...msg, id } as ToCore)
    })
  }

  private receive(msg: FromCore): void {
    switch (msg.t) {
      case 'reply': {
        const p = this.pending.get(msg.id)
        this.pending.delete(msg.id)
        if (msg.ok) p?.resolve(msg.value)
        else p?.reject(new Error(msg.error))
        return
      }
      case 'bus':
        for (const l of this.busListeners) {
          try {
            l(msg.msg)
          } catch {
            // A window that went away must not stop the others.
          }
        }
        return
      case 'takeover-down':
        return this.viewers.get(msg.viewerId)?.send(msg.msg)
      case 'takeover-frame':
        return this.viewers.get(msg.viewerId)?.send(joinFrame(msg.frame, msg.jpeg))
      case 'cipher':
        return this.seal(msg.id, msg.op, msg.data)
    }
  }

  private seal(id: number, op: 'encrypt' | 'decrypt', data: ArrayBuffer): void {
    void (async () => {
      if (!this.cipher) throw new Error('No keychain cipher was given to this core')
      const input = Buffer.from(data)
      const out = op === 'encrypt' ? await this.cipher.encrypt(input) : this.cipher.decrypt(input)
      return ownBuffer(out)
    })().then(
      (result) => this.post({ t: 'cipher-reply', id, ok: true, data: result }),
      (err: unknown) =>
        this.post({ t: 'cipher-reply', id, ok: false, error: err instanceof Error ? err.message : String(err) }),
    )
  }

  private goneMessage(): string {
    return `The Opdesk core process stopped${this.exitCode === null ? '' : ` (exit code ${this.exitCode})`}`
  }

  private exited(code: number | null): void {
    if (this.exitCode !== undefined) return
    this.exitCode = code
    const err = new CoreProcessGone(this.goneMessage())
    for (const p of this.pending.values()) p.reject(err)
    this.pending.clear()
    for (const v of this.viewers.values()) v.send({ type: 'error', code: 'unavailable', message: err.message })
    this.viewers.clear()
    if (!this.closing) for (const l of this.unexpectedExit) l(code)
  }
}
