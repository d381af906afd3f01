// Profiles and login health through the core's router, with real runs, a real persistent
// Chromium profile and the bundled Acme portal: the list and its bad input, two checks of one
// profile joined into one run, stale → login-stale + track waiting → a login through the
// takeover → ok, a session the portal expires, a folder deleted by hand, interval checks.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '../../../shared/api'
import type { Alert, Run, Track } from '../../../shared/domain'
import type { ProfileView } from '../../../shared/profiles'
import { DEMO_CREDENTIALS, startDemoSite, type DemoSite } from '../demo/site'
import { tempCore } from '../../../test/support/temp-workspace'
import { waitForStatus, waitUntil } from '../../../test/support/wait'
import { loginThroughTakeover } from '../../../test/support/takeover-login'

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
const vic: Actor = { name: 'vic', role: 'viewer' }
const req = (method: string, path: string, body?: unknown, actor: Actor = olga) =>
  core.router.handle({ method, path, body, actor })
const profile = async (name: string) => (await req('GET', `/api/profiles/${name}`)).body as ProfileView
const ended = (id: string) => waitForStatus(() => core.runs.mustRun(id), ['succeeded', 'failed', 'canceled'], 60_000)
const openAlerts = async () =>
  ((await core.router.handle({ method: 'GET', path: '/api/alerts', query: { open: 'true' } })).body as Alert[]).filter(
    (a) => a.kind === 'login-stale',
  )
const track = async (id: string) => (await req('GET', `/api/tracks/${id}`)).body as Track

const check = () => ({
  url: `${site.url}/dashboard`,
  when: { selector: '#export' },
  loginUrl: `${site.url}/login`,
})

describe('profiles and login health', () => {
  it('lists the profiles flows name, and refuses bad input naming the field', async () => {
    const flow = await req('POST', '/api/flows', {
      source: `name: Acme landing\nprofile: acme\ndetectMfa: false\nsteps:\n  - goto: ${site.url}/login\n  - expect: { text: "Sign in" }\n`,
    })
    expect(flow.status, JSON.stringify(flow.body)).toBe(201)
    const list = (await req('GET', '/api/profiles', undefined, vic)).body as ProfileView[]
    const acme = list.find((p) => p.name === 'acme')!
    expect(acme.flows).toEqual(['Acme landing'])
    expect(acme.size).toBeNull()
    expect(acme.health.state).toBe('unknown')
    expect(acme.health.reason).toMatch(/does not exist yet/)

    const unknown = await req('POST', '/api/profiles/nobody/check')
    expect(unknown.status).toBe(404)
    expect(unknown.body).toMatchObject({ error: { code: 'not_found', field: 'name' } })
    expect((await req('GET', '/api/profiles/nobody')).status).toBe(404)
    const badName = await req('POST', '/api/profiles/..%2Fetc/check')
    expect(badName.status).toBe(400)
    expect(badName.body).toMatchObject({ error: { field: 'name' } })
    const noCheck = await req('POST', '/api/profiles/acme/login')
    expect(noCheck.status).toBe(400)
    expect(noCheck.body).toMatchObject({ error: { field: 'check' } })
    const badUrl = await req('POST', '/api/profiles', {
      name: 'acme',
      check: { url: 'file:///etc/passwd', when: { text: 'x' } },
    })
    expect(badUrl.status).toBe(400)
    expect((await req('POST', '/api/profiles', { name: 'acme', check: check() }, vic)).status).toBe(403)
  })

  it('stale → login-stale and the track waits; a login through the takeover → ok; an expired session → stale again', async () => {
    const defined = await req('POST', '/api/profiles', { name: 'acme', check: check() })
    expect(defined.status, JSON.stringify(defined.body)).toBe(200)
    expect((defined.body as ProfileView).health).toMatchObject({ state: 'unknown' })

    // A track whose work uses the profile.
    const t = (await req('POST', '/api/tracks', { title: 'Month-end at Acme' })).body as Track
    const flowRun = (
      await req('POST', '/api/runs', {
        flow: `name: Acme landing\nprofile: acme\ndetectMfa: false\nsteps:\n  - goto: ${site.url}/login\n  - expect: { text: "Sign in" }\n`,
        trackId: t.id,
      })
    ).body as Run
    expect((await ended(flowRun.id)).status).toBe('succeeded')
    expect((await profile('acme')).size).toBeGreaterThan(0)

    // Two checks at once: one run, the other joins it.
    const [a, b] = await Promise.all([req('POST', '/api/profiles/acme/check'), req('POST', '/api/profiles/acme/check')])
    expect(a.status).toBe(200)
    expect((a.body as Run).id).toBe((b.body as Run).id)
    expect((a.body as Run).kind).toBe('check')
    expect((await profile('acme')).health.state).toBe('checking')
    const checked = await ended((a.body as Run).id)
    expect(checked.status).toBe('failed')
    const stale = await profile('acme')
    expect(stale.health.state).toBe('stale')
    expect(stale.health.reason).toMatch(/Not logged in/)
    expect(stale.health.checkedAt).not.toBeNull()
    expect(await openAlerts()).toHaveLength(1)
    expect(
      (await core.router.handle({ method: 'GET', path: '/api/alerts', query: { open: 'true' } })).body,
    ).not.toContainEqual(expect.objectContaining({ kind: 'run-failed', runId: checked.id }))
    expect(await track(t.id)).toMatchObject({ state: 'waiting', waitingOn: 'login for acme' })
    expect(await core.profiles.ensureFresh('acme')).toBe('stale')
    let fresh = false
    const waiting = core.profiles.waitForLogin('acme').then(() => (fresh = true))

    // Log in now: the profile's browser at the login page, a person at the takeover view.
    const login = (await req('POST', '/api/profiles/acme/login')).body as Run
    expect(login.kind).toBe('login')
    expect(login.takeoverUrl).toContain(login.id)
    expect(((await req('POST', '/api/profiles/acme/login')).body as Run).id).toBe(login.id)
    const v = await loginThroughTakeover(core, site, login.id)
    const loggedIn = await ended(login.id)
    expect(loggedIn.status, loggedIn.error ?? '').toBe('succeeded')
    v.handle!.detach()
    const ok = await profile('acme')
    expect(ok.health.state).toBe('ok')
    expect(ok.health.reason).toContain('logged in by lee')
    await waitUntil(() => fresh, 5_000, 'waitForLogin to resolve')
    await waiting
    expect(await openAlerts()).toHaveLength(0)
    expect((await track(t.id)).state).not.toBe('waiting')
    const events = core.runs.events.list(login.id, 0, 1000)
    expect(JSON.stringify(events)).not.toContain(DEMO_CREDENTIALS.password)

    // The login survives the browser: a check in a new browser passes.
    const again = (await req('POST', '/api/profiles/acme/check')).body as Run
    expect((await ended(again.id)).status).toBe('succeeded')
    expect((await profile('acme')).health.state).toBe('ok')
    expect(await core.profiles.ensureFresh('acme')).toBe('ok')

    // The portal ends the session: the next check finds the profile stale again.
    const res = await fetch(`${site.url}/api/demo-expire-sessions`, { method: 'POST' })
    expect(((await res.json()) as { expired: number }).expired).toBeGreaterThan(0)
    const afterExpiry = (await req('POST', '/api/profiles/acme/check')).body as Run
    expect((await ended(afterExpiry.id)).status).toBe('failed')
    expect((await profile('acme')).health.state).toBe('stale')
    expect(await openAlerts()).toHaveLength(1)
    expect((await track(t.id)).waitingOn).toBe('login for acme')
  })

  it('a profile folder deleted by hand reads unknown with a clear message, and a check still runs', async () => {
    rmSync(join(core.ws.paths.profiles, 'acme'), { recursive: true, force: true })
    const gone = await profile('acme')
    expect(gone.size).toBeNull()
    expect(gone.health.state).toBe('unknown')
    expect(gone.health.reason).toMatch(/profiles\/acme is missing/)
    const list = await req('GET', '/api/profiles')
    expect(list.status).toBe(200)
    const run = (await req('POST', '/api/profiles/acme/check')).body as Run
    expect((await ended(run.id)).status).toBe('failed')
    expect((await profile('acme')).health.state).toBe('stale')
  })

  it('runs a check when its interval has passed, and only one at a time', async () => {
    const put = await req('POST', '/api/profiles', { name: 'hourly', check: { ...check(), intervalMinutes: 60 } })
    expect(put.status).toBe(200)
    expect(core.profiles.tick()).toEqual(['hourly'])
    expect(core.profiles.tick()).toEqual([])
    const runId = (await profile('hourly')).checkRunId!
    await ended(runId)
    expect((await profile('hourly')).health.state).toBe('stale')
    expect(core.profiles.tick()).toEqual([])
    expect(core.profiles.tick(Date.now() + 61 * 60_000)).toEqual(['hourly'])
    await ended((await profile('hourly')).checkRunId!)
    expect(core.profiles.leadTimeMs('hourly')).toBe(30 * 60_000)
  })
})
