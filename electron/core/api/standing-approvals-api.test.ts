// Approvals bound to terms, through the core's router with real runs and real SQLite:
// "approve and remember" makes a standing approval; a later run with identical terms goes
// on with `approval.reused`; a changed term asks again and shows the difference; expired
// and revoked standing approvals are not reused, also when the revocation lands just as a
// run is about to reuse it (from another process holding the database).
import { spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '../../../shared/api'
import type { Approval, Run } from '../../../shared/domain'
import type { StandingApproval } from '../../../shared/terms'
import { startFixtureSite, type FixtureSite } from '../../../test/support/fixture-site'
import { verifyChains } from '../store/events'
import { tempCore } from '../../../test/support/temp-workspace'
import { waitForStatus } from '../../../test/support/wait'

let site: FixtureSite
let core: Awaited<ReturnType<typeof tempCore>>
beforeAll(async () => {
  site = await startFixtureSite()
  core = await tempCore()
})
afterAll(async () => {
  await core?.cleanup()
  await site?.close()
})

const dana: Actor = { name: 'dana', role: 'approver' }
const sam: Actor = { name: 'sam', role: 'approver' }
const olga: Actor = { name: 'olga', role: 'operator' }
const vic: Actor = { name: 'vic', role: 'viewer' }
const req = (method: string, path: string, body?: unknown, actor?: Actor) => core.router.handle({ method, path, body, actor })
const start = async (body: Record<string, unknown>) => {
  const res = await req('POST', '/api/runs', body, olga)
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body as Run
}
const get = (id: string) => () => core.runs.mustRun(id)
const events = (id: string) => core.runs.events.list(id, 0, 10_000)
const typesOf = (id: string) => events(id).map((e) => e.type)
const standingList = async () => (await req('GET', '/api/approvals/standing', undefined, vic)).body as StandingApproval[]
const pendingFor = async (runId: string) =>
  ((await core.router.handle({ method: 'GET', path: '/api/approvals', query: { status: 'pending' } })).body as Approval[]).find((a) => a.runId === runId)
/** Inline code always needs approval by policy and harmlessly succeeds once approved. */
const inline = (n: number) => ({ command: `node -e "console.log(${n})"` })

describe('approvals bound to terms', () => {
  const payFlow = `name: Pay invoice
params:
  amount: { default: "100" }
  payee: { default: "ACME" }
  month: { default: "2026-11" }
steps:
  - goto: ${site?.url ?? 'http://127.0.0.1:1'}/search
  - approval: { reason: "Pay the invoice", terms: [amount, { payee: "to \${params.payee}" }] }
  - goto: ${site?.url ?? 'http://127.0.0.1:1'}/search
`
  it('a flow approved with remember is reused by an identical run, asks again when the amount changes and shows the difference', async () => {
    const flow = payFlow.replaceAll('http://127.0.0.1:1', site.url)
    const first = await start({ flow, params: { amount: '100', payee: 'ACME', month: '2026-11' } })
    const waiting = await waitForStatus(get(first.id), ['waiting-approval', 'failed', 'succeeded'], 60_000)
    expect(waiting.status, waiting.error ?? '').toBe('waiting-approval')
    const asked = (await pendingFor(first.id))!
    expect(asked.context.terms).toMatchObject({
      flowHash: first.flowHash,
      params: { amount: '100', payee: 'ACME', month: '2026-11' },
      values: { amount: '100', payee: 'to ACME' },
      point: 'approval step at line 8',
      origins: [new URL(site.url).origin],
    })
    expect(asked.context.termsDiff).toBeNull()

    // Only an approver may remember, and only within P90D.
    expect((await req('POST', `/api/runs/${first.id}/approve`, { remember: 'P7D' }, olga)).status).toBe(403)
    const tooLong = await req('POST', `/api/runs/${first.id}/approve`, { remember: 'P91D' }, dana)
    expect(tooLong.status).toBe(400)
    expect(JSON.stringify(tooLong.body)).toMatch(/remember/)
    const ok = await req('POST', `/api/runs/${first.id}/approve`, { remember: 'P7D', note: 'monthly invoice' }, dana)
    expect(ok.status, JSON.stringify(ok.body)).toBe(200)
    expect((await waitForStatus(get(first.id), ['succeeded', 'failed'], 60_000)).status).toBe('succeeded')
    const decided = events(first.id).find((e) => e.type === 'approval.decided')!
    expect(decided.data).toMatchObject({ approvalId: asked.id, by: 'dana', remember: 'P7D' })

    const [standing] = await standingList()
    expect(standing).toMatchObject({ id: asked.id, runId: first.id, createdBy: 'dana', state: 'active', uses: 0, scope: 'flow Pay invoice' })
    const days = (Date.parse(standing!.expiresAt) - Date.parse(standing!.createdAt)) / 86_400_000
    expect(days).toBeCloseTo(7, 2)

    // Same terms, params given in another order: goes on without waiting.
    const second = await start({ flow, params: { month: '2026-11', payee: 'ACME', amount: '100' } })
    const done = await waitForStatus(get(second.id), ['succeeded', 'failed', 'waiting-approval'], 60_000)
    expect(done.status, done.error ?? '').toBe('succeeded')
    expect(typesOf(second.id)).not.toContain('approval.requested')
    expect(events(second.id).filter((e) => e.data.to === 'waiting-approval')).toEqual([])
    const reused = events(second.id).find((e) => e.type === 'approval.reused')!
    expect(reused.data).toMatchObject({ approvalId: asked.id, approvedBy: 'dana' })
    expect((await standingList())[0]).toMatchObject({ uses: 1 })

    // The amount changes: asked again, with the difference term by term.
    const third = await start({ flow, params: { amount: '250', payee: 'ACME', month: '2026-11' } })
    expect((await waitForStatus(get(third.id), ['waiting-approval', 'failed', 'succeeded'], 60_000)).status).toBe('waiting-approval')
    expect(typesOf(third.id)).not.toContain('approval.reused')
    const again = (await pendingFor(third.id))!
    expect(again.context.termsDiff).toEqual({
      standingId: asked.id,
      changes: [
        { key: 'params.amount', change: 'changed', before: '100', after: '250' },
        { key: 'terms.amount', change: 'changed', before: '100', after: '250' },
      ],
    })
    expect((await req('POST', `/api/runs/${third.id}/reject`, { note: 'too much' }, sam)).status).toBe(200)
  })

  it('a command approved with remember is reused; another command asks again; reject cannot remember', async () => {
    const a = await start(inline(1))
    expect(a.status).toBe('waiting-approval')
    expect((await req('POST', `/api/runs/${a.id}/reject`, { remember: 'P1D' }, dana)).status).toBe(400)
    expect((await req('POST', `/api/runs/${a.id}/approve`, { remember: 'P1D' }, dana)).status).toBe(200)
    expect((await waitForStatus(get(a.id), ['succeeded', 'failed'])).status).toBe('succeeded')

    const b = await start(inline(1))
    expect(b.status).not.toBe('waiting-approval')
    expect(events(b.id).find((e) => e.type === 'approval.reused')?.data).toMatchObject({ approvalId: expect.stringMatching(/^apr_/) })
    expect((await waitForStatus(get(b.id), ['succeeded', 'failed'])).status).toBe('succeeded')

    const c = await start(inline(2))
    expect(c.status).toBe('waiting-approval')
    const diff = (await pendingFor(c.id))!.context.termsDiff
    expect(diff?.changes).toEqual([{ key: 'command', change: 'changed', before: 'node -e "console.log(1)"', after: 'node -e "console.log(2)"' }])
    await req('POST', `/api/runs/${c.id}/cancel`, undefined, olga)
  })

  it('an expired standing approval is not reused', async () => {
    const a = await start(inline(3))
    await req('POST', `/api/runs/${a.id}/approve`, { remember: 'PT1H' }, dana)
    await waitForStatus(get(a.id), ['succeeded', 'failed'])
    const id = (await pendingOrStanding(a.id)).id
    // An hour later (the clock moved on): the stored expiry is in the past.
    core.ws.store.sqlite.prepare('UPDATE standing_approvals SET expires_at = ? WHERE id = ?').run(new Date(Date.now() - 1000).toISOString(), id)
    expect((await standingList()).find((s) => s.id === id)?.state).toBe('expired')
    const b = await start(inline(3))
    expect(b.status).toBe('waiting-approval')
    expect(typesOf(b.id)).not.toContain('approval.reused')
    await req('POST', `/api/runs/${b.id}/cancel`, undefined, olga)
  })

  it('revoking: approvers only, recorded with who, once; a revoked standing approval is not reused', async () => {
    const a = await start(inline(4))
    await req('POST', `/api/runs/${a.id}/approve`, { remember: 'P30D' }, dana)
    await waitForStatus(get(a.id), ['succeeded', 'failed'])
    const id = (await pendingOrStanding(a.id)).id
    expect((await req('POST', `/api/approvals/standing/${id}/revoke`, undefined, olga)).status).toBe(403)
    expect((await req('POST', `/api/approvals/standing/nope/revoke`, undefined, sam)).status).toBe(404)
    const revoked = await req('POST', `/api/approvals/standing/${id}/revoke`, undefined, sam)
    expect(revoked.status).toBe(200)
    expect(revoked.body).toMatchObject({ id, state: 'revoked', revokedBy: 'sam' })
    expect((await req('POST', `/api/approvals/standing/${id}/revoke`, undefined, dana)).status).toBe(409)
    // In the audit trail of the run whose approval it was, once, naming who.
    expect(events(a.id).filter((e) => e.type === 'approval.revoked').map((e) => e.data)).toEqual([{ approvalId: id, by: 'sam' }])
    expect(verifyChains(core.ws.store, a.id).broken).toEqual([])
    const b = await start(inline(4))
    expect(b.status).toBe('waiting-approval')
    expect(typesOf(b.id)).not.toContain('approval.reused')
    await req('POST', `/api/runs/${b.id}/cancel`, undefined, olga)
  })

  it('a revocation committed by another process while a run is about to reuse it: the run asks again', async () => {
    const a = await start(inline(5))
    await req('POST', `/api/runs/${a.id}/approve`, { remember: 'P7D' }, dana)
    await waitForStatus(get(a.id), ['succeeded', 'failed'])
    const id = (await pendingOrStanding(a.id)).id
    // Another Opdesk process takes the write lock, revokes, and commits a moment later; the
    // run created meanwhile waits for the lock and must see the revocation when it checks.
    const other = spawn(
      process.execPath,
      [
        '-e',
        `const D = require('better-sqlite3'); const db = new D(process.argv[1]); db.pragma('busy_timeout = 10000');
         db.exec('BEGIN IMMEDIATE');
         db.prepare("UPDATE standing_approvals SET revoked_at = ?, revoked_by = 'other-process' WHERE id = ?").run(new Date().toISOString(), process.argv[2]);
         process.stdout.write('locked\\n');
         setTimeout(() => { db.exec('COMMIT'); db.close(); }, 300);`,
        core.ws.paths.db,
        id,
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    )
    await new Promise<void>((resolve, reject) => {
      other.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve())
      other.on('exit', (code) => reject(new Error(`other process exited ${code} before locking`)))
    })
    const b = await start(inline(5))
    await new Promise((r) => other.once('exit', r))
    expect(b.status).toBe('waiting-approval')
    expect(typesOf(b.id)).not.toContain('approval.reused')
    expect((await standingList()).find((s) => s.id === id)).toMatchObject({ state: 'revoked', revokedBy: 'other-process', uses: 0 })
    await req('POST', `/api/runs/${b.id}/cancel`, undefined, olga)
  })

  it('revocation racing a reuse through the router: never reused after it was revoked', async () => {
    const a = await start(inline(6))
    await req('POST', `/api/runs/${a.id}/approve`, { remember: 'P7D' }, dana)
    await waitForStatus(get(a.id), ['succeeded', 'failed'])
    const id = (await pendingOrStanding(a.id)).id
    const [revoke, run] = await Promise.all([
      req('POST', `/api/approvals/standing/${id}/revoke`, undefined, sam),
      req('POST', '/api/runs', inline(6), olga),
    ])
    expect(revoke.status).toBe(200)
    const b = run.body as Run
    const s = (await standingList()).find((x) => x.id === id)!
    const reuse = events(b.id).find((e) => e.type === 'approval.reused')
    if (reuse) {
      // Reused first: the use was counted before the revocation.
      expect(s.uses).toBe(1)
      expect(Date.parse(s.lastUsedAt!)).toBeLessThanOrEqual(Date.parse(s.revokedAt!))
    } else {
      expect(s.uses).toBe(0)
      expect(core.runs.mustRun(b.id).status).toBe('waiting-approval')
      await req('POST', `/api/runs/${b.id}/cancel`, undefined, olga)
    }
    // Whichever won, the next identical run asks.
    const c = await start(inline(6))
    expect(c.status).toBe('waiting-approval')
    await req('POST', `/api/runs/${c.id}/cancel`, undefined, olga)
  })
})

/** The standing approval a run's approval made (its id is that approval's id). */
async function pendingOrStanding(runId: string): Promise<StandingApproval> {
  const s = (await standingList()).find((x) => x.runId === runId)
  if (!s) throw new Error(`no standing approval from run ${runId}`)
  return s
}
