// Security suite: commands the policy allows, run for real, try to reach what the sandbox
// must keep from them. Every assertion checks the real files and processes afterwards.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Run } from '../../../shared/domain'
import { tempCore } from '../../../test/support/temp-workspace'
import { keyFileFor } from '../secrets/key-store'
import { waitForStatus, waitUntil } from '../../../test/support/wait'
import { detectSandbox } from '.'
import { identify, stillLeadsGroup } from './proc'
import { pidsRunning } from './testing'

const status = detectSandbox()
// CI installs bubblewrap: there a missing sandbox must fail the suite, not skip it.
const suite = describe.runIf(status.available || process.env.CI)

let core: Awaited<ReturnType<typeof tempCore>>
const mark = randomBytes(6).toString('hex')
const POLICY = 'commands:\n  extraDeny: ["mkfs"]\n'

beforeEach(async () => {
  core = await tempCore()
  expect((await post('/api/policy', { source: POLICY })).status).toBe(200)
  await core.secrets.put('acme_pass', `secret-${mark}`)
})
afterEach(async () => {
  await core.cleanup()
})

const post = (path: string, body?: unknown) => core.router.handle({ method: 'POST', path, body })
const start = async (command: string, extra: Record<string, unknown> = {}): Promise<Run> => {
  const res = await post('/api/runs', { command, ...extra })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body as Run
}
/** Shell syntax and unknown programs need a person's approval; the sandbox holds them either way. */
const startApproved = async (command: string): Promise<Run> => {
  const run = await start(command)
  expect(run.policy?.verdict, JSON.stringify(run.policy)).toBe('requires-approval')
  await waitForStatus(() => core.runs.mustRun(run.id), ['waiting-approval'], 10_000)
  const res = await post(`/api/runs/${run.id}/approve`, {})
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return run
}
const finished = (id: string, ms = 20_000) => waitForStatus(() => core.runs.mustRun(id), ['succeeded', 'failed', 'canceled', 'blocked'], ms)
const output = (id: string) =>
  core.runs.events
    .list(id, 0, 10_000)
    .filter((e) => e.type === 'stdout' || e.type === 'stderr')
    .map((e) => String(e.data.text))
    .join('')
/** A node script in work/ (inline code needs approval); each probe prints what it managed. */
const probe = (name: string, code: string) => {
  writeFileSync(join(core.ws.paths.work, name), `const fs = require('fs');\nconst t = (what, f) => { try { const r = f(); console.log(what, 'OK', r === undefined ? '' : String(r).slice(0, 200)) } catch (e) { console.log(what, 'ERR', e.code || e.message) } };\n${code}`)
  return `node ${name}`
}
/** Paths go through a file, not argv: named on the line, the key or the database would need approval. */
const runProbe = async (name: string, code: string, args: string[] = []) => {
  writeFileSync(join(core.ws.paths.work, `${name}.args`), JSON.stringify(args))
  const run = await start(probe(name, `process.argv.push(...JSON.parse(fs.readFileSync(${JSON.stringify(`${name}.args`)}, 'utf8')));\n${code}`))
  expect(run.policy?.verdict, JSON.stringify(run.policy)).toBe('allow')
  const done = await finished(run.id)
  return { done, out: output(run.id) }
}

suite('command sandbox: what an allowed command cannot do', () => {
  it('(a) cannot rewrite policy.yaml, by path or through ..', async () => {
    const { out } = await runProbe('a.js', `for (const p of process.argv.slice(2)) t('write ' + p, () => fs.writeFileSync(p, 'commands:\\n  allow: ["*"]\\n'))`, [
      core.ws.paths.policy,
      '../policy.yaml',
    ])
    expect(out).toContain('write')
    expect(readFileSync(core.ws.paths.policy, 'utf8')).toBe(POLICY)
    expect((await post('/api/policy-check', { command: 'mkfs.ext4 /dev/sda1' })).body).toMatchObject({ verdict: 'deny' })
  })

  it('(b) cannot read the secrets key or the sealed secrets', async () => {
    const key = readFileSync(keyFileFor(core.ws.store))
    const { out } = await runProbe('b.js', `for (const p of process.argv.slice(2)) t('read ' + p, () => fs.readFileSync(p).toString('hex'))`, [
      keyFileFor(core.ws.store),
      '../.opdesk-key',
      core.ws.paths.db,
    ])
    expect(out).toMatch(/read .*\.opdesk-key ERR ENOENT/)
    expect(out).not.toContain(key.toString('hex'))
    expect(out).not.toMatch(/ OK /)
  })

  it('(c) cannot read opdesk.db, its WAL, evidence or profiles', async () => {
    const paths = [core.ws.paths.db, `${core.ws.paths.db}-wal`, core.ws.paths.evidence, core.ws.paths.profiles, core.ws.dir]
    const { out } = await runProbe('c.js', `for (const p of process.argv.slice(2)) { t('read ' + p, () => fs.readFileSync(p).length); t('list ' + p, () => fs.readdirSync(p).join(',')) }`, paths)
    expect(out).not.toMatch(/read \S+ OK/)
    // The workspace root shows only the run's own work/ folder (the mount point), nothing else.
    expect(out).toContain(`list ${core.ws.dir} OK work\n`)
    expect(out).not.toMatch(/list \S+(evidence|profiles) OK \S/)
  })

  it('(d) cannot write outside its cwd: the workspace root, $HOME, /etc', async () => {
    const targets = [join(core.ws.dir, `escape-${mark}`), join(homedir(), `escape-${mark}`), `/etc/escape-${mark}`, join(core.ws.paths.evidence, `escape-${mark}`)]
    const { out } = await runProbe('d.js', `for (const p of process.argv.slice(2)) t('write ' + p, () => fs.writeFileSync(p, 'x'))`, targets)
    expect(out).toContain('/etc/escape')
    for (const p of targets) expect(existsSync(p), p).toBe(false)
  })

  it('(e) cannot reach the network, not even a loopback server', async () => {
    const { server, port, hits } = await listen()
    try {
      const { out } = await runProbe(
        'e.js',
        `require('http').get('http://127.0.0.1:${port}/', (r) => (console.log('net OK', r.statusCode), process.exit(0))).on('error', (e) => console.log('net ERR', e.code))`,
      )
      expect(out).toMatch(/net ERR/)
      expect(hits()).toBe(0)
    } finally {
      server.close()
    }
  })

  it('(e) reaches the network once the policy names a host (the whole network: documented)', async () => {
    expect((await post('/api/policy', { source: `${POLICY}  networkHosts: ["127.0.0.1"]\n` })).status).toBe(200)
    const { server, port, hits } = await listen()
    try {
      const { out } = await runProbe('e2.js', `require('http').get('http://127.0.0.1:${port}/', (r) => (console.log('net OK', r.statusCode), process.exit(0))).on('error', (e) => console.log('net ERR', e.code))`)
      expect(out).toContain('net OK 200')
      expect(hits()).toBe(1)
    } finally {
      server.close()
    }
  })

  it('(f) leaves no background child behind, even one that holds stdout or starts its own session', async () => {
    const run = await startApproved(`sh -c 'sleep 331 & setsid sleep 332 & sleep 333 >/dev/null 2>&1 & echo started'`)
    const done = await finished(run.id, 15_000)
    expect(done.status).toBe('succeeded')
    expect(output(run.id)).toContain('started')
    await waitUntil(() => ['331', '332', '333'].every((n) => pidsRunning(['sleep', n]).length === 0), 5_000, 'the background children to die')
  })

  it('(f) cancel ends a tree whose process ignores SIGTERM', async () => {
    const run = await startApproved(`sh -c 'trap "" TERM; sleep 334 & sleep 335; wait'`)
    await waitUntil(() => pidsRunning(['sleep', '335']).length > 0, 10_000, 'the sleep to start')
    expect((await post(`/api/runs/${run.id}/cancel`)).status).toBe(200)
    await waitForStatus(() => core.runs.mustRun(run.id), ['canceled'], 15_000)
    await waitUntil(() => pidsRunning(['sleep', '334']).length + pidsRunning(['sleep', '335']).length === 0, 5_000, 'the tree to die')
  })

  it('(g) cannot escape through symlinks in work/', async () => {
    symlinkSync(core.ws.dir, join(core.ws.paths.work, 'ws'))
    symlinkSync('/etc', join(core.ws.paths.work, 'etc'))
    symlinkSync(homedir(), join(core.ws.paths.work, 'home'))
    const { out } = await runProbe(
      'g.js',
      `t('policy', () => fs.writeFileSync('ws/policy.yaml', 'x')); t('key', () => fs.readFileSync('ws/.opdesk-key').toString('hex'));
       t('etc', () => fs.writeFileSync('etc/escape-${mark}', 'x')); t('home', () => fs.writeFileSync('home/escape-${mark}', 'x'))`,
    )
    expect(out).toMatch(/key ERR/)
    expect(out).not.toContain(readFileSync(keyFileFor(core.ws.store)).toString('hex'))
    expect(readFileSync(core.ws.paths.policy, 'utf8')).toBe(POLICY)
    expect(existsSync(`/etc/escape-${mark}`)).toBe(false)
    expect(existsSync(join(homedir(), `escape-${mark}`))).toBe(false)
    // A cwd that is a symlink out of work/ is refused, not bound writable.
    for (const cwd of ['ws', 'etc']) {
      const run = await start('ls', { cwd })
      const done = await finished(run.id)
      expect(done.status, cwd).toBe('failed')
      expect(done.error).toMatch(/outside work\/|outside the workspace's work/)
    }
  })

  it('works normally in its cwd and a private /tmp', async () => {
    const tmpName = `/tmp/opdesk-private-${mark}`
    const { done, out } = await runProbe(
      'ok.js',
      `fs.writeFileSync('out.txt', 'made here'); fs.mkdirSync('sub'); fs.writeFileSync('sub/x', '1');
       fs.writeFileSync('${tmpName}', 'tmp'); console.log(fs.readFileSync('${tmpName}', 'utf8'), fs.readFileSync('out.txt', 'utf8'))`,
    )
    expect(done.status, out).toBe('succeeded')
    expect(out).toContain('tmp made here')
    expect(readFileSync(join(core.ws.paths.work, 'out.txt'), 'utf8')).toBe('made here')
    expect(existsSync(join(core.ws.paths.work, 'sub', 'x'))).toBe(true)
    expect(existsSync(tmpName)).toBe(false)
  })
})

describe('where no sandbox can start', () => {
  let bare: Awaited<ReturnType<typeof tempCore>>
  beforeAll(async () => {
    bare = await tempCore({ sandbox: { available: false, kind: 'none', detail: 'injected by the test' } })
  })
  afterAll(async () => {
    await bare.cleanup()
  })

  it('every command requires approval, and a denial stays a denial', async () => {
    for (const command of ['ls', 'echo hi', 'node build.js', 'git status']) {
      const res = await bare.router.handle({ method: 'POST', path: '/api/policy-check', body: { command } })
      expect(res.body, command).toMatchObject({ verdict: 'requires-approval' })
      expect((res.body as { reasons: string[] }).reasons.join(' ')).toMatch(/not sandboxed on this machine/)
    }
    const run = (await bare.router.handle({ method: 'POST', path: '/api/runs', body: { command: 'ls' } })).body as Run
    expect(run.status).toBe('waiting-approval')
    expect((await bare.router.handle({ method: 'POST', path: '/api/policy-check', body: { command: 'rm -rf /' } })).body).toMatchObject({ verdict: 'deny' })
  })

  it('says so in the health answer Settings shows', async () => {
    const health = (await bare.router.handle({ method: 'GET', path: '/api/health' })).body as { sandbox: { available: boolean } }
    expect(health.sandbox).toEqual({ available: false, kind: 'none', detail: 'injected by the test' })
  })
})

describe('process identity for recovery', () => {
  it('proves a live group leader and refuses a reused or wrong pid', async () => {
    const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' })
    try {
      await waitUntil(() => identify(child.pid!) !== null, 2_000, 'the child')
      const id = identify(child.pid!)!
      expect(stillLeadsGroup(id)).toBe(true)
      expect(stillLeadsGroup({ ...id, startTime: String(Number(id.startTime) - 1) })).toBe(false)
      expect(stillLeadsGroup({ ...id, bootId: 'another-boot' })).toBe(false)
      expect(stillLeadsGroup({ pid: id.pid })).toBe(false)
      expect(stillLeadsGroup({ ...id, pid: process.pid })).toBe(false)
    } finally {
      child.kill('SIGKILL')
    }
  })
})

async function listen(): Promise<{ server: Server; port: number; hits(): number }> {
  let count = 0
  const server = createServer((_req, res) => {
    count++
    res.end('hello')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as { port: number }).port
  return { server, port, hits: () => count }
}
