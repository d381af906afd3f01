// Crash and concurrency suites across real processes (DESIGN.md, hardening issue).
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Run, RunEvent } from '../../shared/domain'
import { tempDir } from '../../test/support/temp-workspace'
import { cli, cliAsync, serveProcess, until, type HostProcess } from '../../test/support/host-process'

/** Command runs run (and find their scripts) in the workspace's work/ folder, inside the sandbox. */
const inWork = (dir: string, name: string) => (mkdirSync(join(dir, 'work'), { recursive: true }), join(dir, 'work', name))

const TOKEN = 'reliability-token'
let ws: ReturnType<typeof tempDir>
const hosts: HostProcess[] = []
beforeEach(() => {
  ws = tempDir('opdesk-rel-')
})
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.stop('SIGKILL')
  ws.cleanup()
})

async function host(): Promise<HostProcess> {
  const h = await serveProcess(ws.dir, TOKEN)
  hosts.push(h)
  return h
}

describe('kill -9 of the host during 8 concurrent runs and an event flood', () => {
  it('keeps every acknowledged event, marks the runs interrupted, and retry works', async () => {
    writeFileSync(inWork(ws.dir, 'flood.js'), `let i = 0; setInterval(() => { for (let j = 0; j < 20; j++) console.log('line ' + i++) }, 10)`)
    writeFileSync(inWork(ws.dir, 'quick.js'), `console.log('done')`)
    // Concurrency 8 is a workspace setting, read when the host opens the workspace.
    const { openStore } = await import('../core/store/db')
    const { setSetting } = await import('../core/store/settings')
    const store = openStore(join(ws.dir, 'opdesk.db'))
    setSetting(store, 'runs.concurrency', 8)
    store.close()
    let h = await host()
    const ids: string[] = []
    for (let i = 0; i < 8; i++) {
      const r = await h.api<Run>('POST', '/api/runs', { command: 'node flood.js' })
      expect(r.status).toBe(201)
      ids.push(r.body.id)
    }
    await until(
      () => Promise.all(ids.map((id) => h.api<Run>('GET', `/api/runs/${id}`))),
      (rs) => rs.every((r) => r.body.status === 'running'),
    )
    // Read every run's log through the API while the flood goes on: these events were acknowledged.
    const acknowledged = new Map<string, RunEvent[]>()
    await new Promise((r) => setTimeout(r, 1500))
    for (const id of ids) acknowledged.set(id, (await h.api<{ events: RunEvent[] }>('GET', `/api/runs/${id}/events?limit=10000`)).body.events)
    await h.stop('SIGKILL')

    const check = new Database(join(ws.dir, 'opdesk.db'), { readonly: true })
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok')
    check.close()

    h = await host()
    for (const id of ids) {
      const run = (await h.api<Run>('GET', `/api/runs/${id}`)).body
      expect(run.status).toBe('interrupted')
      const events = (await h.api<{ events: RunEvent[] }>('GET', `/api/runs/${id}/events?limit=10000`)).body.events
      const before = acknowledged.get(id)!
      expect(before.length).toBeGreaterThan(3)
      expect(events.slice(0, before.length)).toEqual(before)
    }
    const retry = await h.api<Run>('POST', `/api/runs/${ids[0]}/retry`)
    expect(retry.body).toMatchObject({ attempt: 2, retryOf: ids[0] })
    await h.api('POST', `/api/runs/${retry.body.id}/cancel`)
    await until(() => h.api<Run>('GET', `/api/runs/${retry.body.id}`), (r) => r.body.status === 'canceled')
    await h.stop()
    expect(cli(ws.dir, 'verify').code).toBe(0)
  }, 120_000)
})

describe('two processes on one workspace', () => {
  it('the CLI runs while the host serves: no corruption, no lost write', async () => {
    writeFileSync(inWork(ws.dir, 'quick.js'), `console.log('from the cli')`)
    const h = await host()
    const cliRuns = Promise.all([cliAsync(ws.dir, 'run', '--command', 'node quick.js', '--json'), cliAsync(ws.dir, 'run', '--command', 'node quick.js', '--json')])
    // The host writes while both CLI processes open the workspace and run.
    const tracks: Promise<unknown>[] = []
    for (let i = 0; i < 20; i++) {
      tracks.push(h.api('POST', '/api/tracks', { title: `Host track ${i}`, steps: [{ title: 's' }] }))
      await new Promise((r) => setTimeout(r, 100))
    }
    await Promise.all(tracks)
    for (const r of await cliRuns) expect(r.code, r.stderr).toBe(0)
    const summary = await h.api<{ total: number }>('GET', '/api/summary')
    expect(summary.body.total).toBe(20)
    const runs = await h.api<{ total: number; items: Run[] }>('GET', '/api/runs')
    expect(runs.body.total).toBe(2)
    expect(runs.body.items.every((r) => r.status === 'succeeded')).toBe(true)
    await h.stop()
    const db = new Database(join(ws.dir, 'opdesk.db'), { readonly: true })
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    db.close()
    expect(cli(ws.dir, 'verify').stdout).toMatch(/OK: 2 run/)
  }, 90_000)
})
