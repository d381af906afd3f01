// The core process's side of shared/core-process.ts: opens the core for one workspace and
// answers the parent's messages. Everything here is plain Node, so vitest and the bench run
// it in a forked child exactly as Electron runs it in a utilityProcess.
import type { CipherOp, FromCore, OpenWorkspace } from '../../shared/core-process'
import { createCore, type Core, type CoreOptions } from '../core/core'
import { localOperatorName } from '../core/identity'
import type { Logger } from '../core/log'
import type { ViewerHandle } from '../core/takeover/types'
import type { ParentPort } from './port'
import { remoteCipher } from './remote-cipher'
import { splitFrame } from './frames'

export interface ServeOptions {
  log: Logger
  /** Test seam for options the parent does not send (a clock, a sandbox status). */
  coreOptions?: Partial<CoreOptions>
  /** Called after the core closed because the parent asked or went away. */
  onClosed?: () => void
}

export function serveCore(port: ParentPort, opts: ServeOptions): void {
  let core: Core | null = null
  let offBus: (() => void) | null = null
  const viewers = new Map<string, ViewerHandle>()
  const cipherCalls = new Map<number, { resolve(b: ArrayBuffer): void; reject(e: Error): void }>()
  let nextCipherId = 1

  const post = (msg: FromCore, transfer?: ArrayBuffer[]) => port.post(msg, transfer)
  const reply = (id: number, work: () => Promise<unknown>) => {
    work().then(
      (value) => post({ t: 'reply', id, ok: true, value }),
      (err: unknown) => post({ t: 'reply', id, ok: false, error: err instanceof Error ? err.message : String(err) }),
    )
  }
  const askParent = (op: CipherOp, data: ArrayBuffer) =>
    new Promise<ArrayBuffer>((resolve, reject) => {
      const id = nextCipherId++
      cipherCalls.set(id, { resolve, reject })
      post({ t: 'cipher', id, op, data }, [data])
    })
  const opened = (): Core => {
    if (!core) throw new Error('No workspace is open')
    return core
  }

  async function open(req: OpenWorkspace) {
    if (core) throw new Error('This core process already holds a workspace; start another for a second one')
    const c = await createCore({
      workspaceDir: req.workspaceDir,
      demo: req.demo,
      migrationsDir: req.migrationsDir,
      nativeBinding: req.nativeBinding,
      log: opts.log,
      ...(req.remoteCipher
        ? {
            cipher: remoteCipher(askParent, (err) =>
              opts.log.warn('a secret could not be opened', { error: String(err) }),
            ),
          }
        : {}),
      ...opts.coreOptions,
    })
    core = c
    offBus = c.bus.subscribe((msg) => post({ t: 'bus', msg }))
    return { dir: c.ws.dir, pid: process.pid }
  }

  async function close() {
    for (const v of viewers.values()) v.detach()
    viewers.clear()
    offBus?.()
    const c = core
    core = null
    await c?.close()
    opts.onClosed?.()
  }

  function attach(viewerId: string, runId: string) {
    const c = opened()
    if (viewers.has(viewerId)) throw new Error('That viewer is already attached')
    const handle = c.takeover.attach(runId, {
      id: viewerId,
      // The audit trail names the desktop user (Settings' display name, else the OS user).
      by: localOperatorName(c.ws),
      send: (msg) => {
        if (msg.type !== 'frame') return post({ t: 'takeover-down', viewerId, msg })
        const { frame, jpeg } = splitFrame(msg)
        post({ t: 'takeover-frame', viewerId, frame, jpeg }, [jpeg])
      },
    })
    viewers.set(viewerId, handle)
    return { viewerId }
  }

  port.onMessage((msg) => {
    switch (msg.t) {
      case 'open':
        return reply(msg.id, () => open(msg.req))
      case 'close':
        return reply(msg.id, close)
      case 'api':
        return reply(msg.id, () => opened().router.handle(msg.req))
      case 'takeover-attach':
        return reply(msg.id, async () => attach(msg.viewerId, msg.runId))
      case 'takeover-up':
        return viewers.get(msg.viewerId)?.handle(msg.msg)
      case 'takeover-detach': {
        viewers.get(msg.viewerId)?.detach()
        viewers.delete(msg.viewerId)
        return
      }
      case 'cipher-reply': {
        const call = cipherCalls.get(msg.id)
        cipherCalls.delete(msg.id)
        if (msg.ok) call?.resolve(msg.data)
        else call?.reject(new Error(msg.error))
        return
      }
    }
  })
  port.onGone(() => {
    close().catch((err: unknown) => opts.log.error('closing the workspace failed', { error: String(err) }))
  })
}
