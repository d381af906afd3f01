// /api/schedules through the router of a real core: every refusal is a 400 naming the field
// (a wrong cron, time zone, flow, track, step or params), and the CRUD round trip. The clock
// is held still so nothing fires while the routes are checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Schedule } from '../../../shared/schedules'
import { FakeClock } from '../../../test/support/fake-clock'
import type { Core } from '../core'
import { tempCore } from '../../../test/support/temp-workspace'

const FLOW = `name: Report
params: { month: { required: true } }
steps:
  - goto: https://portal.example.com/
`

let core: Core & { cleanup(): Promise<void> }
let flowId: string
let trackId: string
let stepId: string

beforeAll(async () => {
  core = await tempCore({ clock: new FakeClock(Date.parse('2026-06-01T10:00:00.000Z')) })
  flowId = (await core.router.call('createFlow', { body: { source: FLOW } })).id
  const track = await core.router.call('createTrack', { body: { title: 'Month end', steps: [{ title: 'Export' }] } })
  trackId = track.id
  stepId = track.steps[0]!.id
})
afterAll(async () => core?.cleanup())

const ann = { name: 'ann', role: 'operator' as const }
const post = (body: unknown) => core.router.handle({ method: 'POST', path: '/api/schedules', body, actor: ann })
const valid = () => ({ flowId, cron: '0 6 * * 1-5', timezone: 'Europe/Berlin', params: { month: '2026-05' } })

describe('/api/schedules', () => {
  it.each([
    ['cron', { cron: 'every day at six' }, /not a cron expression/],
    ['cron', { cron: '61 * * * *' }, /minute/],
    ['cron', { cron: '0 0 30 2 *' }, /never fires/],
    ['timezone', { timezone: 'Mars/Olympus' }, /IANA time zone/],
    ['flowId', { flowId: 'flw_nope' }, /no saved flow/],
    ['params', { params: {} }, /month/],
    ['trackId', { trackId: 'trk_nope' }, /no track/],
    ['stepId', { stepId: 'stp_nope' }, /no step/],
    ['missed', { missed: 'twice' }, /missed/],
  ])('refuses a wrong %s with 400 naming it', async (field, change, message) => {
    const res = await post({ ...valid(), ...change })
    expect(res.status).toBe(400)
    const err = (res.body as { error: { code: string; field?: string; message: string } }).error
    expect(err).toMatchObject({ code: 'bad_request', field })
    expect(err.message).toMatch(message)
  })

  it('creates, lists, changes and deletes a schedule', async () => {
    const created = await post({ ...valid(), trackId, stepId, missed: 'once', name: 'Weekday export' })
    expect(created.status).toBe(201)
    const s = created.body as Schedule
    expect(s).toMatchObject({
      flowId,
      flowName: 'Report',
      trackId,
      stepId,
      missed: 'once',
      enabled: true,
      createdBy: 'ann',
    })
    // 2026-06-01 is a Monday; 06:00 in Berlin (summer time) is 04:00Z.
    expect(s.nextRuns).toEqual(['2026-06-02T04:00:00.000Z', '2026-06-03T04:00:00.000Z', '2026-06-04T04:00:00.000Z'])

    const list = await core.router.handle({ method: 'GET', path: '/api/schedules' })
    expect((list.body as Schedule[]).map((x) => x.id)).toContain(s.id)

    const patched = await core.router.handle({
      method: 'PATCH',
      path: `/api/schedules/${s.id}`,
      body: { cron: '30 7 * * *', timezone: 'UTC' },
    })
    expect(patched.status).toBe(200)
    expect((patched.body as Schedule).nextRuns[0]).toBe('2026-06-02T07:30:00.000Z') // 07:30 today is past (now is 10:00Z)
    const badPatch = await core.router.handle({
      method: 'PATCH',
      path: `/api/schedules/${s.id}`,
      body: { cron: '* *' },
    })
    expect(badPatch.status).toBe(400)
    expect((badPatch.body as { error: { field: string } }).error.field).toBe('cron')

    const off = await core.router.call('updateSchedule', { params: { id: s.id }, body: { enabled: false } })
    expect(off.nextRuns).toEqual([])

    const del = await core.router.handle({ method: 'DELETE', path: `/api/schedules/${s.id}` })
    expect(del.body).toEqual({ deleted: true, id: s.id })
    expect((await core.router.handle({ method: 'GET', path: `/api/schedules/${s.id}` })).status).toBe(404)
  })

  it('lets a viewer read schedules but not create them', async () => {
    const viewer = { name: 'val', role: 'viewer' as const }
    expect((await core.router.handle({ method: 'GET', path: '/api/schedules', actor: viewer })).status).toBe(200)
    expect(
      (await core.router.handle({ method: 'POST', path: '/api/schedules', body: valid(), actor: viewer })).status,
    ).toBe(403)
  })
})
