import { createHash } from 'node:crypto'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { canonicalJson } from '../../../shared/canonical-json'
import { tempDir } from '../../../test/support/temp-workspace'
import { openStore, type Store } from './db'
import { EventLog, eventHash, GENESIS_HASH, verifyChains } from './events'
import { insertRun } from './runs'

let dir: ReturnType<typeof tempDir>
let store: Store
let log: EventLog
let file: string

beforeEach(() => {
  dir = tempDir()
  file = join(dir.dir, 'opdesk.db')
  store = openStore(file)
  log = new EventLog(store)
})
afterEach(() => {
  store.close()
  dir.cleanup()
})

function runWithEvents(n: number): string {
  const run = insertRun(store, { kind: 'command', command: 'echo hi' })
  log.append(
    run.id,
    Array.from({ length: n }, (_, i) => ({ type: 'log', data: { i, message: `line ${i}`, nested: { b: 2, a: [1, 'x'] } } })),
  )
  return run.id
}

/** Tamper through a second connection, exactly as someone editing the file would. */
function tamper(sql: string, ...args: unknown[]) {
  const raw = new Database(file)
  raw.prepare(sql).run(...args)
  raw.close()
}

describe('the event log', () => {
  it('numbers events gaplessly from 1 and chains their hashes as DESIGN.md defines', () => {
    const id = runWithEvents(5)
    const events = log.list(id)
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5])
    expect(events[0]!.prevHash).toBe(GENESIS_HASH)
    for (let i = 1; i < events.length; i++) expect(events[i]!.prevHash).toBe(events[i - 1]!.hash)
    const e = events[2]!
    const expected = createHash('sha256')
      .update(e.prevHash + canonicalJson({ runId: e.runId, seq: e.seq, ts: e.ts, type: e.type, data: e.data }))
      .digest('hex')
    expect(e.hash).toBe(expected)
    expect(eventHash(e.prevHash, e)).toBe(expected)
  })

  it('reads incrementally with after and limit', () => {
    const id = runWithEvents(25)
    expect(log.list(id, 10, 5).map((e) => e.seq)).toEqual([11, 12, 13, 14, 15])
    expect(log.list(id, 25, 5)).toEqual([])
    expect(log.lastSeq(id)).toBe(25)
  })

  it('continues a chain across appends and across reopening the file', () => {
    const id = runWithEvents(3)
    store.close()
    store = openStore(file)
    log = new EventLog(store)
    log.append(id, [{ type: 'log', data: { after: 'reopen' } }])
    expect(log.list(id).map((e) => e.seq)).toEqual([1, 2, 3, 4])
    expect(verifyChains(store).broken).toEqual([])
  })

  it('verifies intact chains', () => {
    runWithEvents(10)
    runWithEvents(4)
    expect(verifyChains(store)).toEqual({ runs: 2, events: 14, broken: [] })
  })
})

describe('tamper detection (rows edited directly in the SQLite file)', () => {
  it('names an edited event', () => {
    const id = runWithEvents(6)
    tamper(`UPDATE run_events SET data = '{"i":3,"message":"nothing to see"}' WHERE run_id = ? AND seq = 4`, id)
    expect(verifyChains(store).broken).toEqual([{ runId: id, seq: 4, problem: 'event 4 was altered (hash mismatch)' }])
  })

  it('names an edited timestamp or type', () => {
    const id = runWithEvents(3)
    tamper(`UPDATE run_events SET type = 'run.status' WHERE run_id = ? AND seq = 2`, id)
    expect(verifyChains(store).broken[0]).toMatchObject({ runId: id, seq: 2 })
  })

  it('names a deleted event in the middle', () => {
    const id = runWithEvents(6)
    tamper('DELETE FROM run_events WHERE run_id = ? AND seq = 3', id)
    expect(verifyChains(store).broken).toEqual([{ runId: id, seq: 3, problem: 'event 3 is missing' }])
  })

  it('names trailing events that were deleted', () => {
    const id = runWithEvents(6)
    tamper('DELETE FROM run_events WHERE run_id = ? AND seq >= 5', id)
    expect(verifyChains(store).broken).toEqual([{ runId: id, seq: 5, problem: 'event 5 is missing (the log ends early)' }])
  })

  it('names reordered events', () => {
    const id = runWithEvents(6)
    const raw = new Database(file)
    raw.transaction(() => {
      raw.prepare('UPDATE run_events SET seq = -1 WHERE run_id = ? AND seq = 2').run(id)
      raw.prepare('UPDATE run_events SET seq = 2 WHERE run_id = ? AND seq = 5').run(id)
      raw.prepare('UPDATE run_events SET seq = 5 WHERE run_id = ? AND seq = -1').run(id)
    })()
    raw.close()
    const broken = verifyChains(store).broken
    expect(broken).toHaveLength(1)
    expect(broken[0]).toMatchObject({ runId: id, seq: 2 })
  })

  it('names a rewritten chain that no longer matches the head kept on the run', () => {
    const id = runWithEvents(3)
    // Recompute a consistent but different last event: only the run's head gives it away.
    const last = log.list(id).at(-1)!
    const data = { forged: true }
    const hash = eventHash(last.prevHash, { ...last, data })
    tamper('UPDATE run_events SET data = ?, hash = ? WHERE run_id = ? AND seq = 3', JSON.stringify(data), hash, id)
    expect(verifyChains(store).broken).toEqual([{ runId: id, seq: 3, problem: 'event 3 was altered (head mismatch)' }])
  })

  it('keeps other runs verified when one is broken', () => {
    const good = runWithEvents(4)
    const bad = runWithEvents(4)
    tamper('DELETE FROM run_events WHERE run_id = ? AND seq = 1', bad)
    const result = verifyChains(store)
    expect(result.broken.map((b) => b.runId)).toEqual([bad])
    expect(verifyChains(store, good).broken).toEqual([])
  })
})
