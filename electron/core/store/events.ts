// The append-only, hash-chained run event log (DESIGN.md "Event").
import { createHash } from 'node:crypto'
import { canonicalJson } from '../../../shared/canonical-json'
import type { RunEvent } from '../../../shared/domain'
import { cached, type Store } from './db'

/** prevHash of the first event of every run. */
export const GENESIS_HASH = '0'.repeat(64)

export function eventHash(prevHash: string, e: { runId: string; seq: number; ts: string; type: string; data: unknown }): string {
  return hashCanonical(prevHash, e.runId, e.seq, e.ts, e.type, canonicalJson(e.data))
}

/**
 * The same hash from data already in canonical form: the envelope's keys are written in
 * sorted order (data, runId, seq, ts, type), so the string equals
 * canonicalJson({runId, seq, ts, type, data}) without re-serialising the data.
 */
export function hashCanonical(prevHash: string, runId: string, seq: number, ts: string, type: string, dataJson: string): string {
  const envelope = `{"data":${dataJson},"runId":${JSON.stringify(runId)},"seq":${seq},"ts":${JSON.stringify(ts)},"type":${JSON.stringify(type)}}`
  return createHash('sha256').update(prevHash).update(envelope).digest('hex')
}

export interface NewEvent {
  type: string
  data?: Record<string, unknown>
}

interface Row {
  run_id: string
  seq: number
  ts: string
  type: string
  data: string
  prev_hash: string
  hash: string
}

const toEvent = (r: Row): RunEvent => ({
  runId: r.run_id,
  seq: r.seq,
  ts: r.ts,
  type: r.type,
  data: JSON.parse(r.data) as Record<string, unknown>,
  prevHash: r.prev_hash,
  hash: r.hash,
})

/**
 * Statements prepared once per store. Appends read the chain's tail inside the same
 * transaction, so a second process appending to the same run waits for the lock instead of
 * forking the chain.
 */
export class EventLog {
  private tail
  private insert
  private page
  private head

  constructor(private readonly store: Store) {
    const { sqlite } = store
    this.tail = sqlite.prepare('SELECT seq, hash FROM run_events WHERE run_id = ? ORDER BY seq DESC LIMIT 1')
    this.insert = sqlite.prepare(
      'INSERT INTO run_events (run_id, seq, ts, type, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    this.page = sqlite.prepare('SELECT * FROM run_events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?')
    this.head = sqlite.prepare('UPDATE runs SET head_seq = ?, head_hash = ? WHERE id = ?')
  }

  /**
   * Appends inside the caller's transaction if there is one; otherwise in its own.
   * Returns the seq of the first and last event written.
   */
  append(runId: string, events: NewEvent[]): { first: number; last: number } {
    const run = () => {
      const tail = this.tail.get(runId) as { seq: number; hash: string } | undefined
      let seq = tail?.seq ?? 0
      let prev = tail?.hash ?? GENESIS_HASH
      const first = seq + 1
      // One timestamp per batch: events written together happened together.
      const ts = new Date().toISOString()
      for (const e of events) {
        seq += 1
        // Store exactly the canonical form that was hashed, so verify re-reads what was signed.
        const json = canonicalJson(e.data ?? {})
        const hash = hashCanonical(prev, runId, seq, ts, e.type, json)
        this.insert.run(runId, seq, ts, e.type, json, prev, hash)
        prev = hash
      }
      this.head.run(seq, prev, runId)
      return { first, last: seq }
    }
    return this.store.sqlite.inTransaction ? run() : this.store.sqlite.transaction(run).immediate()
  }

  list(runId: string, after = 0, limit = 500): RunEvent[] {
    return (this.page.all(runId, after, limit) as Row[]).map(toEvent)
  }

  lastSeq(runId: string): number {
    return (this.tail.get(runId) as { seq: number } | undefined)?.seq ?? 0
  }
}

export interface ChainProblem {
  runId: string
  seq: number
  problem: string
}

export interface VerifyResult {
  runs: number
  events: number
  broken: ChainProblem[]
}

/**
 * Re-checks every chain (or one run's): gapless seq from 1, each prevHash equal to the
 * previous hash, each hash recomputed from the stored fields. Reports the first broken
 * event of each run. Streams rows so millions of events need no memory.
 */
export function verifyChains(store: Store, runId?: string): VerifyResult {
  const stmt = runId
    ? store.sqlite.prepare('SELECT * FROM run_events WHERE run_id = ? ORDER BY run_id, seq')
    : store.sqlite.prepare('SELECT * FROM run_events ORDER BY run_id, seq')
  const broken: ChainProblem[] = []
  let runs = 0
  let events = 0
  let current: string | null = null
  let expectSeq = 1
  let prev = GENESIS_HASH
  let failed = false
  for (const r of (runId ? stmt.iterate(runId) : stmt.iterate()) as IterableIterator<Row>) {
    events++
    if (r.run_id !== current) {
      current = r.run_id
      runs++
      expectSeq = 1
      prev = GENESIS_HASH
      failed = false
    }
    if (failed) continue
    let problem: string | null = null
    if (r.seq !== expectSeq) problem = r.seq > expectSeq ? `event ${expectSeq} is missing` : `event ${r.seq} is out of order`
    else if (r.prev_hash !== prev) problem = `event ${r.seq} does not follow event ${r.seq - 1} (prevHash mismatch)`
    else {
      let data: unknown
      try {
        data = JSON.parse(r.data)
      } catch {
        data = undefined
      }
      if (data === undefined || eventHash(r.prev_hash, { runId: r.run_id, seq: r.seq, ts: r.ts, type: r.type, data }) !== r.hash)
        problem = `event ${r.seq} was altered (hash mismatch)`
    }
    if (problem) {
      broken.push({ runId: r.run_id, seq: Math.min(r.seq, expectSeq), problem })
      failed = true
      continue
    }
    prev = r.hash
    expectSeq++
  }
  // Trailing deletions leave a valid but shorter chain: compare with the head kept on the run.
  const heads = runId
    ? cached(store.sqlite, 'SELECT id, head_seq, head_hash FROM runs WHERE id = ?').all(runId)
    : cached(store.sqlite, 'SELECT id, head_seq, head_hash FROM runs WHERE head_seq > 0').all()
  const brokenRuns = new Set(broken.map((b) => b.runId))
  for (const h of heads as { id: string; head_seq: number; head_hash: string | null }[]) {
    if (brokenRuns.has(h.id) || h.head_seq === 0) continue
    const last = cached(store.sqlite, 'SELECT seq, hash FROM run_events WHERE run_id = ? ORDER BY seq DESC LIMIT 1').get(h.id) as
      | { seq: number; hash: string }
      | undefined
    if (!last || last.seq < h.head_seq) broken.push({ runId: h.id, seq: (last?.seq ?? 0) + 1, problem: `event ${(last?.seq ?? 0) + 1} is missing (the log ends early)` })
    else if (last.seq === h.head_seq && last.hash !== h.head_hash) broken.push({ runId: h.id, seq: last.seq, problem: `event ${last.seq} was altered (head mismatch)` })
    else if (last.seq > h.head_seq) broken.push({ runId: h.id, seq: h.head_seq + 1, problem: `event ${h.head_seq + 1} was added outside Opdesk` })
  }
  return { runs, events, broken }
}
