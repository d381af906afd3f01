// Host mode probes (issue 11): each finding of the attacker's probe as a test against a
// real HTTP server on a real workspace. Raw sockets and node:http are used where a probe
// needs a header fetch() would not let it choose (Host).
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { request } from 'node:http'
import { connect } from 'node:net'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { recordArtifact } from '../core/store/artifacts'
import { insertRun } from '../core/store/runs'
import { openStore } from '../core/store/db'
import { tempCore, tempDir } from '../../test/support/temp-workspace'
import { MIN_TOKEN_LENGTH, newToken } from './auth'
import { startHost, type Host } from './server'
import { cli } from '../../test/support/host-process'

const TOKEN = 'security-token-0123456789'
let core: Awaited<ReturnType<typeof tempCore>>
let host: Host

beforeEach(async () => {
  core = await tempCore()
  host = await startHost({ core, token: TOKEN })
})
afterEach(async () => {
  await host.close()
  await core.cleanup()
})

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
}

/** One HTTP request with exactly the headers given (Host included). */
function send(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method: opts.method ?? 'GET', headers: opts.headers ?? {}, setHost: false })
    req.on('response', (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (text += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }))
    })
    req.on('error', reject)
    req.end(opts.body)
  })
}

/** A request line no HTTP client library would build (paths the URL parser rejects). */
function raw(line: string, headers: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = connect(host.port, '127.0.0.1')
    let got = ''
    s.on('data', (d) => (got += d.toString()))
    s.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(got)?.[1] ?? 0)))
    s.on('error', reject)
    s.end(`${line}\r\n${headers}Connection: close\r\n\r\n`)
  })
}

const own = () => ({ host: `127.0.0.1:${host.port}` })
const bearer = (t = TOKEN) => ({ ...own(), authorization: `Bearer ${t}` })

function upgrade(headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/runs/run_x/takeover`, { headers })
    ws.once('open', () => {
      ws.close()
      resolve(101)
    })
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.once('error', () => resolve(-1))
  })
}

describe('Host header (DNS rebinding)', () => {
  it('serves its own names and refuses any other Host with 403 in the error shape', async () => {
    expect((await send('/api/health', { headers: bearer() })).status).toBe(200)
    expect((await send('/api/health', { headers: { ...bearer(), host: `localhost:${host.port}` } })).status).toBe(200)
    for (const foreign of [`evil.example:${host.port}`, 'evil.example', `127.0.0.1:${host.port + 1}`, `127.0.0.1.evil.example:${host.port}`]) {
      const res = await send('/api/health', { headers: { ...bearer(), host: foreign } })
      expect(res.status, foreign).toBe(403)
      expect(JSON.parse(res.text)).toMatchObject({ error: { code: 'forbidden', message: expect.any(String) } })
    }
    // Without any Host at all (HTTP/1.0 style) it is not ours either.
    expect(await raw('GET /api/health HTTP/1.0', `Authorization: Bearer ${TOKEN}\r\n`)).toBe(403)
  })

  it('refuses the token exchange and the UI under a foreign Host', async () => {
    const res = await send(`/?token=${TOKEN}`, { headers: { host: `rebound.example:${host.port}` } })
    expect(res.status).toBe(403)
    expect(res.headers['set-cookie']).toBeUndefined()
  })

  it('refuses a WebSocket upgrade under a foreign Host, even with the token', async () => {
    expect(await upgrade({ host: `evil.example:${host.port}`, authorization: `Bearer ${TOKEN}` })).toBe(403)
    // Under our own Host the same upgrade gets past the Host check (the run does not exist).
    expect(await upgrade({ authorization: `Bearer ${TOKEN}` })).toBe(404)
  })
})

describe('token guessing', () => {
  it('limits wrong bearer tokens but never refuses the valid one', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 25; i++) statuses.push((await send('/api/health', { headers: bearer(`guess-${i}-aaaaaaaaaaaa`) })).status)
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true)
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true)
    const limited = await send('/api/health', { headers: bearer('one-more-wrong-guess') })
    expect(JSON.parse(limited.text)).toMatchObject({ error: { code: 'rate_limited' } })
    // The operator, on the same address, is still served at once.
    expect((await send('/api/health', { headers: bearer() })).status).toBe(200)
    expect((await send('/api/summary', { headers: { ...own(), cookie: `opdesk_token=${TOKEN}` } })).status).toBe(200)
  })

  it('limits cookie guesses too', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 22; i++) statuses.push((await send('/api/health', { headers: { ...own(), cookie: `opdesk_token=guess${i}` } })).status)
    expect(statuses.at(-1)).toBe(429)
    expect((await send('/api/health', { headers: { ...own(), cookie: `opdesk_token=${TOKEN}` } })).status).toBe(200)
  })

  it('limits /?token= guesses, and the printed URL still works afterwards', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 22; i++) statuses.push((await send(`/?token=guess${i}`, { headers: own() })).status)
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true)
    expect(statuses.at(-1)).toBe(429)
    const ok = await send(`/?token=${TOKEN}`, { headers: own() })
    expect(ok.status).toBe(303)
    expect(String(ok.headers['set-cookie'])).toMatch(/opdesk_token=/)
  })

  it('counts guesses on the takeover socket with the same limit', async () => {
    for (let i = 0; i < 20; i++) await send('/api/health', { headers: bearer(`guess-${i}`) })
    expect(await upgrade({ authorization: 'Bearer still-guessing' })).toBe(429)
    expect(await upgrade({ authorization: `Bearer ${TOKEN}` })).toBe(404)
  })

  it('makes a 128-bit token by default and refuses a chosen one under 16 characters', async () => {
    const t = newToken()
    expect(Buffer.from(t, 'base64url').length).toBe(16)
    expect(newToken()).not.toBe(t)
    const other = await startHost({ core })
    try {
      expect(Buffer.from(other.token, 'base64url').length).toBeGreaterThanOrEqual(16)
    } finally {
      await other.close()
    }
    await expect(startHost({ core, token: 'short-token' })).rejects.toThrow(/at least 16 characters/)
    const ws = tempDir('opdesk-sec-cli-')
    try {
      const r = cli(ws.dir, 'serve', '--port', '0', '--token', 'x'.repeat(MIN_TOKEN_LENGTH - 1))
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/--token .*at least 16 characters/)
    } finally {
      ws.cleanup()
    }
  })
})

describe('bad input is 400, never 500', () => {
  it('answers bad percent-encoding in paths, queries and cookies with 4xx', async () => {
    for (const path of ['/api/runs/%E0%A4%A', '/api/tracks/%ZZ', '/api/runs/%', '/api/artifacts/%C0%80/content']) {
      const res = await send(path, { headers: bearer() })
      expect(res.status, path).toBe(400)
      expect(JSON.parse(res.text)).toMatchObject({ error: { code: 'bad_request' } })
    }
    expect((await send('/api/runs?status=%E0%A4%A&q=%', { headers: bearer() })).status).toBeLessThan(500)
    expect((await send('/api/health', { headers: { ...own(), cookie: 'opdesk_token=%E0%A4%A' } })).status).toBe(401)
    // Request targets the URL parser refuses.
    for (const line of ['GET // HTTP/1.1', 'GET /\\ HTTP/1.1', 'GET //[ HTTP/1.1']) {
      const status = await raw(line, `Host: 127.0.0.1:${host.port}\r\nAuthorization: Bearer ${TOKEN}\r\n`)
      expect(status, line).toBeGreaterThanOrEqual(400)
      expect(status, line).toBeLessThan(500)
    }
  })

  it('refuses a YAML alias bomb in POST /api/policy without saving it', async () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for (let i = 1; i < 10; i++) {
      const [prev, name] = [String.fromCharCode(96 + i), String.fromCharCode(97 + i)]
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`)
    }
    const started = Date.now()
    const res = await send('/api/policy', { method: 'POST', headers: { ...bearer(), 'content-type': 'application/json' }, body: JSON.stringify({ source: lines.join('\n') }) })
    expect(res.status).toBeLessThan(500)
    expect(Date.now() - started).toBeLessThan(5_000)
    // A broken policy answers with its problems (as any other broken file does) and is not written.
    expect(JSON.parse(res.text).problems?.[0]?.message ?? JSON.parse(res.text).error?.message).toMatch(/alias|resource/i)
    expect(existsSync(core.ws.paths.policy) ? readFileSync(core.ws.paths.policy, 'utf8') : '').not.toContain('lol')
  })

  it('answers fuzzed paths, methods and bodies on every route without a 500', async () => {
    const segment = fc.oneof(
      fc.string({ maxLength: 12 }).map((s) => encodeURIComponent(s)),
      fc.constantFrom('%', '%Z', '%E0%A4%A', '%00', '%2F', '..', '%2e%2e', '%C0%AF', '~', '%FF%FE'),
    )
    const prefixes = ['/api/runs', '/api/tracks', '/api/flows', '/api/artifacts', '/api/alerts', '/api/steps', '/api/policy', '/api/secrets', '/api/settings', '/api/approvals']
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...prefixes),
        fc.array(segment, { maxLength: 3 }),
        fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT'),
        fc.oneof(fc.constant(undefined), fc.string({ maxLength: 30 }), fc.json({ maxDepth: 2 })),
        fc.string({ maxLength: 20 }).map((s) => s.replace(/[#\s]/g, '')),
        async (prefix, segs, method, body, query) => {
          const path = [prefix, ...segs].join('/') + (query ? `?${query}` : '')
          const headers: Record<string, string> = { ...bearer(), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }
          const res = await send(path, { method, headers, body: method === 'GET' ? undefined : body })
          expect(res.status, `${method} ${path} ${String(body)} → ${res.text}`).toBeLessThan(500)
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('a burst of run creations', () => {
  // The latency aim (p99 < 100 ms during 1,000 creations) is measured by `npm run bench`
  // (bench/health-burst.ts); here: every creation lands and health keeps answering.
  it('creates every run while /api/health keeps answering', async () => {
    let done = false
    const health: number[] = []
    const probe = (async () => {
      while (!done) {
        health.push((await send('/api/health', { headers: bearer() })).status)
        await new Promise((r) => setTimeout(r, 10))
      }
    })()
    const created = await Promise.all(
      Array.from({ length: 300 }, () =>
        send('/api/runs', { method: 'POST', headers: { ...bearer(), 'content-type': 'application/json' }, body: JSON.stringify({ command: 'echo hi' }) }),
      ),
    )
    done = true
    await probe
    expect(created.map((r) => r.status).every((s) => s === 201)).toBe(true)
    expect(new Set(created.map((r) => JSON.parse(r.text).id)).size).toBe(300)
    expect(health.length).toBeGreaterThan(1)
    expect(health.every((s) => s === 200)).toBe(true)
  }, 120_000)
})

describe('artifact files', () => {
  async function recorded(name: string, text: string) {
    const run = insertRun(core.ws.store, { kind: 'command', command: 'x' })
    const dir = join(core.ws.paths.evidence, run.id)
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, name), text)
    return recordArtifact(core.ws.store, { runId: run.id, kind: 'screenshot', name, absPath: join(dir, name), relPath: `evidence/${run.id}/${name}` })
  }
  const content = (id: string) => send(`/api/artifacts/${id}/content`, { headers: bearer() })

  it('serves a regular evidence file, never one replaced by a symlink or reached through one', async () => {
    const outside = tempDir('opdesk-outside-')
    try {
      writeFileSync(join(outside.dir, 'shot.png'), 'SECRET-OUTSIDE')
      writeFileSync(join(core.ws.dir, 'policy.yaml'), 'SECRET-POLICY: 1\n')
      const plain = await recorded('shot.png', 'png-bytes')
      expect((await content(plain.id)).text).toBe('png-bytes')

      const swapped = await recorded('shot.png', 'png-bytes')
      unlinkSync(join(core.ws.dir, swapped.path))
      symlinkSync(join(core.ws.dir, 'policy.yaml'), join(core.ws.dir, swapped.path))
      const viaFile = await content(swapped.id)
      expect(viaFile.status).toBe(404)
      expect(viaFile.text).not.toContain('SECRET')

      const viaDir = await recorded('shot.png', 'png-bytes')
      const runDir = join(core.ws.paths.evidence, viaDir.runId)
      rmSync(runDir, { recursive: true })
      symlinkSync(outside.dir, runDir)
      const res = await content(viaDir.id)
      expect(res.status).toBe(404)
      expect(res.text).not.toContain('SECRET')

      // A row pointing inside the workspace but outside evidence/ (the database itself).
      core.ws.store.sqlite.prepare('UPDATE artifacts SET path = ? WHERE id = ?').run('opdesk.db', plain.id)
      expect((await content(plain.id)).status).toBe(404)
    } finally {
      outside.cleanup()
    }
  })
})

describe('opdesk verify and artifacts', () => {
  it('re-hashes every artifact and reports a changed, missing or symlinked one with exit 1', async () => {
    const ws = tempDir('opdesk-verify-')
    try {
      const store = openStore(join(ws.dir, 'opdesk.db'))
      mkdirSync(join(ws.dir, 'evidence'), { recursive: true })
      const names = ['a.txt', 'b.txt', 'c.txt']
      const run = insertRun(store, { kind: 'command', command: 'x' })
      mkdirSync(join(ws.dir, 'evidence', run.id))
      const arts = []
      for (const n of names) {
        writeFileSync(join(ws.dir, 'evidence', run.id, n), `evidence ${n}`)
        arts.push(await recordArtifact(store, { runId: run.id, kind: 'screenshot', name: n, absPath: join(ws.dir, 'evidence', run.id, n), relPath: `evidence/${run.id}/${n}` }))
      }
      store.close()
      const ok = cli(ws.dir, 'verify')
      expect(ok.code, ok.stderr).toBe(0)
      expect(ok.stdout).toMatch(/3 artifact\(s\) match/)

      writeFileSync(join(ws.dir, arts[0]!.path), 'edited')
      unlinkSync(join(ws.dir, arts[1]!.path))
      unlinkSync(join(ws.dir, arts[2]!.path))
      writeFileSync(join(ws.dir, 'elsewhere.txt'), 'evidence c.txt')
      symlinkSync(join(ws.dir, 'elsewhere.txt'), join(ws.dir, arts[2]!.path))
      const bad = cli(ws.dir, 'verify')
      expect(bad.code).toBe(1)
      expect(bad.stdout).toContain(`BROKEN artifact ${arts[0]!.id} of run ${run.id}: its file ${arts[0]!.path} was changed`)
      expect(bad.stdout).toContain(`BROKEN artifact ${arts[1]!.id} of run ${run.id}: its file ${arts[1]!.path} is missing`)
      expect(bad.stdout).toMatch(new RegExp(`BROKEN artifact ${arts[2]!.id} .*symbolic link`))
      const json = JSON.parse(cli(ws.dir, 'verify', '--json').stdout) as { artifacts: { checked: number; problems: unknown[] } }
      expect(json.artifacts).toMatchObject({ checked: 3, problems: expect.arrayContaining([expect.objectContaining({ artifactId: arts[0]!.id })]) })
      const db = new Database(join(ws.dir, 'opdesk.db'), { readonly: true })
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      db.close()
    } finally {
      ws.cleanup()
    }
  })
})
