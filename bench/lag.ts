// Issue 12: the event-loop lag of the Electron app's main process while 8 command runs
// stream their output, with the core in its own process (what main's utilityProcess does:
// here a child_process.fork of the same entry, since this machine may have no Electron
// binary) against the old way, the core inside the relaying process. The relaying parent
// does what main does: clones each bus event out (to the windows) and keeps asking the API.
// Where the Electron binary exists, e2e/electron.spec.ts measures the real main process under
// the same flood and records it as an annotation; host mode's own lag is `npm run bench -- host`.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { RemoteCore } from '../electron/core-process/client'
import { forkCoreProcess } from '../electron/core-process/node-transport'
import { createCore } from '../electron/core/core'
import { silentLogger } from '../electron/core/log'
import { call, isOver, runOf, startFloodRuns, type CoreApi } from '../test/support/streaming-runs'
import type { Row } from './harness'

const RUNS = 8
// 8 × 40,000 lines at 200 a tick: about 80,000 lines a second for the core to store and announce.
const LINES = 40_000
const BATCH = 200

interface Sample {
  p50: number
  p99: number
  max: number
  apiP99: number
  events: number
  seconds: number
}

async function measure(core: CoreApi, dir: string): Promise<Sample> {
  let events = 0
  const off = core.bus.subscribe((m) => {
    structuredClone(m)
    events++
  })
  const ids = await startFloodRuns(core, dir, RUNS, LINES, BATCH)
  // Measure from when the processes are up: spawning is the OS's cost, not the relay's.
  while ((await Promise.all(ids.map((id) => runOf(core, id)))).some((r) => r.status === 'queued'))
    await new Promise((r) => setTimeout(r, 5))
  const h = monitorEventLoopDelay({ resolution: 1 })
  h.enable()
  const started = performance.now()
  const apiTimes: number[] = []
  for (;;) {
    const t = performance.now()
    await call(core, 'GET', `/api/runs/${ids[0]}/events`, undefined, { after: '0', limit: '100' })
    apiTimes.push(performance.now() - t)
    if ((await Promise.all(ids.map((id) => runOf(core, id)))).every(isOver)) break
    await new Promise((r) => setTimeout(r, 20))
  }
  h.disable()
  off()
  apiTimes.sort((a, b) => a - b)
  return {
    p50: h.percentile(50) / 1e6,
    p99: h.percentile(99) / 1e6,
    max: h.max / 1e6,
    apiP99: apiTimes[Math.floor(apiTimes.length * 0.99)] ?? 0,
    events,
    seconds: (performance.now() - started) / 1000,
  }
}

async function inProcess(): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), 'opdesk-lag-in-'))
  const core = await createCore({ workspaceDir: dir, log: silentLogger })
  try {
    return await measure(core, dir)
  } finally {
    await core.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function coreProcess(): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), 'opdesk-lag-proc-'))
  const core = await RemoteCore.open(forkCoreProcess(), { workspaceDir: dir, demo: false })
  try {
    return await measure(core, dir)
  } finally {
    await core.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function runLagBench(): Promise<Row[]> {
  const away = await coreProcess()
  const inside = await inProcess()
  const rows = (label: string, s: Sample, aim?: { p99: number }): Row[] => [
    { section: 'lag', name: `main lag p50, ${RUNS} streaming runs, ${label}`, value: s.p50, unit: 'ms' },
    {
      section: 'lag',
      name: `main lag p99, ${RUNS} streaming runs, ${label}`,
      value: s.p99,
      unit: 'ms',
      ...(aim ? { aim: `< ${aim.p99} ms`, ok: s.p99 < aim.p99 } : {}),
    },
    { section: 'lag', name: `main lag max, ${label}`, value: s.max, unit: 'ms' },
    { section: 'lag', name: `API answer p99 during the flood, ${label}`, value: s.apiP99, unit: 'ms' },
    {
      section: 'lag',
      name: `bus events relayed, ${label}`,
      value: Math.round(s.events / s.seconds),
      unit: 'events/s',
      note: `${s.events} in ${s.seconds.toFixed(1)} s`,
    },
  ]
  // One frame at 60 Hz: a main process that lags less never drops a window's frame for us.
  return [...rows('core in its own process', away, { p99: 16.7 }), ...rows('core in-process (before)', inside)]
}
