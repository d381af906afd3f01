// The renderer at scale, in headless Chromium against an in-process host: first render of
// the Execution view with 1,000 tracks, of the Runs view with 10,000 runs and of a 2,000-step
// run's timeline, and the most
// event rows the DOM ever holds while scrolling a 100,000-event log.
//
// "First render" = performance.now() in the page (milliseconds since the navigation started)
// at the first animation frame in which the view's content is in the DOM:
//   Execution: track cards cover the viewport to its bottom edge (or every track is mounted);
//   Runs:      at least 10 run rows are mounted (the rows in the list's visible box).
// It covers loading index.html and the bundle, the token check, the API calls (the host's
// time included) and React's render. Each value is the median of several fresh loads.
import { mkdtempSync, existsSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Page } from 'playwright-core'
import { canonicalJson } from '../shared/canonical-json'
import { createCore } from '../electron/core/core'
import { silentLogger } from '../electron/core/log'
import { openStore } from '../electron/core/store/db'
import { eventHash, GENESIS_HASH } from '../electron/core/store/events'
import { startHost } from '../electron/host/server'
import { median, type Row } from './harness'

const TRACKS = 1_000
const RUNS = 10_000
const EVENTS = Number(process.env.BENCH_UI_EVENTS ?? 100_000)
const LOADS = 7
const WARMUP = 2
const TOKEN = 'bench-ui-token-123'

const TIMELINE_STEPS = 2_000

/** A finished browser run of 2,000 steps, as the engine logs one: started and succeeded per step. */
function seedTimelineRun(db: ReturnType<typeof openStore>['sqlite'], runId: string): void {
  const t0 = Date.now() - TIMELINE_STEPS * 1_000
  db.prepare(
    `INSERT INTO runs (id, kind, status, phase, flow_name, params, outputs, progress_current, progress_total, created_at, started_at, ended_at)
     VALUES (?, 'browser', 'succeeded', 'artifact', 'Two thousand steps', '{}', '{}', ?, ?, ?, ?, ?)`,
  ).run(runId, TIMELINE_STEPS, TIMELINE_STEPS, new Date(t0).toISOString(), new Date(t0).toISOString(), new Date().toISOString())
  const ins = db.prepare('INSERT INTO run_events (run_id, seq, ts, type, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)')
  let prev = GENESIS_HASH
  let seq = 0
  const add = (ms: number, type: string, data: Record<string, unknown>) => {
    seq++
    const ts = new Date(ms).toISOString()
    const hash = eventHash(prev, { runId, seq, ts, type, data })
    ins.run(runId, seq, ts, type, canonicalJson(data), prev, hash)
    prev = hash
  }
  db.transaction(() => {
    add(t0, 'run.status', { from: 'queued', to: 'running' })
    for (let i = 1; i <= TIMELINE_STEPS; i++) {
      const action = i === 1 ? 'goto' : 'wait'
      add(t0 + i * 1_000, 'step.started', { index: i, action, label: i === 1 ? 'goto /search' : 'wait 1ms', line: i + 3 })
      add(t0 + i * 1_000 + 400, 'step.succeeded', { index: i })
    }
    add(t0 + (TIMELINE_STEPS + 1) * 1_000, 'run.status', { from: 'running', to: 'succeeded' })
  })()
  db.prepare('UPDATE runs SET head_seq = ?, head_hash = ? WHERE id = ?').run(seq, prev, runId)
}

export function seedUiWorkspace(file: string): { bigRun: string; timelineRun: string } {
  const s = openStore(file)
  const db = s.sqlite
  const now = new Date().toISOString()
  const t = db.prepare(
    'INSERT INTO tracks (id, title, objective, owner, next_action, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  )
  const st = db.prepare(
    'INSERT INTO steps (id, track_id, ordinal, title, state, owner, core) VALUES (?, ?, ?, ?, ?, ?, ?)',
  )
  const cp = db.prepare(
    'INSERT INTO checkpoints (id, track_id, ordinal, title, kind, state, owner) VALUES (?, ?, ?, ?, ?, ?, ?)',
  )
  const bl = db.prepare('INSERT INTO blockers (id, track_id, title, owner, open, created_at) VALUES (?, ?, ?, ?, 1, ?)')
  const stepStates = ['done', 'done', 'active', 'queued', 'queued']
  db.transaction(() => {
    for (let i = 0; i < TRACKS; i++) {
      const id = `trk_${String(i).padStart(6, '0')}`
      t.run(
        id,
        `Track ${i}: export and reconcile batch ${i}`,
        `Objective of track ${i}`,
        'bench',
        'Next thing to do',
        now,
        now,
      )
      for (let j = 0; j < 5; j++)
        st.run(
          `stp_${i}_${j}`,
          id,
          j + 1,
          `Step ${j + 1} of track ${i}`,
          i % 9 === 0 && j === 2 ? 'blocked' : stepStates[j],
          'Ops',
          j < 4 ? 1 : 0,
        )
      cp.run(`chk_${i}_0`, id, 1, 'Evidence reviewed', 'evidence', i % 5 === 0 ? 'waiting' : 'pending', 'Review')
      cp.run(`chk_${i}_1`, id, 2, 'Sign-off', 'approval', 'pending', 'Lead')
      if (i % 13 === 0) bl.run(`blk_${i}`, id, `Waiting for access ${i}`, 'IT', now)
    }
  })()
  const r = db.prepare(
    `INSERT INTO runs (id, kind, status, phase, track_id, flow_name, params, outputs, progress_current, progress_total, created_at, started_at, ended_at)
     VALUES (?, 'browser', ?, 'artifact', ?, ?, '{}', '{}', 5, 5, ?, ?, ?)`,
  )
  const statuses = ['succeeded', 'succeeded', 'succeeded', 'failed', 'canceled']
  db.transaction(() => {
    for (let i = 0; i < RUNS; i++) {
      const ts = new Date(Date.now() - (RUNS - i) * 60_000).toISOString()
      r.run(
        `run_${String(i).padStart(8, '0')}`,
        statuses[i % 5],
        `trk_${String(i % TRACKS).padStart(6, '0')}`,
        `Flow ${i % 25}`,
        ts,
        ts,
        ts,
      )
    }
  })()
  const bigRun = 'run_bench_events'
  db.prepare(
    "INSERT INTO runs (id, kind, status, phase, command, params, outputs, created_at, started_at, ended_at) VALUES (?, 'command', 'succeeded', 'artifact', 'bench flood', '{}', '{}', ?, ?, ?)",
  ).run(bigRun, now, now, now)
  const ins = db.prepare(
    'INSERT INTO run_events (run_id, seq, ts, type, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
  )
  let prev = GENESIS_HASH
  db.transaction(() => {
    for (let seq = 1; seq <= EVENTS; seq++) {
      const data = { text: `line ${seq} of the flood\n` }
      const hash = eventHash(prev, { runId: bigRun, seq, ts: now, type: 'stdout', data })
      ins.run(bigRun, seq, now, 'stdout', canonicalJson(data), prev, hash)
      prev = hash
    }
  })()
  db.prepare('UPDATE runs SET head_seq = ?, head_hash = ? WHERE id = ?').run(EVENTS, prev, bigRun)
  const timelineRun = 'run_bench_timeline'
  seedTimelineRun(db, timelineRun)
  s.close()
  return { bigRun, timelineRun }
}

// In-page code travels as source text: it runs in the page (DOM types are not this file's).
/** Installed before any page script: records the first frame in which window.__ready() holds. */
const WATCH_FIRST_RENDER = `(() => {
  const tick = () => {
    if (window.__ready && window.__ready()) window.__firstRender = performance.now()
    else requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)
})()`

const READY = {
  execution: `() => {
    const cards = document.querySelectorAll('[data-testid="track-card"]')
    const last = cards[cards.length - 1]
    if (!last) return false
    const total = Number(document.querySelector('[data-lens="all"] .lens-count')?.textContent ?? -1)
    return last.getBoundingClientRect().bottom >= window.innerHeight || cards.length === total
  }`,
  runs: `() => document.querySelectorAll('[data-testid="run-row"]').length >= 10`,
  timeline: `() => document.querySelectorAll('[data-testid="timeline-step"]').length >= 10`,
}

async function firstRender(page: Page, url: string, view: keyof typeof READY): Promise<number> {
  const samples: number[] = []
  for (let i = 0; i < WARMUP + LOADS; i++) {
    await page.goto('about:blank')
    // The readiness check travels as source: it runs in the page, before the app's scripts.
    await page.addInitScript(`window.__ready = ${READY[view]}`)
    await page.goto(url)
    const ms = await page
      .waitForFunction('window.__firstRender', null, { timeout: 60_000, polling: 50 })
      .catch(async (err: Error) => {
        const shot = join(tmpdir(), `opdesk-ui-bench-${view}.png`)
        await page.screenshot({ path: shot })
        throw new Error(`${view} never rendered (screenshot: ${shot}): ${err.message}`)
      })
    if (i >= WARMUP) samples.push((await ms.jsonValue()) as number)
  }
  return median(samples)
}

async function maxEventRows(page: Page, url: string): Promise<{ max: number; loadMs: number }> {
  await page.goto('about:blank')
  const t0 = performance.now()
  await page.goto(url)
  // The raw log is the run page's second tab (the timeline is the default).
  await page.getByRole('tab', { name: 'Events' }).click()
  await page
    .getByTestId('event-count')
    .filter({ hasText: EVENTS.toLocaleString('en-US') })
    .waitFor({ timeout: 120_000 })
  const loadMs = performance.now() - t0
  const log = page.getByTestId('event-log')
  let max = 0
  const count = () => page.evaluate<number>('document.querySelectorAll(\'[data-testid="event-row"]\').length')
  // A steady scroll through the first screens, then jumps across the whole log and back.
  const stops = [
    ...Array.from({ length: 30 }, (_, i) => i * 400),
    ...Array.from({ length: 21 }, (_, i) => `f${i / 20}`),
    'f0.5',
    'f0',
  ]
  for (const s of stops) {
    await log.evaluate((el, stop) => {
      el.scrollTop = typeof stop === 'number' ? stop : el.scrollHeight * Number(stop.slice(1))
    }, s)
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))')
    max = Math.max(max, await count())
  }
  return { max, loadMs }
}

export async function runUiBench(): Promise<Row[]> {
  const rendererDir = process.env.OPDESK_RENDERER_DIR ?? fileURLToPath(new URL('../out/renderer/', import.meta.url))
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`bench ui: no renderer build in ${rendererDir}; run \`npm run build\` first`)
  }
  const dir = mkdtempSync(join(tmpdir(), 'opdesk-ui-bench-'))
  const rows: Row[] = []
  const t0 = performance.now()
  const { bigRun, timelineRun } = seedUiWorkspace(join(dir, 'opdesk.db'))
  rows.push({
    section: 'ui',
    name: 'seed (not an aim)',
    value: (performance.now() - t0) / 1000,
    unit: 's',
    note: `${TRACKS} tracks × 5 steps + 2 checkpoints, ${RUNS} runs, ${EVENTS} events`,
  })
  const core = await createCore({ workspaceDir: dir, log: silentLogger, passive: true })
  const host = await startHost({ core, token: TOKEN, rendererDir })
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  try {
    // bypassCSP: the measuring snippets are strings (this file has no DOM types) and the
    // renderer's CSP forbids evaluating strings; it changes nothing the app does.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true })
    const page = await context.newPage()
    await page.goto(host.url) // trades the token for the session cookie
    await page.addInitScript(WATCH_FIRST_RENDER)

    const exec = await firstRender(page, `${host.origin}/#/execution`, 'execution')
    rows.push({
      section: 'ui',
      name: `Execution view first render, ${TRACKS} tracks`,
      value: exec,
      unit: 'ms',
      aim: '< 300 ms',
      ok: exec < 300,
      note: `median of ${LOADS} loads`,
    })
    const cards = await page.evaluate<number>('document.querySelectorAll(\'[data-testid="track-card"]\').length')
    rows.push({ section: 'ui', name: 'track cards mounted (windowed)', value: cards, unit: 'cards' })

    const runsMs = await firstRender(page, `${host.origin}/#/runs`, 'runs')
    rows.push({
      section: 'ui',
      name: `Runs view first rows, ${RUNS} runs`,
      value: runsMs,
      unit: 'ms',
      aim: '< 300 ms',
      ok: runsMs < 300,
      note: `median of ${LOADS} loads`,
    })

    const timelineMs = await firstRender(page, `${host.origin}/#/runs/${timelineRun}`, 'timeline')
    const stepRows = await page.evaluate<number>('document.querySelectorAll(\'[data-testid="timeline-step"]\').length')
    rows.push({
      section: 'ui',
      name: `run timeline first render, ${TIMELINE_STEPS} steps`,
      value: timelineMs,
      unit: 'ms',
      aim: '< 300 ms',
      ok: timelineMs < 300,
      note: `median of ${LOADS} loads; ${stepRows} step rows mounted`,
    })

    const ev = await maxEventRows(page, `${host.origin}/#/runs/${bigRun}`)
    rows.push({
      section: 'ui',
      name: `most event-row elements while scrolling ${EVENTS} events`,
      value: ev.max,
      unit: 'rows',
      aim: '< 200',
      ok: ev.max < 200,
    })
    rows.push({ section: 'ui', name: `load the whole ${EVENTS}-event log (not an aim)`, value: ev.loadMs, unit: 'ms' })
    await context.close()
  } finally {
    await browser.close()
    await host.close()
    await core.close()
    rmSync(dir, { recursive: true, force: true })
  }
  return rows
}
