// When a person is needed: an OS notification for MFA and approval alerts, and a takeover
// window when a run starts waiting for MFA. The decisions live here, free of electron, so
// they are unit-tested; index.ts passes the real Notification and window calls.
import type { StreamEvents, StreamMessage } from '../../shared/api'
import type { Alert } from '../../shared/domain'

export interface NotificationText {
  title: string
  body: string
}

export function notificationFor(alert: Alert): NotificationText | null {
  if (alert.ackedAt) return null
  if (alert.kind === 'mfa-needed') return { title: 'Opdesk: sign-in needed', body: alert.message }
  if (alert.kind === 'approval-needed') return { title: 'Opdesk: approval needed', body: alert.message }
  return null
}

export interface AttentionDeps {
  /** Open alerts through the router (GET /api/alerts?open=true); null when unavailable. */
  openAlerts(): Promise<Alert[] | null>
  notify(text: NotificationText, alert: Alert): void
  openTakeover(runId: string): void
}

const TERMINAL = new Set(['succeeded', 'failed', 'canceled', 'blocked', 'interrupted'])

export class Attention {
  /** Alerts already shown: alert.changed fires again on ack and other edits. */
  private readonly notified = new Set<string>()
  /** Last status seen per run, so only the transition into waiting-mfa opens a window. */
  private readonly runStatus = new Map<string, string>()

  constructor(private readonly deps: AttentionDeps) {}

  async handle(msg: StreamMessage): Promise<void> {
    if (msg.type === 'alert.changed') {
      const { alertId } = msg.data as StreamEvents['alert.changed']
      if (this.notified.has(alertId)) return
      const alerts = await this.deps.openAlerts()
      const alert = alerts?.find((a) => a.id === alertId)
      const text = alert && notificationFor(alert)
      if (!alert || !text || this.notified.has(alertId)) return
      this.notified.add(alertId)
      this.deps.notify(text, alert)
    } else if (msg.type === 'run.changed') {
      const { runId, status } = msg.data as StreamEvents['run.changed']
      const before = this.runStatus.get(runId)
      if (TERMINAL.has(status)) this.runStatus.delete(runId)
      else this.runStatus.set(runId, status)
      if (status === 'waiting-mfa' && before !== 'waiting-mfa') this.deps.openTakeover(runId)
    }
  }

  /** A new workspace has other runs and alerts. */
  reset(): void {
    this.notified.clear()
    this.runStatus.clear()
  }
}

/** Reads a router answer for GET /api/alerts defensively: the route may not exist yet. */
export function alertsFromAnswer(answer: unknown): Alert[] | null {
  const a = answer as { status?: number; body?: unknown }
  return a?.status === 200 && Array.isArray(a.body) ? (a.body as Alert[]) : null
}
