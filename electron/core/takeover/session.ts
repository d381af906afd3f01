// One takeover of one waiting run: streams the run's live page to the attached viewers
// and applies the lease holder's input to it. It follows popups (and returns to the
// opener when they close), hands JS dialogs and native selects to the person, and audits
// counts of input only. Nothing typed, pressed or shown is written anywhere.
import type { Dialog } from 'playwright-core'
import type { FrameMessage, Viewport } from '../../../shared/takeover'
import type { InputMessage, UpMessage } from '../../../shared/takeover-schema'
import type { Logger } from '../log'
import { countAs, InputAudit, isCommit } from './audit'
import { DialogBridge } from './dialogs'
import { InputQueue } from './input'
import { Lease } from './lease'
import { FramePacer } from './pacer'
import { PageFollower } from './follow'
import type { RawFrame, Screencast } from './screencast'
import { clickedSelect, probesSelect, SelectBridge } from './select'
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

export class TakeoverSession {
  readonly platform: 'mac' | 'other' = process.platform === 'darwin' ? 'mac' : 'other'
  private readonly opts: TakeoverOptions
  private readonly viewers = new Map<string, Viewer>()
  private readonly lease: Lease
  private readonly audit: InputAudit
  private readonly input: InputQueue
  private readonly dialogs: DialogBridge
  private readonly selects: SelectBridge
  private readonly pages: PageFollower
  private viewport: Viewport | null = null
  private lastFrame: FrameMessage | null = null
  private frameSeq = 0
  private readonly pacing: FramePacer
  private sweep: NodeJS.Timeout | null = null
  private announcedBy: string | null = null
  private stopped = false

  constructor(
    readonly runId: string,
    private readonly live: LivePage,
    private readonly deps: SessionDeps,
  ) {
    this.opts = { ...DEFAULT_OPTIONS, ...deps.options }
    this.lease = new Lease(this.opts.leaseTtlMs)
    this.pacing = new FramePacer(this.opts.ackTimeoutMs)
    this.audit = new InputAudit(deps.onAudit, this.opts.auditEveryMs)
    this.input = new InputQueue(
      () =>
        this.cast && this.viewport ? { send: (m, p) => this.cast!.send(m, p), viewport: () => this.viewport } : null,
      this.platform,
      (err) =>
        this.deps.log?.warn('takeover input failed', {
          runId,
          error: err instanceof Error ? err.message : String(err),
        }),
    )
    this.dialogs = new DialogBridge((dialog) => this.broadcast({ type: 'dialog', dialog }))
    this.selects = new SelectBridge((select) => this.toHolder({ type: 'select', select }))
    this.pages = new PageFollower(
      live,
      this.opts,
      {
        leaving: async () => {
          this.ackAll()
          this.input.reset()
          await this.selects.clear()
        },
        shown: (_cast, viewport) => {
          this.viewport = viewport
        },
        frame: (cast, raw) => this.onFrame(cast, raw),
        changed: () => this.deps.onStatus(),
      },
      deps.log,
    )
  }

  private get cast(): Screencast | null {
    return this.pages.cast
  }

  get active(): boolean {
    return !this.stopped
  }

  async start(): Promise<void> {
    this.live.onDialog((d: Dialog) => this.dialogs.open(d))
    this.sweep = setInterval(() => {
      if (this.lease.expire()) this.leaseChanged()
    }, 5_000)
    this.sweep.unref?.()
    await this.pages.start()
  }

  state(): SessionState {
    const page = this.cast?.page
    const holder = this.lease.holder
    return {
      url: page && !page.isClosed() ? page.url() : null,
      title: this.pages.title,
      lease: holder?.viewerId ?? null,
      leaseBy: holder?.by ?? null,
      popup: this.pages.popup,
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
        if (this.dialogs.current)
          return v.send({ type: 'error', code: 'input-failed', message: 'Answer the dialog first' })
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
    this.audit.flush()
    this.ackAll()
    // Before any await: a session started for the run's next wait must keep its own handler.
    this.live.onDialog(null)
    await this.dialogs.close()
    await this.selects.clear()
    await this.pages.stop()
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
    v.send({
      type: 'error',
      code: 'no-lease',
      message: holder ? `${holder.by} has control of this page` : 'Take control first',
    })
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
    const msg: FrameMessage = {
      type: 'frame',
      frameId: ++this.frameSeq,
      data: raw.data,
      meta: raw.meta,
      viewport: this.viewport!,
    }
    this.lastFrame = msg
    for (const v of this.viewers.values()) v.send(msg)
    if (!this.pacer()) return cast.ack(raw.ackId)
    this.pacing.hold(msg.frameId, raw.ackId, cast)
  }

  private ackUpTo(frameId: number): void {
    this.pacing.ackUpTo(frameId)
  }

  private ackAll(): void {
    this.pacing.ackAll()
  }

  // ── selects ────────────────────────────────────────────────────────────

  private async probeSelect(msg: InputMessage): Promise<void> {
    const cast = this.cast
    if (!cast || this.stopped) return
    const found = await clickedSelect(cast, msg, this.viewport)
    if (found && this.cast === cast && !this.stopped) this.selects.show(found)
    else await found?.handle.dispose()
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
    v.send({
      type: 'error',
      code: 'input-failed',
      message: err instanceof Error ? err.message.split('\n')[0]! : 'Input failed',
    })
  }
}
