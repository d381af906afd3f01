import { describe, expect, it } from 'vitest'
import type { NeedsYouItem } from '../../shared/api'
import { Attention, needsYouFromAnswer } from './attention'

const item = (over: Partial<NeedsYouItem> = {}): NeedsYouItem => ({
  runId: 'run_1',
  status: 'waiting-mfa',
  need: 'mfa',
  action: 'take-over',
  since: '2026-11-23T10:00:00.000Z',
  reason: 'Sign-in needed: a one-time code at https://portal.example/mfa',
  title: 'Export invoices',
  kind: 'browser',
  trackId: null,
  trackTitle: null,
  stepId: null,
  stepTitle: null,
  approvalId: null,
  takeoverUrl: '/#/takeover/run_1',
  ...over,
})

function setup(list: () => NeedsYouItem[] | null) {
  const notes: string[] = []
  const takeovers: string[] = []
  const attention = new Attention({
    needsYou: async () => list(),
    notify: (text, i) => notes.push(`${i.runId}:${text.title}:${text.body}`),
    openTakeover: (runId) => takeovers.push(runId),
  })
  const run = (runId: string, status: string) => attention.handle({ type: 'run.changed', data: { runId, status, trackId: null } })
  return { attention, notes, takeovers, run }
}

describe('Attention', () => {
  it('notifies once for each needs-you item, with the same words as the renderer', async () => {
    let list = [item()]
    const { notes, run } = setup(() => list)
    await run('run_1', 'waiting-mfa')
    list = [item(), item({ runId: 'run_2', status: 'waiting-approval', need: 'approval', action: 'approve', reason: 'Pay it', title: 'Pay' })]
    await run('run_2', 'waiting-approval')
    await run('run_2', 'waiting-approval')
    expect(notes).toEqual([
      'run_1:Opdesk: sign-in needed:Export invoices: Sign-in needed: a one-time code at https://portal.example/mfa',
      'run_2:Opdesk: approval needed:Pay: Pay it',
    ])
  })

  it('notifies again when the same run waits a second time', async () => {
    let list = [item()]
    const { notes, run } = setup(() => list)
    await run('run_1', 'waiting-mfa')
    await run('run_1', 'running')
    list = [item({ since: '2026-11-23T10:05:00.000Z' })]
    await run('run_1', 'waiting-mfa')
    expect(notes).toHaveLength(2)
  })

  it('does nothing when the route is unavailable, and reads nothing on other changes', async () => {
    let calls = 0
    const { notes, run, attention } = setup(() => (calls++, null))
    await run('run_1', 'waiting-mfa')
    await run('run_1', 'running')
    await attention.handle({ type: 'alert.changed', data: { alertId: 'alr_1' } })
    expect(notes).toEqual([])
    expect(calls).toBe(1)
  })

  it('opens a takeover on each entry into waiting-mfa, not on repeats', async () => {
    const { takeovers, run } = setup(() => [])
    await run('run_1', 'running')
    await run('run_1', 'waiting-mfa')
    await run('run_1', 'waiting-mfa')
    await run('run_1', 'running')
    await run('run_1', 'waiting-mfa')
    await run('run_1', 'succeeded')
    expect(takeovers).toEqual(['run_1', 'run_1'])
  })

  it('reads router answers defensively', () => {
    expect(needsYouFromAnswer({ status: 200, body: [item()] })).toHaveLength(1)
    expect(needsYouFromAnswer({ status: 404, body: { error: {} } })).toBeNull()
    expect(needsYouFromAnswer(undefined)).toBeNull()
  })
})
