import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Track } from '../../../shared/domain'
import { tempCore } from '../../../test/support/temp-workspace'

let core: Awaited<ReturnType<typeof tempCore>>
beforeEach(async () => {
  core = await tempCore()
})
afterEach(async () => {
  await core.cleanup()
})

const req = (method: string, path: string, body?: unknown, query?: Record<string, string>) =>
  core.router.handle({ method, path, body, query })

describe('tracks through the router', () => {
  it('creates a track with children and derives its state and progress', async () => {
    const res = await req('POST', '/api/tracks', {
      title: 'Invoices',
      owner: 'Dana',
      due: '2026-12-01',
      steps: [{ title: 'a', state: 'done' }, { title: 'b' }, { title: 'c', core: false }],
      checkpoints: [{ title: 'Review', kind: 'review' }],
    })
    expect(res.status).toBe(201)
    const t = res.body as Track
    expect(t.steps.map((s) => [s.ordinal, s.title])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ])
    expect(t).toMatchObject({ progress: 0.5, coreDone: 1, coreTotal: 2, state: 'active' })
    expect(t.linked.nextCheckpoint?.title).toBe('Review')
    const listed = (await req('GET', '/api/tracks')).body as Track[]
    expect(listed.map((x) => x.id)).toEqual([t.id])
  })

  it('moves between states as steps, checkpoints and blockers change, and the summary follows', async () => {
    const t = (await req('POST', '/api/tracks', { title: 'T', steps: [{ title: 's1' }] })).body as Track
    const stepId = t.steps[0]!.id
    const summary = async () => (await req('GET', '/api/summary')).body as Record<string, number>
    expect(await summary()).toMatchObject({ active: 1, waiting: 0, blocked: 0 })

    await req('PATCH', `/api/steps/${stepId}`, { state: 'blocked' })
    expect(((await req('GET', `/api/tracks/${t.id}`)).body as Track).state).toBe('blocked')
    expect(await summary()).toMatchObject({ active: 0, blocked: 1 })

    await req('PATCH', `/api/steps/${stepId}`, { state: 'done' })
    const cp = (await req('POST', `/api/tracks/${t.id}/checkpoints`, { title: 'Hand off', kind: 'handoff', state: 'waiting' })).body as {
      id: string
    }
    expect(((await req('GET', `/api/tracks/${t.id}`)).body as Track).state).toBe('waiting')
    await req('PATCH', `/api/checkpoints/${cp.id}`, { state: 'passed' })
    expect(((await req('GET', `/api/tracks/${t.id}`)).body as Track).state).toBe('done')
    expect(await summary()).toMatchObject({ done: 1, averageProgress: 1 })

    const b = (await req('POST', `/api/tracks/${t.id}/blockers`, { title: 'Vendor down' })).body as { id: string }
    expect(((await req('GET', '/api/tracks', undefined, { state: 'blocked' })).body as Track[]).map((x) => x.id)).toEqual([t.id])
    const resolved = (await req('PATCH', `/api/blockers/${b.id}`, { open: false })).body as { resolvedAt: string | null }
    expect(resolved.resolvedAt).not.toBeNull()
    expect(((await req('GET', `/api/tracks/${t.id}`)).body as Track).state).toBe('done')
  })

  it('announces every change on the bus', async () => {
    const seen: string[] = []
    core.bus.subscribe((m) => seen.push(m.type))
    const t = (await req('POST', '/api/tracks', { title: 'T' })).body as Track
    await req('PATCH', `/api/tracks/${t.id}`, { nextAction: 'Call the vendor' })
    await req('DELETE', `/api/tracks/${t.id}`)
    expect(seen).toEqual(['track.changed', 'track.changed', 'track.changed'])
  })

  it('deletes a track with its children', async () => {
    const t = (await req('POST', '/api/tracks', { title: 'T', steps: [{ title: 's' }] })).body as Track
    expect((await req('DELETE', `/api/tracks/${t.id}`)).body).toEqual({ deleted: true, id: t.id })
    expect((await req('GET', `/api/tracks/${t.id}`)).status).toBe(404)
    expect(core.ws.store.sqlite.prepare('SELECT count(*) AS n FROM steps').get()).toEqual({ n: 0 })
  })
})

describe('bad input', () => {
  const cases: [string, string, unknown, RegExp, string?][] = [
    ['POST', '/api/tracks', {}, /title/, 'title'],
    ['POST', '/api/tracks', { title: '' }, /title/, 'title'],
    ['POST', '/api/tracks', { title: 'x', due: 'tomorrow' }, /due/, 'due'],
    ['POST', '/api/tracks', { title: 'x', color: 'red' }, /color/],
    ['POST', '/api/tracks', { title: 'x', steps: [{ title: 'ok' }, { title: 'bad', state: 'finished' }] }, /steps\.1\.state/, 'steps.1.state'],
    ['POST', '/api/tracks', 'not an object', /body/],
    ['POST', '/api/tracks/x/checkpoints', { title: 'c', kind: 'audit' }, /kind/, 'kind'],
    ['GET', '/api/tracks', undefined, /state/, 'state'],
  ]
  it.each(cases)('%s %s %j → 400 naming the field', async (method, path, body, message, field) => {
    const query = path === '/api/tracks' && method === 'GET' ? { state: 'sleeping' } : undefined
    const res = await req(method, path, body, query)
    expect(res.status).toBe(400)
    const err = (res.body as { error: { code: string; message: string; field?: string } }).error
    expect(err.code).toBe('bad_request')
    expect(err.message).toMatch(message)
    if (field) expect(err.field).toBe(field)
    expect(core.ws.store.sqlite.prepare('SELECT count(*) AS n FROM tracks').get()).toEqual({ n: 0 })
  })

  it('answers 404 for unknown ids and routes', async () => {
    for (const [m, p, b] of [
      ['GET', '/api/tracks/trk_nope'],
      ['PATCH', '/api/tracks/trk_nope', { title: 'x' }],
      ['DELETE', '/api/tracks/trk_nope'],
      ['POST', '/api/tracks/trk_nope/steps', { title: 'x' }],
      ['PATCH', '/api/steps/stp_nope', { state: 'done' }],
      ['PATCH', '/api/checkpoints/chk_nope', { state: 'passed' }],
      ['PATCH', '/api/blockers/blk_nope', { open: false }],
      ['GET', '/api/nothing-here'],
    ] as [string, string, unknown][]) {
      const res = await req(m, p, b)
      expect(res.status, `${m} ${p}`).toBe(404)
      expect((res.body as { error: { code: string } }).error.code).toBe('not_found')
    }
  })
})
