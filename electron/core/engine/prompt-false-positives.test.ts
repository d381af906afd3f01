// The prompt watcher must not stop flows that are not waiting for a person (DESIGN.md
// "Prompt watcher"): a login form the flow fills itself, and a flow that only visits a
// login page to check it when detection is turned off for the flow or the step. The same
// check flow with detection on does wait, so the option is what keeps it going.
import { describe, expect, it } from 'vitest'
import type { Run } from '../../../shared/domain'
import { TERMINAL_RUN_STATUSES } from '../../../shared/domain'
import { engineSuite } from '../../../test/support/engine-suite'

const suite = engineSuite()

const types = (runId: string) => suite.h.events(runId).map((e) => e.type)
const describeRun = (runId: string) =>
  suite.h
    .events(runId)
    .map((e) => `${e.seq} ${e.type} ${JSON.stringify(e.data).slice(0, 200)}`)
    .join('\n')

/** Status changes of the run, in order (from → to). */
const statuses = (runId: string) =>
  suite.h
    .events(runId)
    .filter((e) => e.type === 'run.status')
    .map((e) => e.data.to)

/**
 * Runs the flow until it ends or waits for a person (a wait is the failure these tests look
 * for, so it must not cost a whole timeout); a run left waiting is canceled afterwards.
 */
async function runToEnd(flow: string, timeoutMs = 20_000): Promise<Run> {
  const { id } = suite.h.start(flow)
  const run = await suite.h.waitFor(id, [...TERMINAL_RUN_STATUSES, 'waiting-mfa'], timeoutMs)
  if (run.status === 'waiting-mfa') {
    suite.h.service.cancel(id)
    await suite.h.finished(id, 10_000)
  }
  return run
}

const checkLoginPage = (opts: { flow?: string; step?: string } = {}) => `name: Check the login page
${opts.flow ?? ''}steps:
  - goto: ${suite.site.url}/login-wall
  - expect: { selector: "#password"${opts.step ?? ''} }
`

describe('prompt watcher false positives', () => {
  it('a flow that fills the login form itself never waits for a person', async () => {
    await suite.h.secrets.put('fp_password', 'correct horse battery staple')
    const run = await runToEnd(`name: Sign in myself
steps:
  - goto: ${suite.site.url}/login-wall
  - fill: { selector: "#email", value: "ops@example.com" }
  - fill: { selector: "#password", value: "\${secrets.fp_password}" }
  - click: "button[type=submit]"
  - expect: { text: Welcome back, timeout: 10s }
`)
    expect(run.status, describeRun(run.id)).toBe('succeeded')
    expect(types(run.id), describeRun(run.id)).not.toContain('mfa.detected')
    expect(statuses(run.id)).not.toContain('waiting-mfa')
  })

  it('detectMfa: false lets a flow check a login page without waiting', async () => {
    const run = await runToEnd(checkLoginPage({ flow: 'detectMfa: false\n' }))
    expect(run.status, describeRun(run.id)).toBe('succeeded')
    expect(types(run.id), describeRun(run.id)).not.toContain('mfa.detected')
    expect(statuses(run.id)).not.toContain('waiting-mfa')
  })

  it('detect: false on the checking step lets it pass without waiting', async () => {
    const run = await runToEnd(checkLoginPage({ step: ', detect: false' }))
    expect(run.status, describeRun(run.id)).toBe('succeeded')
    expect(types(run.id), describeRun(run.id)).not.toContain('mfa.detected')
    expect(statuses(run.id)).not.toContain('waiting-mfa')
  })

  it('the same check with detection on waits for a person at the login wall', async () => {
    const run = suite.h.start(checkLoginPage())
    try {
      await suite.h.waitFor(run.id, 'waiting-mfa', 15_000).catch((err: unknown) => {
        throw new Error(`${String(err)}\n${describeRun(run.id)}`)
      })
      const detected = suite.h.events(run.id).find((e) => e.type === 'mfa.detected')
      expect(detected?.data).toMatchObject({ kind: 'login', popup: false, url: `${suite.site.url}/login-wall` })
    } finally {
      suite.h.service.cancel(run.id)
      await suite.h.finished(run.id, 10_000)
    }
  })
})
