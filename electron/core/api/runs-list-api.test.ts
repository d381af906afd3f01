// GET /api/runs filters: status, track, flow, text and date range, each narrowing the
// others; rows carry their track's and step's titles. Runs are stored rows in a real
// workspace database (nothing needs to execute to be listed).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Page } from '../../../shared/api'
import type { Run, RunStatus, Track } from '../../../shared/domain'
import { insertRun, transition } from '../store/runs'
import { tempCore } from '../../../test/support/temp-workspace'

let core: Awaited<ReturnType<typeof tempCore>>
let a: Track
let b: Track
const ids: Record<string, string> = {}

async function seed(
  key: string,
  o: { track?: Track; step?: number; flow?: string; command?: string; status: RunStatus; at: string; error?: string },
) {
  const run = insertRun(core.ws.store, {
    kind: o.command ? 'command' : 'browser',
    trackId: o.track?.id ?? null,
    stepId: o.track && o.step !== undefined ? o.track.steps[o.step]!.id : null,
    flowName: o.flow ?? null,
    command: o.command ?? null,
    startedBy: 'ann',
  })
  if (o.status !== 'queued') {
    if (o.status !== 'blocked') transition(core.ws.store, run.id, 'running', { startedAt: o.at })
    if (o.status !== 'running') transition(core.ws.store, run.id, o.status, { error: o.error ?? null })
  }
  core.ws.store.sqlite.prepare('UPDATE runs SET created_at = ? WHERE id = ?').run(o.at, run.id)
  ids[key] = run.id
}

beforeEach(async () => {
  core = await tempCore()
  const mk = async (title: string) =>
    (await core.router.handle({ method: 'POST', path: '/api/tracks', body: { title, steps: [{ title: `${title} step` }] } }))
      .body as Track
  a = await mk('Invoices')
  b = await mk('Payroll')
  await seed('a1', { track: a, step: 0, flow: 'Export invoices', status: 'failed', at: '2026-11-01T09:00:00.000Z', error: 'Timeout on #export' })
  await seed('a2', { track: a, step: 0, flow: 'Export invoices', status: 'succeeded', at: '2026-11-02T09:00:00.000Z' })
  await seed('a3', { track: a, command: 'node sync.js', status: 'failed', at: '2026-11-03T23:59:00.000Z' })
  await seed('b1', { track: b, step: 0, flow: 'Pay salaries', status: 'failed', at: '2026-11-04T09:00:00.000Z' })
  await seed('n1', { flow: 'Export invoices', status: 'succeeded', at: '2026-11-05T09:00:00.000Z' })
})
afterEach(async () => {
  await core.cleanup()
})

async function list(query: Record<string, string>): Promise<string[]> {
  const res = await core.router.handle({ method: 'GET', path: '/api/runs', query })
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  const page = res.body as Page<Run>
  const keys = page.items.map((r) => Object.keys(ids).find((k) => ids[k] === r.id)!)
  expect(page.total).toBe(keys.length)
  return keys
}

describe('runs list filters', () => {
  it('each filter alone', async () => {
    expect(await list({})).toEqual(['n1', 'b1', 'a3', 'a2', 'a1'])
    expect(await list({ status: 'failed' })).toEqual(['b1', 'a3', 'a1'])
    expect(await list({ trackId: a.id })).toEqual(['a3', 'a2', 'a1'])
    expect(await list({ flowId: 'Export invoices' })).toEqual(['n1', 'a2', 'a1'])
    expect(await list({ q: 'sync' })).toEqual(['a3'])
    expect(await list({ q: '#EXPORT' })).toEqual(['a1'])
    expect(await list({ from: '2026-11-03' })).toEqual(['n1', 'b1', 'a3'])
    // A bare day as `to` includes that whole day (a3 started a minute before midnight).
    expect(await list({ to: '2026-11-03' })).toEqual(['a3', 'a2', 'a1'])
  })

  it('filters combine: every one given narrows the list', async () => {
    expect(await list({ status: 'failed', trackId: a.id })).toEqual(['a3', 'a1'])
    expect(await list({ status: 'failed', trackId: a.id, flowId: 'Export invoices' })).toEqual(['a1'])
    expect(await list({ flowId: 'Export invoices', from: '2026-11-02', to: '2026-11-04' })).toEqual(['a2'])
    expect(await list({ q: 'export invoices', status: 'succeeded' })).toEqual(['n1', 'a2'])
    expect(await list({ status: 'failed', trackId: b.id, q: 'invoices' })).toEqual([])
    expect(await list({ from: '2026-11-02T12:00:00Z', to: '2026-11-04T08:00:00Z' })).toEqual(['a3'])
  })

  it('text is matched literally (% and _ are not wildcards)', async () => {
    expect(await list({ q: '%' })).toEqual([])
    expect(await list({ q: 'sync_js' })).toEqual([])
    expect(await list({ q: 'sync.js' })).toEqual(['a3'])
  })

  it('rows carry their track and step titles', async () => {
    const res = await core.router.call('listRuns', { query: { trackId: a.id } })
    expect(res.items.map((r) => [r.trackTitle, r.stepTitle])).toEqual([
      ['Invoices', null],
      ['Invoices', 'Invoices step'],
      ['Invoices', 'Invoices step'],
    ])
  })

  it('refuses dates that are not dates, naming the field', async () => {
    for (const [field, value] of [
      ['from', 'yesterday'],
      ['to', '2026-13-45'],
    ]) {
      const res = await core.router.handle({ method: 'GET', path: '/api/runs', query: { [field!]: value } })
      expect(res.status).toBe(400)
      expect(res.body).toMatchObject({ error: { field } })
    }
  })
})
