// Flow versions in the store: a workspace from before versions gets each flow as version 1
// when it is opened by this build, and re-registering an unchanged flow adds no version.
import { cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/support/temp-workspace'
import { openStore } from './db'
import { getFlow, listFlowVersions, upsertFlow } from './flows'
import { defaultMigrationsDir } from './migrate'

const cleanups: (() => void)[] = []
afterEach(() => {
  while (cleanups.length) cleanups.pop()!()
})
function tmp() {
  const t = tempDir()
  cleanups.push(t.cleanup)
  return t.dir
}

describe('flow versions in the store', () => {
  it('a flow saved before versions existed becomes version 1 when the workspace is upgraded', () => {
    const dir = tmp()
    const old = join(dir, 'old-migrations')
    cpSync(defaultMigrationsDir(), old, { recursive: true })
    // The build before versions: every migration up to (not including) the flow_versions ones.
    const journalFile = join(old, 'meta', '_journal.json')
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] }
    const cut = journal.entries.findIndex((e) => e.tag.endsWith('_flow_versions'))
    expect(cut).toBeGreaterThan(0)
    writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, cut) }))

    const file = join(dir, 'opdesk.db')
    const before = openStore(file, { migrationsDir: old })
    before.sqlite
      .prepare("INSERT INTO flows (id, name, source, hash, created_at, updated_at) VALUES ('flw_old', 'Legacy', 'name: Legacy', 'h1', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z')")
      .run()
    before.close()

    const after = openStore(file)
    cleanups.push(() => after.close())
    expect(listFlowVersions(after, 'flw_old')).toEqual([
      { flowId: 'flw_old', version: 1, name: 'Legacy', source: 'name: Legacy', hash: 'h1', createdBy: 'unknown (before versions)', createdAt: '2026-02-01T00:00:00.000Z' },
    ])
    expect(getFlow(after, 'flw_old')).toMatchObject({ version: 1, updatedBy: 'unknown (before versions)' })
  })

  it('registering the same text again adds no version; a changed text does', () => {
    const store = openStore(join(tmp(), 'opdesk.db'))
    cleanups.push(() => store.close())
    const a = upsertFlow(store, { name: 'F', source: 's1', hash: 'h1', by: 'flows folder' })
    upsertFlow(store, { name: 'F', source: 's1', hash: 'h1', by: 'flows folder' })
    expect(getFlow(store, a.id)?.version).toBe(1)
    upsertFlow(store, { name: 'F', source: 's2', hash: 'h2', by: 'demo' })
    expect(listFlowVersions(store, a.id).map((v) => [v.version, v.hash, v.createdBy])).toEqual([
      [2, 'h2', 'demo'],
      [1, 'h1', 'flows folder'],
    ])
  })
})
