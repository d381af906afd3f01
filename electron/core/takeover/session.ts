// One takeover of one waiting run: streams the run's live page to the attached viewers
// and applies the lease holder's input to it. It follows popups (and returns to the
// opener when they close), hands JS dialogs and native selects to the person, and audits
// counts of input only. Nothing typed, pressed or shown is written anywhere.
import type { Dialog, Frame, Page } from 'playwright-core'
import type { FrameMessage, UpMessage, Viewport } from '../../../shared/takeover'
import type { Logger } from '../log'
import { InputAudit, type InputKind } from './audit'
import { DialogBridge } from './dialogs'
import { InputQueue } from './input'
import { Lease } from './lease'
import { Screencast, type RawFrame } from './screencast'
import { focusedSelect, SelectBridge } from './select'
import { DEFAULT_OPTIONS, type AuditFn, type LivePage, type TakeoverOptions, type Viewer } from './types'

export interface SessionState {
  url: string | null
  title: string | null
  lease: string | null
  leaseBy: string | null
  popup: boolean
  viewport: Viewport | null
}

export interface SessionDeps {
  onAudit: AuditFn
  /** Something in SessionState changed: the hub re-sends status to every viewer. */
  onStatus: () => void
  options?: Partial<TakeoverOptions>
  log?: Logger
}

/** Keys that open a focused select's (invisible) popup. */
const SELECT_OPENERS = new Set([' ', 'F4'])

export class TakeoverSession {
  readonly platform: 'mac' | 'other' = process.platform === 'darwin' ? 'mac' : 'other'
  private readonly opts: TakeoverOptions
  private readonly viewers = new Map<string, Viewer>()
  private readonly lease: Lease
  private readonly audit: InputAudit
  private readonly input: InputQueue
  private readonly dialogs: DialogBridge
  private readonly selects: SelectBridge
  private cast: Screencast | null = null
  private viewport: Viewport | null = null
  private title: string | null = null
  /** Pages followed, oldest first; the last open one is shown. */
  private trail: Page[] = []
  private lastFrame: FrameMessage | null = null
  private frameSeq = 0
  private unacked: { frameId: number; ackId: number; cast: Screencast }[] = []
  private ackTimer: NodeJS.Timeout | null = null
  private sweep: NodeJS.Timeout | null = null
  private switching: Promise<void> = Promise.resolve()
  private offs: (() => void)[] = []
  private announcedBy: string | null = null
  private readonly watched = new WeakSet<Page>()
  private stopped = false

  constructor(
    readonly runId: string,
    private readonly live: LivePage,
    private readonly deps: SessionDeps,
  ) {
    this.opts = { ...DEFAULT_OPTIONS, ...deps.options }
    this.lease = new Lease(this.opts.leaseTtlMs)
    this.audit = new InputAudit(deps.onAudit, this.opts.auditEveryMs)
    this.input = new InputQueue(
      () => (this.cast && this.viewport ? { send: (m, p) => this.cast!.send(m, p), viewport: () => this.viewport } : null),
      this.platform,
      (err) => this.deps.log?.warn('takeover input failed', { runId, error: err instanceof Error ? err.message : String(err) }),
    )
    this.dialogs = new DialogBridge((dialog) => this.broadcast({ type: 'dialog', dialog }))
    this.selects = new SelectBridge((select) => this.toHolder({ type: 'select', select }))
  }

  get active(): boolean {
    return !this.stopped
  }

  async start(): Promise<void> {
    const { context } = this.live
    this.live.onDialog((d: Dialog) => this.dialogs.open(d))
    const onPage = (p: Page) => void this.follow(p)
    context.on('page', onPage)
    this.offs.push(() => context.off('page', onPage))
    if (this.live.onPageChange) this.offs.push(this.live.onPageChange((p) => void this.follow(p)))
    this.sweep = setInterval(() => {
      if (this.lease.expire()) this.leaseChanged()
    }, 5_000)
    this.sweep.unref?.()
    await this.follow(this.live.page)
  }

  state(): SessionState {
    const page = this.cast?.page
    const holder = this.lease.holder
    return {
      url: page && !page.isClosed() ? page.url() : null,
      title: this.title,
      lease: holder?.viewerId ?? null,
      leaseBy: holder?.by ?? null,
      // pages() lists the run's own page first; anything else on screen is a popup.
      popup: !!page && page !== this.live.pages()[0],
      viewport: this.viewport,
    }
  }

  addViewer(v: Viewer): void {
    this.viewers.set(v.id, v)
    // A page that does not change sends no frames: the newcomer gets the last one now.
    if (this.lastFrame) v.send(this.lastFrame)
    if (this.dialogs.current) v.send({ type: 'dialog', dialog: this.dialogs.current })
  }

  removeViewer(id: string): void {
    if (!this.viewers.delete(id)) return
    if (this.lease.release(id)) this.leaseChanged()
    else this.ackAll() // the pacing viewer may have been this one
  }

  handle(v: Viewer, msg: UpMessage): void {
    if (this.stopped) return
    switch (msg.type) {
      case 'ack':
        if (this.pacer() === v.id) this.ackUpTo(msg.frameId)
        return
      case 'lease':
        return msg.want ? this.requestLease(v) : void (this.lease.release(v.id) && this.leaseChanged())
      case 'dialog-answer':
        if (!this.mayAct(v)) return
        this.audit.note('dialog', v.id, true)
        void this.dialogs.answer(msg.id, msg.accept, msg.text)
        return
      case 'select-answer':
        if (!this.mayAct(v)) return
        if (msg.values) this.audit.note('select', v.id, true)
        this.selects.answer(msg.id, msg.values).catch((err: unknown) => this.fail(v, err))
        return
      default: {
        if (msg.type === 'mouse' && msg.action === 'move' && !this.lease.holds(v.id)) return // watchers hover
        if (!this.mayAct(v)) return
        if (this.dialogs.current) return v.send({ type: 'error', code: 'input-failed', message: 'Answer the dialog first' })
        const kind = countAs(msg)
        if (kind) this.audit.note(kind, v.id, isCommit(msg))
        // The probe runs beside the queue: a click that navigates must not hold up the next keys.
        this.input.push(msg, probesSelect(msg) ? () => void this.probeSelect(msg).catch(() => {}) : undefined)
      }
    }
  }

  flushAudit(): void {
    this.audit.flush()
  }

  /** Waits for queued input to reach the page (tests, benchmarks). */
  idle(): Promise<void> {
    return this.input.idle()
  }

  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    if (this.sweep) clearInterval(this.sweep)
    for (const off of this.offs.splice(0)) off()
    this.audit.flush()
    this.ackAll()
    await this.dialogs.close()
    this.live.onDialog(null)
    await this.selects.clear()
    await this.switching.catch(() => {})
    await this.cast?.stop()
    this.cast = null
    this.viewers.clear()
    this.lastFrame = null
  }

  // ── lease ──────────────────────────────────────────────────────────────

  private requestLease(v: Viewer): void {
    const answer = this.lease.request(v.id, v.by)
    if (!answer.ok) {
      v.send({ type: 'error', code: 'lease-held', message: `${answer.holder.by} has control of this page` })
      return
    }
    if (!answer.changed) return
    if (this.announcedBy !== v.by) {
      // One takeover.started per person taking over (a handoff names the next one).
      this.audit.flush()
      this.announcedBy = v.by
      this.deps.onAudit('takeover.started', { by: v.by, at: new Date().toISOString(), viewer: v.id })
    }
    this.leaseChanged()
    if (this.selects.current) v.send({ type: 'select', select: this.selects.current })
  }

  private mayAct(v: Viewer): boolean {
    if (this.lease.holds(v.id)) {
      this.lease.touch(v.id)
      return true
    }
    const holder = this.lease.holder
    v.send({ type: 'error', code: 'no-lease', message: holder ? `${holder.by} has control of this page` : 'Take control first' })
    return false
  }

  private leaseChanged(): void {
    this.audit.flush()
    this.ackAll()
    this.deps.onStatus()
  }

  // ── frames ─────────────────────────────────────────────────────────────

  /** Whose acks pace the stream: the controller, else the first watcher. */
  private pacer(): string | null {
    const holder = this.lease.holder?.viewerId
    if (holder && this.viewers.has(holder)) return holder
    return this.viewers.keys().next().value ?? null
  }

  private onFrame(cast: Screencast, raw: RawFrame): void {
    if (this.stopped || cast !== this.cast) return cast.ack(raw.ackId)
    if (!cast.page.viewportSize()) this.viewport = { width: raw.meta.deviceWidth, height: raw.meta.deviceHeight }
    const msg: FrameMessage = { type: 'frame', frameId: ++this.frameSeq, data: raw.data, meta: raw.meta, viewport: this.viewport! }
    this.lastFrame = msg
    for (const v of this.viewers.values()) v.send(msg)
    if (!this.pacer()) return cast.ack(raw.ackId)
    this.unacked.push({ frameId: msg.frameId, ackId: raw.ackId, cast })
    // A viewer that never answers (hidden tab, broken client) must not freeze the stream.
    this.ackTimer ??= setTimeout(() => this.ackAll(), this.opts.ackTimeoutMs)
  }

  private ackUpTo(frameId: number): void {
    const done = this.unacked.filter((u) => u.frameId <= frameId)
    this.unacked = this.unacked.filter((u) => u.frameId > frameId)
    for (const u of done) u.cast.ack(u.ackId)
    if (this.unacked.length === 0 && this.ackTimer) {
      clearTimeout(this.ackTimer)
      this.ackTimer = null
    }
  }

  private ackAll(): void {
    this.ackUpTo(Number.MAX_SAFE_INTEGER)
  }

  // ── pages ──────────────────────────────────────────────────────────────

  private follow(page: Page): Promise<void> {
    this.switching = this.switching
      .then(() => this.switchTo(page))
      .catch((err: unknown) => this.deps.log?.warn('takeover could not follow a page', { runId: this.runId, error: String(err) }))
    return this.switching
  }

  private async switchTo(page: Page): Promise<void> {
    if (this.stopped || page.isClosed() || this.cast?.page === page) return
    this.trail = [...this.trail.filter((p) => p !== page && !p.isClosed()), page]
    const old = this.cast
    this.cast = null
    this.ackAll()
    this.input.reset()
    await this.selects.clear()
    await old?.stop()
    const cast = await Screencast.open(this.live.context, page)
    if (this.stopped || page.isClosed()) return void (await cast.stop())
    this.cast = cast
    this.viewport = await cast.viewport()
    this.title = null
    this.watch(page)
    await cast.begin(this.opts, (f) => this.onFrame(cast, f))
    this.deps.onStatus()
    void this.refreshTitle(page)
  }

  private watch(page: Page): void {
    if (this.watched.has(page)) return
    this.watched.add(page)
    const onNav = (frame: Frame) => {
      if (frame !== page.mainFrame() || this.cast?.page !== page) return
      this.deps.onStatus()
      void this.refreshTitle(page)
    }
    const onClose = () => {
      this.trail = this.trail.filter((p) => p !== page && !p.isClosed())
      if (this.cast?.page !== page) return
      // A popup that closes hands the view back to the page that opened it.
      const back = this.trail.at(-1) ?? (this.live.page.isClosed() ? this.live.pages().find((p) => !p.isClosed()) : this.live.page)
      if (back) void this.follow(back)
    }
    page.on('framenavigated', onNav)
    page.once('close', onClose)
    this.offs.push(() => {
      page.off('framenavigated', onNav)
      page.off('close', onClose)
    })
  }

  private async refreshTitle(page: Page): Promise<void> {
    const title = await Promise.race([page.title(), new Promise<null>((r) => setTimeout(() => r(null), 1_000))]).catch(() => null)
    if (title !== null && this.cast?.page === page && title !== this.title) {
      this.title = title
      this.deps.onStatus()
    }
  }

  // ── selects ────────────────────────────────────────────────────────────

  private async probeSelect(msg: UpMessage): Promise<void> {
    const cast = this.cast
    if (!cast || this.stopped) return
    const found = await focusedSelect(cast.page)
    if (!found) return
    if (msg.type === 'mouse') {
      // Only a click on the select itself opened its popup (focus may linger after a click elsewhere).
      const box = await found.handle.boundingBox().catch(() => null)
      const vp = this.viewport
      const x = msg.fx * (vp?.width ?? 0)
      const y = msg.fy * (vp?.height ?? 0)
      if (!box || x < box.x || x > box.x + box.width || y < box.y || y > box.y + box.height) return void (await found.handle.dispose())
    }
    // The popup Chromium opened is invisible in the screencast and would swallow keys: close it.
    for (const type of ['rawKeyDown', 'keyUp']) {
      await cast.send('Input.dispatchKeyEvent', { type, key: 'Escape', code: 'Escape', windowsVirtualKeyCode: 27, nativeVirtualKeyCode: 27 })
    }
    this.selects.show(found)
  }

  // ── viewers ────────────────────────────────────────────────────────────

  private broadcast(msg: Parameters<Viewer['send']>[0]): void {
    for (const v of this.viewers.values()) v.send(msg)
  }

  private toHolder(msg: Parameters<Viewer['send']>[0]): void {
    const holder = this.lease.holder
    if (holder) this.viewers.get(holder.viewerId)?.send(msg)
  }

  private fail(v: Viewer, err: unknown): void {
    v.send({ type: 'error', code: 'input-failed', message: err instanceof Error ? err.message.split('\n')[0]! : 'Input failed' })
  }
}

function countAs(msg: UpMessage): InputKind | null {
  switch (msg.type) {
    case 'mouse':
      return msg.action === 'down' ? 'mouse' : null
    case 'key':
      return msg.action === 'down' ? 'keys' : null
    case 'wheel':
    case 'text':
    case 'paste':
      return msg.type
    default:
      return null
  }
}

/** Inputs that usually submit a prompt: flush the counts before the engine moves on. */
function isCommit(msg: UpMessage): boolean {
  return (msg.type === 'mouse' && msg.action === 'up') || (msg.type === 'key' && msg.action === 'down' && msg.key === 'Enter') || msg.type === 'paste'
}

function probesSelect(msg: UpMessage): boolean {
  if (msg.type === 'mouse') return msg.action === 'up' && msg.button === 'left'
  if (msg.type === 'key' && msg.action === 'down') return SELECT_OPENERS.has(msg.key) || (msg.modifiers === 1 && (msg.key === 'ArrowDown' || msg.key === 'ArrowUp'))
  return false
}
