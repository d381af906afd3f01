// When a person is needed: an OS notification for each needs-you item (the same list, the
// same wording as the renderer's top bar and browser notifications), and a takeover window
// when a run starts waiting for MFA. The decisions live here, free of electron, so
// they are unit-tested; index.ts passes the real Notification and window calls.
import type { NeedsYouItem, StreamEvents, StreamMessage } from '../../shared/api'
import { needNotification } from '../../shared/wording'

export interface NotificationText {
  title: string
  body: string
}

export interface AttentionDeps {
  /** The needs-you list through the router (GET /api/needs-you); null when unavailable. */
  needsYou(): Promise<NeedsYouItem[] | null>
  notify(text: NotificationText, item: NeedsYouItem): void
  openTakeover(runId: string): void
}

const TERMINAL = new Set(['succeeded', 'failed', 'canceled', 'blocked', 'interrupted'])

export class Attention {
  /** Waits already shown (run@since): the list is read again on every status change. */
  private readonly notified = new Set<string>()
  /** Last status seen per run, so only the transition into waiting-mfa opens a window. */
  private readonly runStatus = new Map<string, string>()

  constructor(private readonly deps: AttentionDeps) {}

  async handle(msg: StreamMessage): Promise<void> {
    if (msg.type !== 'run.changed') return
    const { runId, status } = msg.data as StreamEvents['run.changed']
    const before = this.runStatus.get(runId)
    if (TERMINAL.has(status)) this.runStatus.delete(runId)
    else this.runStatus.set(runId, status)
    if (status === 'waiting-mfa' && before !== 'waiting-mfa') this.deps.openTakeover(runId)
    // A run entered a wait: whatever is new in the list gets one notification.
    if (!status.startsWith('waiting-')) return
    const items = await this.deps.needsYou()
    for (const item of items ?? []) {
      const key = `${item.runId}@${item.since}`
      if (this.notified.has(key)) continue
      this.notified.add(key)
      this.deps.notify(needNotification(item), item)
    }
  }

  /** A new workspace has other runs and alerts. */
  reset(): void {
    this.notified.clear()
    this.runStatus.clear()
  }
}

/** Reads a router answer for GET /api/needs-you defensively: the route may not exist yet. */
export function needsYouFromAnswer(answer: unknown): NeedsYouItem[] | null {
  const a = answer as { status?: number; body?: unknown }
  return a?.status === 200 && Array.isArray(a.body) ? (a.body as NeedsYouItem[]) : null
}
