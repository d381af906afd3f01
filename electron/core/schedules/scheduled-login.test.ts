// A scheduled run whose profile is logged out waits for a login instead of failing, then
// runs without a person: the real scheduler (system clock, a cron every two seconds), the
// bundled Acme portal, a real persistent Chromium profile and a login through the takeover.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '../../../shared/api'
import type { Run } from '../../../shared/domain'
import type { ProfileView } from '../../../shared/profiles'
import type { Schedule } from '../../../shared/schedules'
import { startDemoSite, type DemoSite } from '../demo/site'
import { loginThroughTakeover } from '../../../test/support/takeover-login'
import { tempCore } from '../../../test/support/temp-workspace'
import { waitForStatus, waitUntil } from '../../../test/support/wait'

let site: DemoSite
let core: Awaited<ReturnType<typeof tempCore>>
beforeAll(async () => {
  site = await startDemoSite()
  core = await tempCore()
})
afterAll(async () => {
  await core?.cleanup()
  await site?.close()
})

const olga: Actor = { name: 'olga', role: 'operator' }
const req = async <T>(method: string, path: string, body?: unknown) => {
  const res = await core.router.handle({ method, path, body, actor: olga })
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300)
  return res.body as T
}
const scheduledRuns = (id: string) =>
  core.ws.store.sqlite.prepare('SELECT id FROM runs WHERE started_by = ? ORDER BY created_at').all(`schedule:${id}`) as { id: string }[]

describe('a scheduled run and its profile’s login health', () => {
  it('waits for Log in now while the profile is stale, then succeeds without a person', async () => {
    await req('POST', '/api/profiles', {
      name: 'acme',
      check: { url: `${site.url}/dashboard`, when: { selector: '#export' }, loginUrl: `${site.url}/login` },
    })
    // The flow needs a logged-in session: on the login page it would wait for a person.
    const flow = await req<{ id: string }>('POST', '/api/flows', {
      source: `name: Acme dashboard\nprofile: acme\nsteps:\n  - goto: ${site.url}/dashboard\n  - expect: { selector: "#export" }\n`,
    })
    const s = await req<Schedule>('POST', '/api/schedules', { flowId: flow.id, cron: '*/2 * * * * *', timezone: 'UTC' })

    // The check started ahead of the first time finds the new profile logged out; the run waits.
    const deadline = Date.now() + 60_000
    while ((await req<Schedule>('GET', `/api/schedules/${s.id}`)).lastOutcome !== 'waiting-login') {
      if (Date.now() > deadline) throw new Error('timed out waiting for the schedule to wait for a login')
      await new Promise((r) => setTimeout(r, 100))
    }
    expect((await req<ProfileView>('GET', '/api/profiles/acme')).health.state).toBe('stale')
    expect((await req<Schedule>('GET', `/api/schedules/${s.id}`)).lastError).toMatch(/Log in now/)
    await new Promise((r) => setTimeout(r, 4_500)) // two more times pass while it waits
    expect(scheduledRuns(s.id)).toHaveLength(0)

    // A person logs the profile in through the takeover.
    const login = await req<Run>('POST', '/api/profiles/acme/login')
    const v = await loginThroughTakeover(core, site, login.id)
    expect((await waitForStatus(() => core.runs.mustRun(login.id), ['succeeded', 'failed'], 60_000)).status).toBe('succeeded')
    v.handle!.detach()

    // The held run starts now and needs nobody.
    await waitUntil(() => scheduledRuns(s.id).length > 0, 30_000, 'the held scheduled run to start')
    const held = scheduledRuns(s.id)[0]!.id
    // No more times after it (while it runs, the next ones are skipped as overlapping).
    await req('PATCH', `/api/schedules/${s.id}`, { enabled: false })
    const done = await waitForStatus(() => core.runs.mustRun(held), ['succeeded', 'failed', 'waiting-mfa', 'waiting-assist'], 60_000)
    expect(done.status, done.error ?? '').toBe('succeeded')
    const first = core.runs.events.list(held, 0, 10).find((e) => e.type === 'run.status')
    expect(first?.data).toMatchObject({ schedule: { id: s.id, waitedForLogin: 'acme' } })
    expect(scheduledRuns(s.id)).toHaveLength(1)
  })
})
