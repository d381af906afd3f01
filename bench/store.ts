// Store at scale: 10,000 tracks, 100,000 steps, 50,000 runs, 5,000,000 events (BENCH_EVENTS
// to change), then the API's hot reads; and event append through the store vs raw inserts.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCore } from '../electron/core/core'
import { silentLogger } from '../electron/core/log'
import { EventLog, eventHash, GENESIS_HASH } from '../electron/core/store/events'
import { openStore } from '../electron/core/store/db'
import { insertRun } from '../electron/core/store/runs'
import { canonicalJson } from '../shared/canonical-json'
import { timeMedian, type Row } from './harness'

const TRACKS = 10_000
const STEPS_PER_TRACK = 10
const RUNS = 50_000

function seed(file: string, events: number): { bigRun: string } {
  const s = openStore(file)
  const db = s.sqlite
  const now = new Date().toISOString()
  const t = db.prepare('INSERT INTO tracks (id, title, owner, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
  const st = db.prepare('INSERT INTO steps (id, track_id, ordinal, title, state, core) VALUES (?, ?, ?, ?, ?, 1)')
  const cp = db.prepare("INSERT INTO checkpoints (id, track_id, ordinal, title, kind, state) VALUES (?, ?, 1, 'Review', 'review', ?)")
  const states = ['done', 'done', 'active', 'queued', 'queued', 'blocked', 'done', 'queued', 'done', 'skipped']
  db.transaction(() => {
    for (let i = 0; i < TRACKS; i++) {
      const id = `trk_${String(i).padStart(8, '0')}`
      t.run(id, `Track ${i}`, 'bench', now, now)
      for (let j = 0; j < STEPS_PER_TRACK; j++) st.run(`stp_${i}_${j}`, id, j + 1, `Step ${j}`, i % 7 === 0 ? states[j] : states[j] === 'blocked' ? 'done' : states[j])
      cp.run(`chk_${i}`, id, i % 5 === 0 ? 'waiting' : 'pending')
    }
  })()
  const r = db.prepare(
    "INSERT INTO runs (id, kind, status, phase, track_id, flow_name, params, outputs, created_at, started_at, ended_at) VALUES (?, 'browser', ?, 'artifact', ?, ?, '{}', '{}', ?, ?, ?)",
  )
  const statuses = ['succeeded', 'succeeded', 'succeeded', 'failed', 'canceled']
  db.transaction(() => {
    for (let i = 0; i < RUNS; i++) {
      const ts = new Date(Date.now() - (RUNS - i) * 1000).toISOString()
      r.run(`run_${String(i).padStart(8, '0')}`, statuses[i % 5], `trk_${String(i % TRACKS).padStart(8, '0')}`, `Flow ${i % 20}`, ts, ts, ts)
    }
  })()
  // One run holds most events so "a page after N" is measured deep into a single chain.
  const bigRun = insertRun(s, { kind: 'command', command: 'bench' }).id
  const ins = db.prepare('INSERT INTO run_events (run_id, seq, ts, type, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)')
  let prev = GENESIS_HASH
  const batch = 50_000
  for (let start = 1; start <= events; start += batch) {
    db.transaction(() => {
      for (let seq = start; seq < Math.min(start + batch, events + 1); seq++) {
        const data = { text: `line ${seq}\n` }
        const hash = eventHash(prev, { runId: bigRun, seq, ts: now, type: 'stdout', data })
        ins.run(bigRun, seq, now, 'stdout', canonicalJson(data), prev, hash)
        prev = hash
      }
    })()
  }
  db.prepare('UPDATE runs SET head_seq = ?, head_hash = ? WHERE id = ?').run(events, prev, bigRun)
  s.close()
  return { bigRun }
}

export async function runStoreBench(): Promise<Row[]> {
  const events = Number(process.env.BENCH_EVENTS ?? 5_000_000)
  const dir = mkdtempSync(join(tmpdir(), 'opdesk-bench-'))
  const rows: Row[] = []
  try {
    const t0 = performance.now()
    const { bigRun } = seed(join(dir, 'opdesk.db'), events)
    rows.push({ section: 'store', name: 'seed (not an aim)', value: (performance.now() - t0) / 1000, unit: 's', note: `${TRACKS} tracks, ${TRACKS * STEPS_PER_TRACK} steps, ${RUNS} runs, ${events} events` })
    const core = await createCore({ workspaceDir: dir, log: silentLogger, passive: true })
    const call = (method: string, path: string, query?: Record<string, string>) => core.router.handle({ method, path, query })
    const summary = await timeMedian(() => call('GET', '/api/summary'), 15)
    rows.push({ section: 'store', name: 'GET /api/summary', value: summary, unit: 'ms', aim: '< 20 ms', ok: summary < 20 })
    const page = await timeMedian(() => call('GET', '/api/tracks', { limit: '50', offset: '5000' }), 15)
    rows.push({ section: 'store', name: 'GET /api/tracks page of 50', value: page, unit: 'ms', aim: '< 10 ms', ok: page < 10 })
    for (const after of [0, Math.floor(events / 2), events - 100]) {
      const ms = await timeMedian(() => call('GET', `/api/runs/${bigRun}/events`, { after: String(after), limit: '100' }), 25)
      rows.push({ section: 'store', name: `events page of 100 after ${after}`, value: ms, unit: 'ms', aim: '< 5 ms', ok: ms < 5 })
    }
    const runsPage = await timeMedian(() => call('GET', '/api/runs', { limit: '100' }), 15)
    rows.push({ section: 'store', name: 'GET /api/runs page of 100', value: runsPage, unit: 'ms' })
    await core.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  rows.push(...appendBench())
  return rows
}

/** Event append through EventLog (hashing, chain head) vs raw inserts of the same rows. */
function appendBench(): Row[] {
  const rows: Row[] = []
  for (const batch of [1, 100]) {
    const n = batch === 1 ? 5_000 : 100_000
    const dirA = mkdtempSync(join(tmpdir(), 'opdesk-bench-a-'))
    const dirB = mkdtempSync(join(tmpdir(), 'opdesk-bench-b-'))
    try {
      const a = openStore(join(dirA, 'opdesk.db'))
      const log = new EventLog(a)
      const runA = insertRun(a, { kind: 'command', command: 'x' }).id
      const tA = performance.now()
      for (let i = 0; i < n; i += batch) log.append(runA, Array.from({ length: batch }, (_, j) => ({ type: 'stdout', data: { text: `line ${i + j}` } })))
      const storeRate = n / ((performance.now() - tA) / 1000)
      a.close()

      const b = openStore(join(dirB, 'opdesk.db'))
      const runB = insertRun(b, { kind: 'command', command: 'x' }).id
      const ins = b.sqlite.prepare('INSERT INTO run_events (run_id, seq, ts, type, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)')
      const ts = new Date().toISOString()
      const tB = performance.now()
      for (let i = 0; i < n; i += batch) {
        b.sqlite.transaction(() => {
          for (let j = 0; j < batch; j++) ins.run(runB, i + j + 1, ts, 'stdout', `{"text":"line ${i + j}"}`, GENESIS_HASH, GENESIS_HASH)
        })()
      }
      const rawRate = n / ((performance.now() - tB) / 1000)
      b.close()
      rows.push({ section: 'events', name: `append, ${batch} per transaction, store API`, value: Math.round(storeRate), unit: 'events/s' })
      rows.push({ section: 'events', name: `append, ${batch} per transaction, raw better-sqlite3`, value: Math.round(rawRate), unit: 'events/s' })
      const ratio = storeRate / rawRate
      rows.push({ section: 'events', name: `store / raw ratio, batch ${batch}`, value: ratio, unit: '×', aim: '≥ 0.5×', ok: ratio >= 0.5 })
    } finally {
      rmSync(dirA, { recursive: true, force: true })
      rmSync(dirB, { recursive: true, force: true })
    }
  }
  return rows
}
