import type { Actor } from '../../../shared/api'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Run } from '../../../shared/domain'
import { tempCore } from '../../../test/support/temp-workspace'
import { waitForStatus, waitUntil } from '../../../test/support/wait'
import { verifyChains } from '../store/events'
import { pidsRunning } from '../sandbox/testing'
import { alive as pidAlive, processesIn } from '../../../test/support/processes'

let core: Awaited<ReturnType<typeof tempCore>>
beforeEach(async () => {
  core = await tempCore()
})
afterEach(async () => {
  await core.cleanup()
})

const post = async (path: string, body?: unknown, actor?: Actor) => core.router.handle({ method: 'POST', path, body, actor })
const dana: Actor = { name: 'dana', role: 'approver' }
const sam: Actor = { name: 'sam', role: 'approver' }
const start = async (command: string, extra: Record<string, unknown> = {}) => {
  const res = await post('/api/runs', { command, ...extra })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body as Run
}
const get = (id: string) => () => core.runs.mustRun(id)
/** Inline interpreter code needs approval by policy, so tests run script files (in work/, where commands run). */
const script = (name: string, code: string) => {
  writeFileSync(join(core.ws.paths.work, name), code)
  return `node ${name}`
}
const events = (id: string) => core.runs.events.list(id, 0, 10_000)

describe('command runs', () => {
  it('runs a command, streams its output as ordered events and keeps the exit code', async () => {
    const run = await start(script('lines.js', `for (let i = 0; i < 5; i++) console.log('line ' + i); console.error('warned')`))
    const done = await waitForStatus(get(run.id), ['succeeded', 'failed'])
    expect(done.status, done.error ?? '').toBe('succeeded')
    expect(done.exitCode).toBe(0)
    expect(done.phase).toBe('artifact')
    const out = events(run.id)
      .filter((e) => e.type === 'stdout')
      .map((e) => e.data.text)
      .join('')
    expect(out).toBe('line 0\nline 1\nline 2\nline 3\nline 4\n')
    expect(events(run.id).some((e) => e.type === 'stderr' && String(e.data.text).includes('warned'))).toBe(true)
    const types = events(run.id).map((e) => e.type)
    expect(types.slice(0, 3)).toEqual(['run.status', 'policy.verdict', 'run.status'])
    expect(types.at(-1)).toBe('run.status')
    expect(verifyChains(core.ws.store, run.id).broken).toEqual([])
  })

  it('keeps a failing exit code and raises a run-failed alert', async () => {
    const run = await start(script('exit7.js', 'process.exit(7)'))
    const done = await waitForStatus(get(run.id), ['failed'])
    expect(done.exitCode).toBe(7)
    expect(done.error).toBe('Exited with code 7')
    const alerts = (await core.router.call('listAlerts', { query: { open: 'true' } })).filter((a) => a.runId === run.id)
    expect(alerts.map((a) => a.kind)).toEqual(['run-failed'])
  })

  it('decodes multi-byte characters split across chunks', async () => {
    // Write the UTF-8 bytes of "héllo ✓ 日本" one byte at a time, flushing each.
    const script = join(core.ws.paths.work, 'bytes.js')
    writeFileSync(
      script,
      `const b = Buffer.from('héllo ✓ 日本\\n'); let i = 0; const t = setInterval(() => { process.stdout.write(b.subarray(i, i + 1)); if (++i >= b.length) clearInterval(t) }, 2)`,
    )
    const run = await start('node bytes.js')
    await waitForStatus(get(run.id), ['succeeded'])
    const text = events(run.id)
      .filter((e) => e.type === 'stdout')
      .map((e) => e.data.text)
      .join('')
    expect(text).toBe('héllo ✓ 日本\n')
    expect(text).not.toContain('\uFFFD')
  })

  it('writes output in batches, not one commit per read', async () => {
    const run = await start(script('many.js', 'for (let i = 0; i < 3000; i++) console.log(i)'))
    await waitForStatus(get(run.id), ['succeeded'])
    const out = events(run.id).filter((e) => e.type === 'stdout')
    expect(out.map((e) => e.data.text).join('').split('\n').filter(Boolean)).toHaveLength(3000)
    expect(out.length).toBeLessThan(3000)
  })

  it('uses a minimal environment and closes stdin', async () => {
    process.env.OPDESK_TEST_LEAK = 'should-not-pass'
    const run = await start(
      script('env.js', `console.log(JSON.stringify(Object.keys(process.env))); process.stdin.on('end', () => console.log('stdin closed')).resume()`),
    )
    await waitForStatus(get(run.id), ['succeeded'])
    delete process.env.OPDESK_TEST_LEAK
    const out = events(run.id)
      .filter((e) => e.type === 'stdout')
      .map((e) => e.data.text)
      .join('')
    expect(out).not.toContain('OPDESK_TEST_LEAK')
    expect(out).toContain('PATH')
    expect(out).toContain('stdin closed')
  })

  it('cancel kills the whole process group, leaving no orphan', async () => {
    // The shell starts a grandchild that ignores nothing and sleeps; both must die. Inside
    // the sandbox's PID namespace $! is not the host's pid, so find it by its argv.
    const run = await start(`sh -c 'sleep 301 & wait'`)
    await waitUntil(() => pidsRunning(['sleep', '301']).length > 0, 10_000, 'the grandchild to start')
    const grandchild = pidsRunning(['sleep', '301'])[0]!
    expect(pidAlive(grandchild)).toBe(true)
    const canceled = await post(`/api/runs/${run.id}/cancel`)
    expect(canceled.status).toBe(200)
    const done = await waitForStatus(get(run.id), ['canceled'], 10_000)
    expect(done.status).toBe('canceled')
    await waitUntil(() => !pidAlive(grandchild), 5_000, 'the grandchild to die')
  })

  it('a run canceled the moment it starts leaves nothing running', async () => {
    // The cancel can reach bwrap before it has said which process is the sandbox's first
    // (pid 1 of its namespace); bwrap then dies and that process, with the command, must not
    // live on. Several tries, since the moment is a race.
    for (let i = 0; i < 5; i++) {
      const run = await start(`sh -c 'sleep 60${i}'`)
      await waitUntil(() => events(run.id).some((e) => e.type === 'process.started'), 10_000, 'the process to start', 1)
      expect((await post(`/api/runs/${run.id}/cancel`)).status).toBe(200)
      await waitForStatus(get(run.id), ['canceled'], 10_000)
      await waitUntil(() => processesIn(core.ws.paths.work).length === 0, 5_000, 'the sandbox to be gone').catch(() => {})
      expect(processesIn(core.ws.paths.work), `try ${i + 1}: processes left in the run's folder`).toEqual([])
    }
  })

  it('times out, kills the tree and says so', async () => {
    const { setSetting } = await import('../store/settings')
    setSetting(core.ws.store, 'commands.timeoutMs', 500)
    const run = await start(script('forever.js', 'setTimeout(() => {}, 60000)'))
    const done = await waitForStatus(get(run.id), ['failed'], 10_000)
    expect(done.error).toMatch(/Timed out after/)
  })

  it('a run canceled while still queued never starts', async () => {
    core.runs.setConcurrency(1)
    const marker = join(core.ws.paths.work, 'ran.txt')
    const first = await start(script('slow.js', 'setTimeout(() => {}, 1500)'))
    const second = await start(script('mark.js', "require('fs').writeFileSync('ran.txt', 'x')"))
    expect(core.runs.mustRun(second.id).status).toBe('queued')
    expect((await post(`/api/runs/${second.id}/cancel`)).status).toBe(200)
    await waitForStatus(get(first.id), ['succeeded'])
    await core.runs.idle()
    expect(core.runs.mustRun(second.id).status).toBe('canceled')
    expect(existsSync(marker)).toBe(false)
  })

  it('retry creates a new attempt linked to the old one', async () => {
    const run = await start(script('exit1.js', 'process.exit(1)'))
    await waitForStatus(get(run.id), ['failed'])
    const res = await post(`/api/runs/${run.id}/retry`)
    expect(res.status).toBe(201)
    const retry = res.body as Run
    expect(retry).toMatchObject({ attempt: 2, retryOf: run.id, command: run.command })
    await waitForStatus(get(retry.id), ['failed'])
    const again = await post(`/api/runs/${retry.id}/retry`)
    expect((again.body as Run).attempt).toBe(3)
  })

  it('refuses illegal actions with 409', async () => {
    const run = await start(script('ok.js', '0'))
    await waitForStatus(get(run.id), ['succeeded'])
    for (const action of ['cancel', 'retry', 'approve', 'reject', 'resume']) {
      const res = await post(`/api/runs/${run.id}/${action}`, {})
      expect(res.status, action).toBe(409)
    }
  })
})

describe('policy gates command runs', () => {
  it('answers policy-check before a run exists', async () => {
    const res = await post('/api/policy-check', { command: 'rm -rf /' })
    expect(res.body).toMatchObject({ verdict: 'deny' })
    expect((await core.router.call('listRuns')).total).toBe(0)
  })

  it('a denied command is blocked and never runs', async () => {
    const run = await start('curl http://127.0.0.1:9/x | sh')
    expect(run.status).toBe('blocked')
    expect(run.policy?.verdict).toBe('deny')
    expect(run.error).toMatch(/Denied by policy/)
    expect(events(run.id).map((e) => e.type)).toEqual(['run.status', 'policy.verdict', 'run.status'])
  })

  it('inline interpreter code cannot be judged, so it waits for approval', async () => {
    const run = await start('node -e "console.log(1)"')
    expect(run.status).toBe('waiting-approval')
    expect(run.policy?.reasons.join(' ')).toMatch(/inline code/)
  })

  it('a risky command waits for approval; approve runs it, a second decision gets 409', async () => {
    const run = await start('sudo -n true; echo approved-and-ran')
    expect(run.status).toBe('waiting-approval')
    const approvals = await core.router.call('listApprovals', { query: { status: 'pending' } })
    expect(approvals.map((a) => a.runId)).toEqual([run.id])
    const alerts = (await core.router.call('listAlerts', { query: { open: 'true' } })).map((a) => a.kind)
    expect(alerts).toContain('approval-needed')

    const [a, b] = await Promise.all([
      post(`/api/runs/${run.id}/approve`, { note: 'ok for test' }, dana),
      post(`/api/runs/${run.id}/approve`, {}, sam),
    ])
    expect([a.status, b.status].sort()).toEqual([200, 409])
    const done = await waitForStatus(get(run.id), ['succeeded', 'failed'])
    expect(events(done.id).some((e) => e.type === 'stdout' && String(e.data.text).includes('approved-and-ran'))).toBe(true)
    const decided = events(done.id).find((e) => e.type === 'approval.decided')!
    expect(decided.data).toMatchObject({ decision: 'approved', by: expect.stringMatching(/dana|sam/) })
  })

  it('reject ends the run with the reason', async () => {
    const run = await start('git push origin main')
    expect(run.status).toBe('waiting-approval')
    // A name in the body is not who decides: the caller's identity is.
    const res = await post(`/api/runs/${run.id}/reject`, { by: 'mallory', note: 'not today' }, dana)
    expect(res.status).toBe(200)
    const done = core.runs.mustRun(run.id)
    expect(done.status).toBe('failed')
    expect(done.error).toBe('Rejected by dana: not today')
  })

  it('a retry of a blocked run judges policy again', async () => {
    const run = await start('mkfs.ext4 /dev/sda1')
    expect(run.status).toBe('blocked')
    const retry = (await post(`/api/runs/${run.id}/retry`)).body as Run
    expect(retry.status).toBe('blocked')
    expect(events(retry.id).filter((e) => e.type === 'policy.verdict')).toHaveLength(1)
  })

  it('refuses a cwd in the workspace but outside work/', async () => {
    for (const cwd of ['..', core.ws.dir, core.ws.paths.evidence]) {
      const res = await post('/api/runs', { command: 'ls', cwd })
      expect(res.status, cwd).toBe(400)
      expect((res.body as { error: { message: string } }).error.message).toMatch(/not under work/)
    }
  })

  it('refuses a cwd outside the workspace', async () => {
    const res = await post('/api/runs', { command: 'ls', cwd: '/etc' })
    expect(res.status).toBe(400)
    expect((res.body as { error: { message: string } }).error.message).toMatch(/outside the workspace/)
  })
})

describe('run reports from the API', () => {
  it('writes a report zip as a report artifact whose content can be fetched', async () => {
    const run = await start(script('hi.js', 'console.log("hi")'))
    await waitForStatus(get(run.id), ['succeeded'])
    const res = await post(`/api/runs/${run.id}/report`)
    expect(res.status).toBe(200)
    const art = res.body as { id: string; kind: string; bytes: number; path: string }
    expect(art).toMatchObject({ kind: 'report', path: `exports/report-${run.id}.zip` })
    const content = await core.router.handle({ method: 'GET', path: `/api/artifacts/${art.id}/content` })
    expect(content.file?.contentType).toBe('application/zip')
    const { unzipSync } = await import('fflate')
    const files = unzipSync(readFileSync(content.file!.path))
    expect(new TextDecoder().decode(files['report.html'])).toContain('hi')
    expect(art.bytes).toBe(readFileSync(content.file!.path).length)
  })
})

describe('approvals never outlive their run', () => {
  it('a browser run canceled during an approval step leaves no pending approval', async () => {
    const flow = `name: Ask then stop
steps:
  - approval: { reason: "Check the numbers" }
`
    const res = await post('/api/runs', { flow })
    const id = (res.body as Run).id
    await waitForStatus(get(id), ['waiting-approval'], 60_000)
    expect((await core.router.call('listApprovals', { query: { status: 'pending' } })).map((a) => a.runId)).toContain(id)
    await post(`/api/runs/${id}/cancel`)
    await waitForStatus(get(id), ['canceled'], 30_000)
    expect((await core.router.call('listApprovals', { query: { status: 'pending' } })).map((a) => a.runId)).not.toContain(id)
  })
})
