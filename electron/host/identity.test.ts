// Identity and roles over the real host: named tokens (stored hashed), the role each route
// needs (table-driven over shared/api's route table), who is recorded in events, separation
// of duties, the context an approval carries, and its deadline.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { strFromU8, unzipSync } from 'fflate'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildPath, roleAllows, ROLES, ROUTE_ROLES, routes, type Role, type RouteName } from '../../shared/api'
import type { Approval, Run, RunEvent } from '../../shared/domain'
import { osUserName } from '../core/identity'
import { approvalContext } from '../core/runs/approval-context'
import { addToken, hashToken, listTokens, revokeToken } from '../core/store/tokens'
import { insertRun } from '../core/store/runs'
import { tempCore, tempDir } from '../../test/support/temp-workspace'
import { startHost, type Host } from './server'
import { cli } from '../../test/support/host-process'

const TOKEN = 'identity-test-token-0123456789'
let core: Awaited<ReturnType<typeof tempCore>>
let host: Host
const tokens: Record<Role, string> = { viewer: '', operator: '', approver: '', admin: '' }

beforeEach(async () => {
  core = await tempCore()
  host = await startHost({ core, token: TOKEN })
  for (const role of ROLES) tokens[role] = addToken(core.ws.store, `${role}-1`, role).token
})
afterEach(async () => {
  await host.close()
  await core.cleanup()
})

async function api<T = unknown>(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${host.origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T }
}
const events = (runId: string): RunEvent[] => core.runs.events.list(runId, 0, 10_000)

describe('roles on every route', () => {
  it('each route with each role is served or refused with 403 naming the role needed', async () => {
    const names = Object.keys(routes) as RouteName[]
    expect(names.sort()).toEqual(Object.keys(ROUTE_ROLES).sort())
    for (const name of names) {
      const r = routes[name]
      const path = buildPath(r.path, { id: 'x_unknown', name: 'x_unknown' })
      for (const role of ROLES) {
        const res = await api<{ error?: { code: string; message: string } }>(tokens[role], r.method, path, r.method === 'GET' || r.method === 'DELETE' ? undefined : {})
        const need = ROUTE_ROLES[name]
        if (roleAllows(role, need)) {
          expect(res.status, `${name} as ${role}: ${JSON.stringify(res.body)}`).not.toBe(403)
          expect(res.status, `${name} as ${role}`).toBeLessThan(500)
        } else {
          expect(res.status, `${name} as ${role}`).toBe(403)
          expect(res.body.error?.code).toBe('forbidden')
          expect(res.body.error?.message).toContain(`needs the ${need} role`)
        }
      }
    }
  })

  it('the printed token is the local operator, an admin; a revoked or unknown token is 401', async () => {
    const me = await api<{ you: { name: string; role: Role } }>(TOKEN, 'GET', '/api/settings')
    expect(me.body.you).toEqual({ name: osUserName(), role: 'admin' })
    const viewer = await api<{ you: { name: string; role: Role } }>(tokens.viewer, 'GET', '/api/settings')
    expect(viewer.body.you).toEqual({ name: 'viewer-1', role: 'viewer' })
    expect(revokeToken(core.ws.store, 'viewer-1')).toBe(true)
    expect((await api(tokens.viewer, 'GET', '/api/summary')).status).toBe(401)
    expect((await api('opd_not-a-token-at-all-xxxxxxxxxx', 'GET', '/api/summary')).status).toBe(401)
  })
})

describe('tokens are stored hashed', () => {
  it('the plain token is nowhere in the database files, its sha256 is', async () => {
    const { token } = addToken(core.ws.store, 'hash-check', 'approver')
    expect(listTokens(core.ws.store).find((t) => t.name === 'hash-check')?.role).toBe('approver')
    const db = join(core.ws.dir, 'opdesk.db')
    const files = [db, `${db}-wal`].filter(existsSync).map((f) => readFileSync(f))
    const all = Buffer.concat(files)
    expect(all.includes(Buffer.from(token))).toBe(false)
    expect(all.includes(Buffer.from(hashToken(token)))).toBe(true)
    // The same name twice is refused rather than silently replaced.
    expect(() => addToken(core.ws.store, 'hash-check', 'viewer')).toThrow(/exists/)
  })

  it('opdesk token add|list|revoke from the CLI', () => {
    const { dir, cleanup } = tempDir()
    try {
      const add = cli(dir, 'token', 'add', 'ann', '--role', 'approver')
      expect(add.code, add.stderr).toBe(0)
      const token = add.stdout.trim()
      expect(token).toMatch(/^opd_[A-Za-z0-9_-]{32}$/)
      expect(cli(dir, 'token', 'add', 'x', '--role', 'boss').code).toBe(2)
      const list = cli(dir, 'token', 'list', '--json')
      expect(JSON.parse(list.stdout)).toMatchObject([{ name: 'ann', role: 'approver' }])
      expect(list.stdout).not.toContain(token)
      expect(cli(dir, 'token', 'revoke', 'ann').code).toBe(0)
      expect(cli(dir, 'token', 'revoke', 'ann').code).toBe(1)
      const db = readFileSync(join(dir, 'opdesk.db'))
      expect(db.includes(Buffer.from(token))).toBe(false)
    } finally {
      cleanup()
    }
  })
})

describe('identities in events', () => {
  it('who started, who approved: from the token, never from the body', async () => {
    const started = await api<Run>(tokens.operator, 'POST', '/api/runs', { command: 'git push origin main' })
    expect(started.status).toBe(201)
    const run = started.body
    expect(run.status).toBe('waiting-approval')
    expect(run.startedBy).toBe('operator-1')
    expect(events(run.id)[0]!.data).toMatchObject({ to: 'queued', by: 'operator-1' })

    // An operator may not decide; an approver may, and the body cannot name someone else.
    expect((await api(tokens.operator, 'POST', `/api/runs/${run.id}/reject`, { note: 'x' })).status).toBe(403)
    const res = await api<Run>(tokens.approver, 'POST', `/api/runs/${run.id}/reject`, { by: 'mallory', note: 'not today' })
    expect(res.status).toBe(200)
    expect(res.body.error).toBe('Rejected by approver-1: not today')
    const decided = events(run.id).find((e) => e.type === 'approval.decided')!
    expect(decided.data).toMatchObject({ decision: 'rejected', by: 'approver-1', note: 'not today' })
    const [approval] = (await api<Approval[]>(tokens.viewer, 'GET', '/api/approvals')).body
    expect(approval).toMatchObject({ decidedBy: 'approver-1', note: 'not today', status: 'rejected' })
  })

  it('a cancel before the start names who canceled; a policy change names who changed it', async () => {
    const run = (await api<Run>(tokens.operator, 'POST', '/api/runs', { command: 'git push origin main' })).body
    const res = await api<Run>(tokens.operator, 'POST', `/api/runs/${run.id}/cancel`)
    expect(res.body.status).toBe('canceled')
    const evs = events(run.id)
    expect(evs.find((e) => e.type === 'approval.decided')!.data).toMatchObject({ by: 'operator-1' })
    expect(evs.at(-1)!.data).toMatchObject({ to: 'canceled', reason: 'Canceled by operator-1 before it started' })

    const policy = (await api<{ source: string }>(tokens.admin, 'GET', '/api/policy')).body
    expect((await api(tokens.approver, 'POST', '/api/policy', { source: policy.source })).status).toBe(403)
    const saved = await api<{ changes: { by: string }[] }>(tokens.admin, 'POST', '/api/policy', { source: `${policy.source}\n` })
    expect(saved.status).toBe(200)
    expect(saved.body.changes.at(-1)!.by).toBe('admin-1')
  })
})

describe('separation of duties', () => {
  it('when set, nobody approves a run they started; someone else can', async () => {
    addToken(core.ws.store, 'bob', 'approver')
    const bob = addToken(core.ws.store, 'bob2', 'approver').token
    const patch = await api(tokens.admin, 'PATCH', '/api/settings', { 'approvals.separateDuties': true })
    expect(patch.status).toBe(200)
    const run = (await api<Run>(tokens.approver, 'POST', '/api/runs', { command: 'git push origin main' })).body
    expect(run.status).toBe('waiting-approval')
    const own = await api<{ error: { code: string; message: string } }>(tokens.approver, 'POST', `/api/runs/${run.id}/approve`, {})
    expect(own.status).toBe(403)
    expect(own.body.error.message).toMatch(/Separation of duties: approver-1 started run/)
    expect(core.runs.mustRun(run.id).status).toBe('waiting-approval')
    const other = await api<Run>(bob, 'POST', `/api/runs/${run.id}/approve`, { note: 'checked' })
    expect(other.status).toBe(200)
    expect(events(run.id).find((e) => e.type === 'approval.decided')!.data).toMatchObject({ decision: 'approved', by: 'bob2' })
    await core.runs.idle()
  })

  it('the approver is named in the run report (its approvals table and its events)', async () => {
    const ann = addToken(core.ws.store, 'ann', 'approver').token
    const run = (await api<Run>(tokens.operator, 'POST', '/api/runs', { command: 'git push origin main' })).body
    expect((await api(ann, 'POST', `/api/runs/${run.id}/reject`, { note: 'not from here' })).status).toBe(200)
    const art = await api<{ path: string }>(tokens.operator, 'POST', `/api/runs/${run.id}/report`, {})
    expect(art.status).toBe(200)
    const files = unzipSync(readFileSync(join(core.ws.dir, art.body.path)))
    const html = strFromU8(files['report.html']!)
    expect(html).toMatch(/<td>rejected<\/td><td>ann<\/td>/)
    const decided = strFromU8(files['events.jsonl']!)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RunEvent)
      .find((e) => e.type === 'approval.decided')!
    expect(decided.data).toMatchObject({ by: 'ann', note: 'not from here' })
  })

  it('off by default: the starter may approve', async () => {
    const run = (await api<Run>(tokens.approver, 'POST', '/api/runs', { command: 'git push origin main' })).body
    const res = await api<Run>(tokens.approver, 'POST', `/api/runs/${run.id}/reject`, {})
    expect(res.status).toBe(200)
  })
})

describe('approvals carry their context and a deadline', () => {
  it('a command approval: command, reasons, who asked, deadline', async () => {
    const run = (await api<Run>(tokens.operator, 'POST', '/api/runs', { command: 'git push origin main' })).body
    const [a] = (await api<Approval[]>(tokens.viewer, 'GET', '/api/approvals?status=pending')).body
    expect(a!.runId).toBe(run.id)
    expect(a!.context).toMatchObject({ kind: 'command', command: 'git push origin main', requestedBy: 'operator-1', flowStep: null })
    expect(a!.context.policyReasons.length).toBeGreaterThan(0)
    expect(a!.context.policyReasons).toEqual(run.policy!.reasons)
    const wait = Date.parse(a!.deadlineAt!) - Date.parse(a!.requestedAt)
    expect(wait).toBeGreaterThan(23 * 3600_000)
  })

  it('a flow approval: flow, hash, track and step, params, origins', async () => {
    const track = await core.router.call('createTrack', { body: { title: 'Pay invoices', steps: [{ title: 'Pay ACME' }] } })
    const flowSource = [
      'name: Pay',
      'allowedOrigins: ["https://portal.example.com"]',
      'params: { amount: { required: true } }',
      'steps:',
      '  - goto: https://portal.example.com/pay',
      '  - approval: { reason: "Pay ${params.amount}" }',
    ].join('\n')
    const run = insertRun(core.ws.store, {
      kind: 'browser',
      trackId: track.id,
      stepId: track.steps[0]!.id,
      flowName: 'Pay',
      flowSource,
      flowHash: 'abc123',
      params: { amount: '120.00' },
      startedBy: 'ann',
    })
    const ctx = approvalContext(core.ws.store, run, { line: 6 })
    expect(ctx).toMatchObject({
      kind: 'browser',
      flowName: 'Pay',
      flowHash: 'abc123',
      track: { id: track.id, title: 'Pay invoices' },
      step: { id: track.steps[0]!.id, title: 'Pay ACME' },
      params: { amount: '120.00' },
      origins: ['https://portal.example.com'],
      requestedBy: 'ann',
      evidence: [],
    })
  })

  it('after its deadline an undecided approval fails the run with the reason, decided by the system', async () => {
    await api(tokens.admin, 'PATCH', '/api/settings', { 'approvals.deadlineMs': 60_000 })
    const run = (await api<Run>(tokens.operator, 'POST', '/api/runs', { command: 'git push origin main' })).body
    expect(core.runs.expireApprovals(Date.now())).toEqual([])
    expect(core.runs.expireApprovals(Date.now() + 61_000)).toEqual([run.id])
    const done = core.runs.mustRun(run.id)
    expect(done.status).toBe('failed')
    expect(done.error).toMatch(/Nobody decided the approval by its deadline .*: /)
    expect(events(run.id).find((e) => e.type === 'approval.decided')!.data).toMatchObject({ decision: 'rejected', by: 'system' })
    // Deciding afterwards is a conflict, not a second decision.
    expect((await api(tokens.approver, 'POST', `/api/runs/${run.id}/approve`, {})).status).toBe(409)
  })
})
