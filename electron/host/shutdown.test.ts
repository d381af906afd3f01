// SIGTERM of a real `opdesk serve` with one running and one queued command run (issue 11):
// the host stops within 10 s, the running command's process is gone, the queued run is
// still queued (the documented choice) and starts on the next serve.
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Run, RunEvent } from '../../shared/domain'
import { openStore } from '../core/store/db'
import { setSetting } from '../core/store/settings'
import { tempDir } from '../../test/support/temp-workspace'
import { cli, serveProcess, until, type HostProcess } from '../../test/support/host-process'
import { alive } from '../../test/support/processes'

const TOKEN = 'shutdown-token-0123456789'
let ws: ReturnType<typeof tempDir>
const hosts: HostProcess[] = []
beforeEach(() => {
  ws = tempDir('opdesk-stop-')
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

describe('opdesk serve on SIGTERM', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal}: exits within 10 s, ends the running command, keeps the queued run for the next start`, async () => {
      // One run at a time, so the second run is really queued behind the first.
      const store = openStore(join(ws.dir, 'opdesk.db'))
      setSetting(store, 'runs.concurrency', 1)
      store.close()
      let h = await host()
      const running = (await h.api<Run>('POST', '/api/runs', { command: 'sleep 30' })).body
      const queued = (await h.api<Run>('POST', '/api/runs', { command: 'echo after-restart' })).body
      const started = await until(
        () => h.api<{ events: RunEvent[] }>('GET', `/api/runs/${running.id}/events`),
        (r) => r.body.events.some((e) => e.type === 'process.started'),
      )
      const pid = Number(started.body.events.find((e) => e.type === 'process.started')!.data.pid)
      expect(alive(pid)).toBe(true)
      expect((await h.api<Run>('GET', `/api/runs/${queued.id}`)).body.status).toBe('queued')

      const t0 = Date.now()
      const exited = new Promise<number | null>((r) => h.proc.once('exit', (code) => r(code)))
      h.proc.kill(signal)
      const code = await exited
      const took = Date.now() - t0
      expect(took).toBeLessThan(10_000)
      expect(code).toBe(0)
      // The API is down with it.
      await expect(fetch(`${h.origin}/api/health`)).rejects.toThrow()
      await until(async () => alive(pid), (a) => !a, 3_000)

      const db = new Database(join(ws.dir, 'opdesk.db'), { readonly: true })
      const status = (id: string) => (db.prepare('SELECT status FROM runs WHERE id = ?').get(id) as { status: string }).status
      expect(status(running.id)).toBe('canceled')
      expect(status(queued.id)).toBe('queued')
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      db.close()

      h = await host()
      const done = await until(() => h.api<Run>('GET', `/api/runs/${queued.id}`), (r) => r.body.status === 'succeeded')
      expect(done.body.status).toBe('succeeded')
      const events = (await h.api<{ events: RunEvent[] }>('GET', `/api/runs/${queued.id}/events`)).body.events
      expect(events.some((e) => e.type === 'stdout' && String(e.data.text).includes('after-restart'))).toBe(true)
      const canceled = (await h.api<Run>('GET', `/api/runs/${running.id}`)).body
      expect(canceled.error ?? '').toMatch(/Opdesk stopped/)
      await h.stop()
      expect(cli(ws.dir, 'verify').code).toBe(0)
    }, 90_000)
  }
})
