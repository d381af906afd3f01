import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempCore, tempDir } from '../../test/support/temp-workspace'
import { startHost, type Host } from './server'

let core: Awaited<ReturnType<typeof tempCore>>
let host: Host
let ui: ReturnType<typeof tempDir>

beforeEach(async () => {
  core = await tempCore({ demo: true })
  ui = tempDir('opdesk-ui-')
  writeFileSync(join(ui.dir, 'index.html'), '<!doctype html><title>Opdesk</title>')
  mkdirSync(join(ui.dir, 'assets'))
  writeFileSync(join(ui.dir, 'assets', 'app.js'), 'console.log(1)')
  host = await startHost({ core, token: 'secret-token-123', rendererDir: ui.dir })
})
afterEach(async () => {
  await host.close()
  await core.cleanup()
  ui.cleanup()
})

const auth = { authorization: 'Bearer secret-token-123' }

describe('host mode over HTTP', () => {
  it('listens on loopback and prints a token URL', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=secret-token-123$/)
  })

  it('requires the token on every /api call', async () => {
    expect((await fetch(`${host.origin}/api/health`)).status).toBe(401)
    expect((await fetch(`${host.origin}/api/health`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401)
    const ok = await fetch(`${host.origin}/api/health`, { headers: auth })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ ok: true, workspace: core.ws.dir })
  })

  it('trades the URL token for an HttpOnly cookie that then authenticates', async () => {
    const res = await fetch(host.url, { redirect: 'manual' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/')
    const cookie = res.headers.get('set-cookie')!
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    const summary = await fetch(`${host.origin}/api/summary`, { headers: { cookie: cookie.split(';')[0]! } })
    expect(await summary.json()).toMatchObject({ active: 1, waiting: 1, blocked: 1 })
  })

  it('refuses a cookie-authenticated write from another origin (CSRF)', async () => {
    const cookie = 'opdesk_token=secret-token-123'
    const res = await fetch(`${host.origin}/api/tracks`, {
      method: 'POST',
      headers: { cookie, origin: 'http://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'pwned' }),
    })
    expect(res.status).toBe(401)
    const same = await fetch(`${host.origin}/api/tracks`, {
      method: 'POST',
      headers: { cookie, origin: host.origin, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'fine' }),
    })
    expect(same.status).toBe(201)
  })

  it('answers bad JSON with 400 in the error shape', async () => {
    const res = await fetch(`${host.origin}/api/tracks`, { method: 'POST', headers: auth, body: '{"title": ' })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ error: { code: 'bad_request', message: 'Request body is not valid JSON' } })
  })

  it('serves the UI with a strict CSP and refuses path traversal', async () => {
    const index = await fetch(`${host.origin}/`)
    expect(index.status).toBe(200)
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(await (await fetch(`${host.origin}/assets/app.js`)).text()).toBe('console.log(1)')
    for (const p of ['/..%2f..%2fetc%2fpasswd', '/assets/..%2f..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/etc/passwd']) {
      const res = await fetch(`${host.origin}${p}`)
      // Unknown paths fall back to index.html: never a file outside the UI folder.
      expect(await res.text()).toContain('<title>Opdesk</title>')
    }
  })

  it('streams changes as server-sent events', async () => {
    const ctrl = new AbortController()
    const res = await fetch(`${host.origin}/api/stream`, { headers: auth, signal: ctrl.signal })
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    let text = ''
    const created = fetch(`${host.origin}/api/tracks`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Live' }),
    }).then((r) => r.json() as Promise<{ id: string }>)
    while (!text.includes('track.changed')) {
      const { value, done } = await reader.read()
      if (done) break
      text += decoder.decode(value)
    }
    const { id } = await created
    expect(text).toContain('event: hello')
    expect(text).toContain(`event: track.changed\ndata: {"trackId":"${id}"}`)
    ctrl.abort()
  })

  it('slows down a client that keeps guessing tokens', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 22; i++) {
      statuses.push((await fetch(`${host.origin}/api/health`, { headers: { authorization: `Bearer guess-${i}` } })).status)
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true)
    expect(statuses.at(-1)).toBe(429)
    // The right token is never locked out: any local page could otherwise lock out the operator (issue 11).
    expect((await fetch(`${host.origin}/api/health`, { headers: auth })).status).toBe(200)
  })

  it('refuses to listen beyond loopback unless told to', async () => {
    await expect(startHost({ core, host: '0.0.0.0' })).rejects.toThrow(/loopback only/)
  })
})

describe('artifact route', () => {
  it('serves a recorded artifact and refuses one whose stored path leaves the workspace', async () => {
    const { writeFileSync, mkdirSync } = await import('node:fs')
    const { insertRun } = await import('../core/store/runs')
    const run = insertRun(core.ws.store, { kind: 'command', command: 'x' })
    mkdirSync(join(core.ws.paths.evidence, run.id), { recursive: true })
    writeFileSync(join(core.ws.paths.evidence, run.id, 'shot.png'), 'png-bytes')
    const ins = core.ws.store.sqlite.prepare(
      "INSERT INTO artifacts (id, run_id, kind, name, path, sha256, bytes, created_at) VALUES (?, ?, 'screenshot', ?, ?, 'x', 1, 'now')",
    )
    ins.run('art_ok', run.id, 'shot.png', `evidence/${run.id}/shot.png`)
    ins.run('art_evil', run.id, 'passwd', '../../../../../../etc/passwd')
    ins.run('art_abs', run.id, 'passwd', '/etc/passwd')
    const ok = await fetch(`${host.origin}/api/artifacts/art_ok/content`, { headers: auth })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-type')).toBe('image/png')
    expect(await ok.text()).toBe('png-bytes')
    for (const id of ['art_evil', 'art_abs', '..%2F..%2Fetc%2Fpasswd']) {
      const res = await fetch(`${host.origin}/api/artifacts/${id}/content`, { headers: auth })
      expect(res.status, id).toBe(404)
      expect(await res.text()).not.toContain('root:')
    }
  })
})

describe('trace viewer', () => {
  it("serves playwright-core's trace viewer, with no fallback outside it", async () => {
    const head = await fetch(`${host.origin}/trace-viewer/sw.bundle.js`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('content-type')).toContain('javascript')
    const index = await fetch(`${host.origin}/trace-viewer/index.html`)
    expect(await index.text()).toContain('<html')
    expect(index.headers.get('content-security-policy')).toContain("worker-src 'self'")
    expect((await fetch(`${host.origin}/trace-viewer/..%2f..%2fpackage.json`)).status).toBe(404)
    expect((await fetch(`${host.origin}/trace-viewer/nope.js`)).status).toBe(404)
  })
})
