// The flow library through the router: every save that changes a flow makes a version (who,
// when, hash), a name clash is refused with 409 name_taken unless the save says overwrite,
// PATCH edits with an If-Match style base version, and the files in flows/ follow.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Actor, FlowDetail } from '../../../shared/api'
import type { FlowRecord, FlowVersion } from '../../../shared/domain'
import { flowFileName } from '../flows/folder'
import { tempCore } from '../../../test/support/temp-workspace'

let core: Awaited<ReturnType<typeof tempCore>>
beforeEach(async () => {
  core = await tempCore()
})
afterEach(async () => {
  await core.cleanup()
})

const olga: Actor = { name: 'olga', role: 'operator' }
const ann: Actor = { name: 'ann', role: 'operator' }
const vic: Actor = { name: 'vic', role: 'viewer' }
const req = (method: string, path: string, body?: unknown, actor: Actor = olga) => core.router.handle({ method, path, body, actor })

const flowSource = (name: string, wait = '1s', extra: string[] = []) => [`name: ${name}`, ...extra, 'steps:', `  - wait: ${wait}`, ''].join('\n')

async function create(name: string, wait = '1s', actor: Actor = olga): Promise<FlowRecord> {
  const res = await req('POST', '/api/flows', { source: flowSource(name, wait) }, actor)
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body as FlowRecord
}

describe('flow library API', () => {
  it('a new flow is version 1 by its saver; GET /api/flows/:id answers it with its params and profile', async () => {
    const res = await req('POST', '/api/flows', {
      source: flowSource('Invoices', '1s', ['profile: acme', 'params: { month: { default: "2026-10" }, amount: { required: true } }']),
    })
    expect(res.status).toBe(201)
    const f = res.body as FlowRecord
    expect(f).toMatchObject({ name: 'Invoices', version: 1, updatedBy: 'olga' })

    const got = await req('GET', `/api/flows/${f.id}`, undefined, vic)
    expect(got.status).toBe(200)
    expect(got.body as FlowDetail).toMatchObject({
      id: f.id,
      version: 1,
      profile: 'acme',
      params: { month: { default: '2026-10' }, amount: { required: true } },
      problems: [],
    })
    const versions = (await req('GET', `/api/flows/${f.id}/versions`, undefined, vic)).body as FlowVersion[]
    expect(versions).toEqual([
      expect.objectContaining({ flowId: f.id, version: 1, name: 'Invoices', hash: f.hash, createdBy: 'olga', source: f.source }),
    ])
    expect(Date.parse(versions[0]!.createdAt)).not.toBeNaN()
  })

  it('saving under an existing name answers 409 name_taken and changes nothing; overwrite makes version 2', async () => {
    const first = await create('Payroll', '1s')
    const clash = await req('POST', '/api/flows', { source: flowSource('Payroll', '2s') }, ann)
    expect(clash.status).toBe(409)
    expect(clash.body).toMatchObject({ error: { code: 'name_taken', field: 'name' } })
    expect((clash.body as { error: { message: string } }).error.message).toContain('Payroll')
    expect(((await req('GET', `/api/flows/${first.id}`)).body as FlowDetail).source).toBe(first.source)

    // A different body name clashes the same way, whatever the source's own name says.
    const byName = await req('POST', '/api/flows', { source: flowSource('Other', '3s'), name: 'Payroll' })
    expect(byName.status).toBe(409)

    const over = await req('POST', '/api/flows', { source: flowSource('Payroll', '2s'), overwrite: true }, ann)
    expect(over.status).toBe(201)
    expect(over.body).toMatchObject({ id: first.id, version: 2, updatedBy: 'ann' })
    const versions = (await req('GET', `/api/flows/${first.id}/versions`)).body as FlowVersion[]
    expect(versions.map((v) => [v.version, v.createdBy])).toEqual([
      [2, 'ann'],
      [1, 'olga'],
    ])
    expect(versions[0]!.source).toContain('wait: 2s')
    expect(versions[1]!.source).toContain('wait: 1s')
    expect(versions[0]!.hash).not.toBe(versions[1]!.hash)
    expect(readFileSync(join(core.ws.paths.flows, flowFileName('Payroll')), 'utf8')).toContain('wait: 2s')
  })

  it('PATCH edits the text as a new version; the same text again makes none', async () => {
    const f = await create('Export')
    const edited = await req('PATCH', `/api/flows/${f.id}`, { source: flowSource('Export', '5s'), baseVersion: 1 }, ann)
    expect(edited.status).toBe(200)
    expect(edited.body).toMatchObject({ id: f.id, version: 2, updatedBy: 'ann', name: 'Export' })
    const again = await req('PATCH', `/api/flows/${f.id}`, { source: flowSource('Export', '5s') })
    expect(again.body).toMatchObject({ version: 2, updatedBy: 'ann' })
    expect(((await req('GET', `/api/flows/${f.id}/versions`)).body as FlowVersion[]).length).toBe(2)
  })

  it('PATCH from a stale base version answers 409 and keeps the newer save', async () => {
    const f = await create('Report')
    await req('PATCH', `/api/flows/${f.id}`, { source: flowSource('Report', '2s'), baseVersion: 1 }, ann)
    const stale = await req('PATCH', `/api/flows/${f.id}`, { source: flowSource('Report', '9s'), baseVersion: 1 })
    expect(stale.status).toBe(409)
    expect(stale.body).toMatchObject({ error: { code: 'conflict' } })
    expect((stale.body as { error: { message: string } }).error.message).toMatch(/version 2 by ann/)
    expect(((await req('GET', `/api/flows/${f.id}`)).body as FlowDetail).source).toContain('wait: 2s')
  })

  it('renaming moves the file; renaming onto another flow is name_taken', async () => {
    const a = await create('Alpha')
    await create('Beta')
    const taken = await req('PATCH', `/api/flows/${a.id}`, { name: 'Beta' })
    expect(taken.status).toBe(409)
    expect(taken.body).toMatchObject({ error: { code: 'name_taken' } })

    const renamed = await req('PATCH', `/api/flows/${a.id}`, { source: flowSource('Gamma') })
    expect(renamed.body).toMatchObject({ id: a.id, name: 'Gamma', version: 2 })
    expect(existsSync(join(core.ws.paths.flows, flowFileName('Gamma')))).toBe(true)
    expect(existsSync(join(core.ws.paths.flows, flowFileName('Alpha')))).toBe(false)
    const names = ((await req('GET', '/api/flows')).body as FlowRecord[]).map((x) => x.name)
    expect(names).toEqual(['Beta', 'Gamma'])
  })

  it('PATCH is validated: an empty body, a broken flow, a wrong type', async () => {
    const f = await create('Checked')
    const empty = await req('PATCH', `/api/flows/${f.id}`, {})
    expect(empty.status).toBe(400)
    expect(empty.body).toMatchObject({ error: { code: 'bad_request', field: 'source' } })

    const broken = await req('PATCH', `/api/flows/${f.id}`, { source: 'name: Checked\nsteps:\n  - clik: "#go"\n' })
    expect(broken.status).toBe(400)
    const problems = (broken.body as { error: { problems: { line: number; message: string }[] } }).error.problems
    expect(problems[0]).toMatchObject({ line: 3 })

    const wrongType = await req('PATCH', `/api/flows/${f.id}`, { source: flowSource('Checked'), baseVersion: 'one' })
    expect(wrongType.status).toBe(400)
    expect(wrongType.body).toMatchObject({ error: { field: 'baseVersion' } })
    const unknownKey = await req('PATCH', `/api/flows/${f.id}`, { source: flowSource('Checked'), overwrite: true })
    expect(unknownKey.status).toBe(400)
    expect(((await req('GET', `/api/flows/${f.id}/versions`)).body as FlowVersion[]).length).toBe(1)
  })

  it('an unknown flow is 404 on get, patch and versions', async () => {
    for (const [method, path, body] of [
      ['GET', '/api/flows/flw_nope', undefined],
      ['PATCH', '/api/flows/flw_nope', { source: flowSource('X') }],
      ['GET', '/api/flows/flw_nope/versions', undefined],
    ] as const) {
      const res = await req(method, path, body)
      expect(res.status, `${method} ${path}`).toBe(404)
      expect(res.body).toMatchObject({ error: { code: 'not_found' } })
    }
  })

  it('roles: a viewer reads flows and versions but cannot save, edit or overwrite', async () => {
    const f = await create('Guarded')
    expect((await req('GET', `/api/flows/${f.id}`, undefined, vic)).status).toBe(200)
    expect((await req('GET', `/api/flows/${f.id}/versions`, undefined, vic)).status).toBe(200)
    const patch = await req('PATCH', `/api/flows/${f.id}`, { source: flowSource('Guarded', '2s') }, vic)
    expect(patch.status).toBe(403)
    const post = await req('POST', '/api/flows', { source: flowSource('Guarded', '2s'), overwrite: true }, vic)
    expect(post.status).toBe(403)
    expect(((await req('GET', `/api/flows/${f.id}/versions`)).body as FlowVersion[]).length).toBe(1)
  })

  it('policy-check judges a flow with the values given', async () => {
    const source = flowSource('Checked', '1s', ['params: { month: { default: "2026-10" }, amount: {} }'])
    const res = await req('POST', '/api/policy-check', { flow: source, params: { amount: '12' } }, vic)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ verdict: expect.stringMatching(/^(allow|requires-approval|deny)$/) })
  })
})
