// The policy at run time, through the whole core: a step approved before the run is not
// asked again, a step the file could not show is judged once its parameters are filled in,
// and a click that navigates off allowedOrigins is held for approval or refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Run } from '../../../shared/domain'
import { startFixtureSite, type FixtureSite } from '../../../test/support/fixture-site'
import { tempCore } from '../../../test/support/temp-workspace'
import { waitForStatus } from '../../../test/support/wait'

let site: FixtureSite
let core: Awaited<ReturnType<typeof tempCore>>
beforeAll(async () => {
  site = await startFixtureSite()
  core = await tempCore()
})
afterAll(async () => {
  await core.cleanup()
  await site.close()
})

const start = async (flow: string, params?: Record<string, string>) => {
  const res = await core.router.handle({ method: 'POST', path: '/api/runs', body: { flow, params } })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body as Run
}
const get = (id: string) => () => core.runs.mustRun(id)
const approve = (id: string) =>
  core.router.handle({ method: 'POST', path: `/api/runs/${id}/approve`, body: {}, actor: { name: 'test', role: 'approver' } })
const approvals = (id: string) => core.runs.events.list(id, 0, 1000).filter((e) => e.type === 'approval.requested')

describe('policy at run time', () => {
  it('does not ask twice for a step approved before the run', async () => {
    const run = await start(`name: Download once
allowedOrigins: ["${site.url}"]
steps:
  - goto: ${site.url}/download
  - download: { click: "text=Download report", saveAs: report.txt }
`)
    expect(run.status).toBe('waiting-approval')
    await approve(run.id)
    const done = await waitForStatus(get(run.id), ['succeeded', 'failed', 'waiting-approval'], 60_000)
    expect(done.status, done.error ?? '').toBe('succeeded')
    expect(approvals(run.id)).toHaveLength(1)
  })

  it('judges a step once its parameters are filled in', async () => {
    const run = await start(
      `name: Param click
allowedOrigins: ["${site.url}"]
params: { button: { default: "Search" } }
steps:
  - goto: ${site.url}/form
  - click: "text=\${params.button}"
`,
      { button: 'Submit order' },
    )
    // The file says only "${params.button}": the risky wording shows at run time.
    const waiting = await waitForStatus(get(run.id), ['waiting-approval', 'failed', 'succeeded'], 60_000)
    expect(waiting.status).toBe('waiting-approval')
    const req = approvals(run.id)[0]!
    expect(req.data).toMatchObject({ stage: 'step', index: 2 })
    expect(String(req.data.reason)).toMatch(/submit order/i)
    await core.router.handle({ method: 'POST', path: `/api/runs/${run.id}/reject`, body: { note: 'no' }, actor: { name: 'test', role: 'approver' } })
    const done = await waitForStatus(get(run.id), ['failed'], 30_000)
    expect(done.error).toMatch(/Rejected by test: no/)
  })

  // The partner page happens to be a sign-in frame: detection off, this test is about policy.
  const linkOut = () => `name: Follow a link
detectMfa: false
allowedOrigins: ["${site.url}"]
steps:
  - goto: ${site.url}/link-out?to=${encodeURIComponent(site.altUrl + '/frame/mfa')}
  - click: "#out"
  - waitFor: { url: "${site.altUrl}/**" }
`

  it('holds a click that leaves allowedOrigins until a person approves it', async () => {
    const run = await start(linkOut())
    // Nothing in the file leaves the list: the pre-run check allows it.
    expect(run.policy?.verdict).toBe('allow')
    const waiting = await waitForStatus(get(run.id), ['waiting-approval', 'failed', 'succeeded'], 60_000)
    expect(waiting.status).toBe('waiting-approval')
    expect(approvals(run.id)[0]!.data).toMatchObject({ stage: 'navigation' })
    await approve(run.id)
    const done = await waitForStatus(get(run.id), ['succeeded', 'failed'], 60_000)
    expect(done.status, done.error ?? '').toBe('succeeded')
  })

  it('refuses that navigation outright when the policy says deny', async () => {
    const post = (source: string) => core.router.handle({ method: 'POST', path: '/api/policy', body: { source } })
    expect((await post('flows:\n  offListOrigin: deny\n')).status).toBe(200)
    try {
      const run = await start(linkOut())
      const done = await waitForStatus(get(run.id), ['failed', 'succeeded'], 60_000)
      expect(done.status).toBe('failed')
      expect(done.error).toMatch(/Denied by policy/)
      expect(approvals(run.id)).toHaveLength(0)
    } finally {
      await post('{}\n')
    }
  })
})
