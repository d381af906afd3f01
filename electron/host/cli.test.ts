// The CLI and host as separate processes: exit codes, kill -9 recovery, verify, export.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { unzipSync } from 'fflate'
import { chromium } from 'playwright-core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Run, RunEvent } from '../../shared/domain'
import { tempDir } from '../core/testing/temp-workspace'

const BIN = new URL('../../bin/opdesk.mjs', import.meta.url).pathname
const TOKEN = 'cli-test-token-1'
let ws: ReturnType<typeof tempDir>
const children: ChildProcess[] = []

beforeEach(() => {
  ws = tempDir('opdesk-cli-')
})
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
  ws.cleanup()
})

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args, '--workspace', ws.dir], { encoding: 'utf8', timeout: 60_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

async function serve(): Promise<{ origin: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, [BIN, 'serve', '--workspace', ws.dir, '--port', '0', '--token', TOKEN], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(proc)
  const origin = await new Promise<string>((resolve, reject) => {
    let out = ''
    let err = ''
    proc.stderr!.on('data', (d) => (err += d))
    proc.stdout!.on('data', (d) => {
      out += d
      const m = /Opdesk listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(out)
      if (m) resolve(m[1]!)
    })
    proc.once('exit', (code) => reject(new Error(`host exited ${code}: ${err}`)))
  })
  return { origin, proc }
}

async function api<T>(origin: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(origin + path, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as T }
}

async function until<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await f()
    if (ok(v)) return v
    if (Date.now() > end) throw new Error(`timed out; last value ${JSON.stringify(v).slice(0, 300)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('opdesk CLI', () => {
  it('refuses a wrong flow file with exit 2 and file:line:column for every problem', () => {
    const flow = join(ws.dir, 'bad.yaml')
    writeFileSync(flow, 'name: Bad\nsteps:\n  - goto: https://example.com\n  - clik: "#go"\n  - fill: { value: "x" }\n')
    const r = cli('run', flow)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/bad\.yaml:4:\d+: Unknown action "clik"/)
    expect(r.stderr).toMatch(/bad\.yaml:5:\d+: .*selector/)
    // Nothing was created for a refused flow.
    expect(JSON.parse(cli('runs', '--json').stdout).total).toBe(0)
  })

  it('exits 2 on unknown commands and bad options', () => {
    expect(cli('frobnicate').code).toBe(2)
    expect(cli('run', '--nope').code).toBe(2)
    expect(cli('run', join(ws.dir, 'missing.yaml')).code).toBe(2)
  })

  it('exits 3 for a run blocked by policy', () => {
    const r = cli('run', '--command', 'rm -rf /')
    expect(r.code).toBe(3)
    expect(r.stdout).toMatch(/blocked/)
  })

  it('survives kill -9 of the host mid-run: events intact, run interrupted, retry works', async () => {
    writeFileSync(join(ws.dir, 'ticker.js'), `let i = 0; setInterval(() => console.log('tick ' + i++), 50); setTimeout(() => process.exit(0), Number(process.env.TICKS_MS || 1500))`)
    let host = await serve()
    const created = await api<Run>(host.origin, 'POST', '/api/runs', { command: 'sh -c "node ticker.js; sleep 600"' })
    expect(created.status).toBe(201)
    const id = created.body.id
    const seen = await until(
      () => api<{ events: RunEvent[]; last: number }>(host.origin, 'GET', `/api/runs/${id}/events`),
      (r) => r.body.events.filter((e) => e.type === 'stdout').length >= 5,
    )
    const acknowledged = seen.body.events
    host.proc.kill('SIGKILL')
    await new Promise((r) => host.proc.once('exit', r))

    host = await serve()
    const run = await api<Run>(host.origin, 'GET', `/api/runs/${id}`)
    expect(run.body.status).toBe('interrupted')
    const after = await api<{ events: RunEvent[] }>(host.origin, 'GET', `/api/runs/${id}/events?limit=10000`)
    // Every event the API had handed out before the crash is still there, byte for byte.
    expect(after.body.events.slice(0, acknowledged.length)).toEqual(acknowledged)
    const last = after.body.events.filter((e) => e.type === 'run.status').at(-1)!
    expect(last.data).toMatchObject({ to: 'interrupted' })
    expect(String(last.data.reason)).toMatch(/Opdesk stopped/)

    const retry = await api<Run>(host.origin, 'POST', `/api/runs/${id}/retry`)
    expect(retry.status).toBe(201)
    expect(retry.body).toMatchObject({ attempt: 2, retryOf: id })
    await api(host.origin, 'POST', `/api/runs/${retry.body.id}/cancel`)
    host.proc.kill('SIGTERM')
    await new Promise((r) => host.proc.once('exit', r))

    const db = new Database(join(ws.dir, 'opdesk.db'), { readonly: true })
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    db.close()
    expect(cli('verify').code).toBe(0)
  }, 90_000)

  it('verify names the first broken event after the file is edited', async () => {
    writeFileSync(join(ws.dir, 'hello.js'), 'console.log("hello")')
    const r = cli('run', '--command', 'node hello.js', '--json')
    expect(r.code, r.stderr).toBe(0)
    const run = JSON.parse(r.stdout) as Run
    expect(cli('verify').stdout).toMatch(/OK: 1 run\(s\)/)
    const db = new Database(join(ws.dir, 'opdesk.db'))
    db.prepare(`UPDATE run_events SET data = '{"text":"goodbye\\n"}' WHERE run_id = ? AND type = 'stdout'`).run(run.id)
    db.close()
    const v = cli('verify')
    expect(v.code).toBe(1)
    expect(v.stdout).toMatch(new RegExp(`BROKEN run ${run.id} at event \\d+: event \\d+ was altered`))
  })

  it('prints events and exports a report whose HTML shows the timeline in Chromium', async () => {
    writeFileSync(join(ws.dir, 'hello.js'), 'console.log("<b>not bold</b>")')
    const r = cli('run', '--command', 'node hello.js', '--json')
    const run = JSON.parse(r.stdout) as Run
    const ev = cli('events', run.id)
    expect(ev.code).toBe(0)
    expect(ev.stdout).toMatch(/stdout\s+<b>not bold<\/b>/)
    const out = join(ws.dir, 'report.zip')
    expect(cli('export', run.id, '--out', out).code).toBe(0)
    const files = unzipSync(readFileSync(out))
    expect(Object.keys(files).sort()).toEqual(['events.jsonl', 'report.html', 'run.json', 'verification.json'])
    const lines = new TextDecoder().decode(files['events.jsonl']).trim().split('\n')
    expect(lines.length).toBeGreaterThan(4)
    expect(JSON.parse(new TextDecoder().decode(files['verification.json']))).toMatchObject({ broken: [] })
    const html = join(ws.dir, 'report.html')
    writeFileSync(html, files['report.html']!)
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    try {
      const page = await browser.newPage()
      await page.goto(`file://${html}`)
      await expect(page.getByTestId('report-status').textContent()).resolves.toBe('succeeded')
      await expect(page.getByTestId('report-verification').textContent()).resolves.toMatch(/Intact/)
      const timeline = await page.getByTestId('report-timeline').textContent()
      expect(timeline).toContain('<b>not bold</b>')
      expect(await page.locator('b').count()).toBe(0)
    } finally {
      await browser.close()
    }
  })
})
