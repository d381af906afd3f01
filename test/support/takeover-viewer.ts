// Test helpers: a LivePage over a plain Playwright page (no engine), and a viewer that
// records what it is sent and can wait for a message.
import type { BrowserContext, Dialog, Page } from 'playwright-core'
import type { DownMessage } from '../../shared/takeover'
import { UpMessage, type UpMessageIn } from '../../shared/takeover-schema'
import type { LivePage, Viewer, ViewerHandle } from '../../electron/core/takeover/types'

/** What the engine's LivePages entry does, for one context: dialogs dismissed unless taken over. */
export function livePageFor(context: BrowserContext, page: Page): LivePage {
  let handler: ((d: Dialog) => void) | null = null
  const onDialog = (d: Dialog) => (handler ? handler(d) : void d.dismiss().catch(() => {}))
  const hook = (p: Page) => p.on('dialog', onDialog)
  for (const p of context.pages()) hook(p)
  context.on('page', hook)
  return {
    page,
    context,
    pages: () => context.pages(),
    onDialog: (h) => {
      handler = h
    },
  }
}

type Msg<T extends DownMessage['type']> = Extract<DownMessage, { type: T }>

export class TestViewer implements Viewer {
  readonly messages: DownMessage[] = []
  handle: ViewerHandle | null = null
  private waiters: { test: (m: DownMessage) => boolean; resolve: (m: DownMessage) => void }[] = []

  constructor(
    readonly id: string,
    readonly by: string,
    /** Acknowledge frames as soon as they arrive (a viewer that paints instantly). */
    public autoAck = true,
  ) {}

  send(msg: DownMessage): void {
    this.messages.push(msg)
    if (msg.type === 'frame' && this.autoAck)
      queueMicrotask(() => this.handle?.handle({ type: 'ack', frameId: msg.frameId }))
    for (const w of [...this.waiters]) {
      if (w.test(msg)) {
        this.waiters.splice(this.waiters.indexOf(w), 1)
        w.resolve(msg)
      }
    }
  }

  /** Sends a message as the view would; defaults are filled in by the schema. */
  up(msg: UpMessageIn): void {
    this.handle!.handle(UpMessage.parse(msg))
  }

  /** The next message of this type that passes `test`, including one already received when `past`. */
  next<T extends DownMessage['type']>(
    type: T,
    test: (m: Msg<T>) => boolean = () => true,
    opts: { timeoutMs?: number; past?: boolean } = {},
  ): Promise<Msg<T>> {
    const match = (m: DownMessage): boolean => m.type === type && test(m as Msg<T>)
    if (opts.past) {
      const seen = this.messages.find(match)
      if (seen) return Promise.resolve(seen as Msg<T>)
    }
    return new Promise((resolve, reject) => {
      const waiter = { test: match, resolve: (m: DownMessage) => (clearTimeout(timer), resolve(m as Msg<T>)) }
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1)
        reject(new Error(`viewer ${this.id}: no ${type} message within ${opts.timeoutMs ?? 10_000} ms`))
      }, opts.timeoutMs ?? 10_000)
      this.waiters.push(waiter)
    })
  }

  last<T extends DownMessage['type']>(type: T): Msg<T> | undefined {
    return this.messages.findLast((m) => m.type === type) as Msg<T> | undefined
  }

  count(type: DownMessage['type']): number {
    return this.messages.filter((m) => m.type === type).length
  }
}
