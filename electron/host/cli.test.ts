// The CLI and host as separate processes: exit codes, kill -9 recovery, verify, export.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { unzipSync } from 'fflate'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Run, RunEvent } from '../../shared/domain'
import { tempDir } from '../../test/support/temp-workspace'
import { cli as runCli, serveProcess, until, type HostProcess } from '../../test/support/host-process'
import { launchTestBrowser } from '../../test/support/browser'
import { processesIn } from '../../test/support/processes'

/** Command runs run (and find their scripts) in the workspace's work/ folder, inside the sandbox. */
const inWork = (dir: string, name: string) => (mkdirSync(join(dir, 'work'), { recursive: true }), join(dir, 'work', name))

const TOKEN = 'cli-test-token-1'
let ws: ReturnType<typeof tempDir>
const hosts: HostProcess[] = []

beforeEach(() => {
  ws = tempDir('opdesk-cli-')
})
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.stop('SIGKILL')
  ws.cleanup()
})

const cli = (...args: string[]) => runCli(ws.dir, ...args)
async function serve(): Promise<HostProcess> {
  const h = await serveProcess(ws.dir, TOKEN)
  hosts.push(h)
  return h
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
    writeFileSync(inWork(ws.dir, 'ticker.js'), `let i = 0; setInterval(() => console.log('tick ' + i++), 50); setTimeout(() => process.exit(0), Number(process.env.TICKS_MS || 1500))`)
    let host = await serve()
    const created = await host.api<Run>('POST', '/api/runs', { command: 'sh -c "node ticker.js; sleep 600"' })
    expect(created.status).toBe(201)
    const id = created.body.id
    const seen = await until(
      () => host.api<{ events: RunEvent[]; last: number }>('GET', `/api/runs/${id}/events`),
      (r) => r.body.events.filter((e) => e.type === 'stdout').length >= 5,
    )
    const acknowledged = seen.body.events
    const work = join(ws.dir, 'work')
    expect(processesIn(work).length, 'the command is running before the kill').toBeGreaterThan(0)
    await host.stop('SIGKILL')

    host = await serve()
    const run = await host.api<Run>('GET', `/api/runs/${id}`)
    expect(run.body.status).toBe('interrupted')
    // Recovery ended what the killed host left running (the sandbox and the `sleep 600` in it).
    await until(
      async () => processesIn(work),
      (left) => left.length === 0,
      10_000,
    ).catch(() => {})
    expect(processesIn(work), 'processes of the interrupted run still running').toEqual([])
    const after = await host.api<{ events: RunEvent[] }>('GET', `/api/runs/${id}/events?limit=10000`)
    // Every event the API had handed out before the crash is still there, byte for byte.
    expect(after.body.events.slice(0, acknowledged.length)).toEqual(acknowledged)
    const last = after.body.events.filter((e) => e.type === 'run.status').at(-1)!
    expect(last.data).toMatchObject({ to: 'interrupted' })
    expect(String(last.data.reason)).toMatch(/Opdesk stopped/)

    const retry = await host.api<Run>('POST', `/api/runs/${id}/retry`)
    expect(retry.status).toBe(201)
    expect(retry.body).toMatchObject({ attempt: 2, retryOf: id })
    await host.api('POST', `/api/runs/${retry.body.id}/cancel`)
    await host.stop()

    const db = new Database(join(ws.dir, 'opdesk.db'), { readonly: true })
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    db.close()
    expect(cli('verify').code).toBe(0)
  }, 90_000)

  it('verify names the first broken event after the file is edited', async () => {
    writeFileSync(inWork(ws.dir, 'hello.js'), 'console.log("hello")')
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
    writeFileSync(inWork(ws.dir, 'hello.js'), 'console.log("<b>not bold</b>")')
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
    const browser = await launchTestBrowser()
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
