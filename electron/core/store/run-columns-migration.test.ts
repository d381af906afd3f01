// Runs written before the process, wait and (for the oldest) profile columns: the backfill
// fills them from what the events, approvals and flow snapshots recorded.
import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/support/temp-workspace'
import { openStore } from './db'
import { defaultMigrationsDir } from './migrate'
import { runProcess, runWait } from './runs'

let ws: ReturnType<typeof tempDir>
afterEach(() => ws?.cleanup())

/** The migrations folder as an older Opdesk shipped it: everything before the run columns. */
function olderMigrations(dir: string): { restore(): void } {
  cpSync(defaultMigrationsDir(), dir, { recursive: true })
  const file = join(dir, 'meta', '_journal.json')
  const full = readFileSync(file, 'utf8')
  const journal = JSON.parse(full) as { entries: { tag: string }[] }
  const first = journal.entries.findIndex((e) => e.tag.endsWith('_run_columns'))
  expect(first).toBeGreaterThan(0)
  writeFileSync(file, JSON.stringify({ ...journal, entries: journal.entries.slice(0, first) }))
  return { restore: () => writeFileSync(file, full) }
}

describe('the run columns backfill', () => {
  it('fills pid, wait and profile of existing rows, and leaves what it cannot read alone', () => {
    ws = tempDir()
    const migrations = join(ws.dir, 'migrations')
    const older = olderMigrations(migrations)
    const file = join(ws.dir, 'opdesk.db')
    const old = openStore(file, { migrationsDir: migrations })
    const run = old.sqlite.prepare(
      "INSERT INTO runs (id, kind, status, flow_source, params, profile, created_at) VALUES (?, ?, ?, ?, ?, NULL, '2026-01-01T09:00:00.000Z')",
    )
    const event = old.sqlite.prepare("INSERT INTO run_events (run_id, seq, ts, type, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, 'x', 'x')")
    run.run('cmd_running', 'command', 'running', null, '{}')
    event.run('cmd_running', 1, '2026-01-01T09:00:01.000Z', 'process.started', JSON.stringify({ pid: 4242, startTime: '777', bootId: 'boot-1' }))
    run.run('cmd_done', 'command', 'succeeded', null, '{}')
    event.run('cmd_done', 1, '2026-01-01T09:00:01.000Z', 'process.started', JSON.stringify({ pid: 4343, startTime: '778', bootId: 'boot-1' }))
    run.run('mfa', 'browser', 'waiting-mfa', 'name: x\nsteps: []\n', '{}')
    event.run('mfa', 1, '2026-01-01T10:00:00.123Z', 'mfa.detected', JSON.stringify({ kind: 'code', timeoutMs: 900_000 }))
    run.run('approval', 'command', 'waiting-approval', null, '{}')
    old.sqlite
      .prepare("INSERT INTO approvals (id, run_id, reason, status, requested_at, deadline_at) VALUES ('apr_1', 'approval', 'r', 'pending', ?, ?)")
      .run('2026-01-01T11:00:00.000Z', '2026-01-02T11:00:00.000Z')
    const flows: [string, string][] = [
      ['quoted', 'name: q\r\nprofile: "acme-2.prod" # logged in\r\nsteps: []\r\n'],
      ['plain', 'name: p\nprofile: billing\nsteps: []\n'],
      ['nested', 'name: n\nsteps:\n  - profile: not-top-level\n'],
      ['bad', 'name: b\nprofile: ../etc\nsteps: []\n'],
    ]
    for (const [id, source] of flows) run.run(id, 'browser', 'queued', source, '{}')
    run.run('check', 'check', 'succeeded', null, JSON.stringify({ profile: 'acme' }))
    old.close()

    older.restore()
    const store = openStore(file, { migrationsDir: migrations })
    try {
      expect(runProcess(store, 'cmd_running')).toEqual({ pid: 4242, startTime: '777', bootId: 'boot-1' })
      // A finished run's process is nobody's to end.
      expect(runProcess(store, 'cmd_done')).toBeNull()
      expect(runWait(store, 'mfa')).toEqual({ since: '2026-01-01T10:00:00.123Z', deadlineAt: '2026-01-01T10:15:00.123Z' })
      expect(runWait(store, 'approval')).toEqual({ since: '2026-01-01T11:00:00.000Z', deadlineAt: '2026-01-02T11:00:00.000Z' })
      expect(runWait(store, 'cmd_running')).toBeNull()
      const profile = (id: string) => (store.sqlite.prepare('SELECT profile FROM runs WHERE id = ?').get(id) as { profile: string | null }).profile
      expect(['quoted', 'plain', 'nested', 'bad', 'check'].map(profile)).toEqual(['acme-2.prod', 'billing', null, null, 'acme'])
    } finally {
      store.close()
    }
  })
})
