import { describe, expect, it } from 'vitest'
import type { Alert } from '../../shared/domain'
import { alertsFromAnswer, Attention, notificationFor } from './attention'

const alert = (over: Partial<Alert> = {}): Alert => ({
  id: 'alr_1',
  kind: 'mfa-needed',
  runId: 'run_1',
  trackId: null,
  message: 'Export invoices waits for an MFA code',
  createdAt: '2026-11-23T10:00:00Z',
  ackedAt: null,
  ...over,
})

function setup(alerts: Alert[] | null) {
  const notes: string[] = []
  const takeovers: string[] = []
  const attention = new Attention({
    openAlerts: async () => alerts,
    notify: (text, a) => notes.push(`${a.id}:${text.title}`),
    openTakeover: (runId) => takeovers.push(runId),
  })
  return { attention, notes, takeovers }
}

describe('notificationFor', () => {
  it('notifies for MFA and approvals only, and not once acknowledged', () => {
    expect(notificationFor(alert())?.title).toMatch(/sign-in needed/)
    expect(notificationFor(alert({ kind: 'approval-needed' }))?.title).toMatch(/approval needed/)
    expect(notificationFor(alert({ kind: 'run-failed' }))).toBeNull()
    expect(notificationFor(alert({ kind: 'stale-wait' }))).toBeNull()
    expect(notificationFor(alert({ ackedAt: '2026-11-23T10:01:00Z' }))).toBeNull()
  })
})

describe('Attention', () => {
  it('shows each alert once', async () => {
    const { attention, notes } = setup([alert(), alert({ id: 'alr_2', kind: 'run-failed' })])
    await attention.handle({ type: 'alert.changed', data: { alertId: 'alr_1' } })
    await attention.handle({ type: 'alert.changed', data: { alertId: 'alr_1' } })
    await attention.handle({ type: 'alert.changed', data: { alertId: 'alr_2' } })
    await attention.handle({ type: 'alert.changed', data: { alertId: 'alr_missing' } })
    expect(notes).toEqual(['alr_1:Opdesk: sign-in needed'])
  })

  it('does nothing when the alerts route is unavailable', async () => {
    const { attention, notes } = setup(null)
    await attention.handle({ type: 'alert.changed', data: { alertId: 'alr_1' } })
    expect(notes).toEqual([])
  })

  it('opens a takeover on each entry into waiting-mfa, not on repeats', async () => {
    const { attention, takeovers } = setup([])
    const run = (status: string) =>
      attention.handle({ type: 'run.changed', data: { runId: 'run_1', status, trackId: null } })
    await run('running')
    await run('waiting-mfa')
    await run('waiting-mfa')
    await run('running')
    await run('waiting-mfa')
    await run('succeeded')
    expect(takeovers).toEqual(['run_1', 'run_1'])
  })

  it('reads router answers defensively', () => {
    expect(alertsFromAnswer({ status: 200, body: [alert()] })).toHaveLength(1)
    expect(alertsFromAnswer({ status: 404, body: { error: {} } })).toBeNull()
    expect(alertsFromAnswer(undefined)).toBeNull()
  })
})
