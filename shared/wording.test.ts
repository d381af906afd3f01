import { describe, expect, it } from 'vitest'
import type { NeedsYouItem } from './api'
import { RUN_STATUSES } from './domain'
import { needActionLabel, needNotification, resumeRefusal, runStatusSentence } from './wording'

describe('runStatusSentence', () => {
  it('reads as English for every status (no "The run is succeeded")', () => {
    expect(runStatusSentence('succeeded')).toBe('The run succeeded')
    expect(runStatusSentence('failed')).toBe('The run failed')
    expect(runStatusSentence('canceled')).toBe('The run was canceled')
    for (const s of RUN_STATUSES) {
      expect(runStatusSentence(s)).not.toMatch(/is (succeeded|failed|canceled|interrupted|blocked|waiting-)/)
    }
  })
})

describe('resumeRefusal', () => {
  const server = 'The page still shows the sign-in prompt (until: url **/done not reached)'
  it('says the server message once, whatever it ends with, and keeps its closing parenthesis', () => {
    for (const m of [server, `${server}.`, `${server}. `]) {
      const text = resumeRefusal(m, { canForce: true })
      expect(text).toBe(`${server}. Finish the prompt on the page, or force the run to continue.`)
      expect(text).not.toMatch(/\.\./)
    }
  })
  it('offers forcing only where a Force resume button is on screen', () => {
    expect(resumeRefusal(server, { canForce: false })).not.toMatch(/force/i)
  })
})

describe('needs-you wording', () => {
  const item = { title: 'Pay it', reason: 'Pay the invoice', need: 'approval', action: 'approve' } as NeedsYouItem
  it('names the need and the run', () => {
    expect(needNotification(item)).toEqual({ title: 'Opdesk: approval needed', body: 'Pay it: Pay the invoice' })
    expect(needNotification({ ...item, need: 'mfa', action: 'take-over' }).title).toBe('Opdesk: sign-in needed')
    expect(needNotification({ ...item, scheduleId: 'sch_1' }).body).toBe('Pay it (scheduled run): Pay the invoice')
    expect(needActionLabel(item)).toBe('Approve')
    expect(needActionLabel({ action: 'take-over' })).toBe('Take over')
  })
})
