// Event-loop lag of the host (p99) while 8 command runs flood their logs and a client
// follows the live stream: the HTTP API must stay responsive under an event flood.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { createCore } from '../electron/core/core'
import { silentLogger } from '../electron/core/log'
import { startHost } from '../electron/host/server'
import type { Row } from './harness'

export async function runHostLagBench(): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'opdesk-lag-'))
  const core = await createCore({ workspaceDir: dir, log: silentLogger })
  core.runs.setConcurrency(8)
  const host = await startHost({ core, token: 'bench-token-1234567' })
  try {
    writeFileSync(join(core.ws.paths.work, 'flood.js'), `let i = 0; const t = setInterval(() => { for (let j = 0; j < 50; j++) console.log('line ' + i++ + ' ' + 'x'.repeat(60)); if (i >= 10000) clearInterval(t) }, 20)`)
    const auth = { authorization: 'Bearer bench-token-1234567' }
    const ctrl = new AbortController()
    let streamed = 0
    const stream = fetch(`${host.origin}/api/stream`, { headers: auth, signal: ctrl.signal }).then(async (res) => {
      const reader = res.body!.getReader()
      for (;;) {
        const { done, value } = await reader.read()
        if (done) return
        streamed += value.length
      }
    }).catch(() => {})
    const h = monitorEventLoopDelay({ resolution: 5 })
    const started = performance.now()
    const ids: string[] = []
    for (let i = 0; i < 8; i++) {
      const res = await fetch(`${host.origin}/api/runs`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ command: 'node flood.js' }),
      })
      ids.push(((await res.json()) as { id: string }).id)
    }
    // Measure from when the processes are up: spawning is the OS's cost, not the host's.
    while (ids.some((id) => core.runs.mustRun(id).status === 'queued')) await new Promise((r) => setTimeout(r, 5))
    h.enable()
    // Keep reading the API while the flood goes on, as the UI does.
    const apiTimes: number[] = []
    while (ids.some((id) => !['succeeded', 'failed'].includes(core.runs.mustRun(id).status))) {
      const t = performance.now()
      await fetch(`${host.origin}/api/runs/${ids[0]}/events?after=0&limit=100`, { headers: auth })
      apiTimes.push(performance.now() - t)
      await new Promise((r) => setTimeout(r, 20))
    }
    const elapsed = (performance.now() - started) / 1000
    h.disable()
    ctrl.abort()
    await stream
    const events = ids.reduce((a, id) => a + core.runs.events.lastSeq(id), 0)
    const p99 = h.percentile(99) / 1e6
    apiTimes.sort((a, b) => a - b)
    return [
      { section: 'host', name: 'event-loop lag p99, 8 runs flooding', value: p99, unit: 'ms', aim: '< 50 ms', ok: p99 < 50 },
      { section: 'host', name: 'event-loop lag max', value: h.max / 1e6, unit: 'ms' },
      { section: 'host', name: 'events written', value: Math.round(events / elapsed), unit: 'events/s', note: `${events} events in ${elapsed.toFixed(1)} s` },
      { section: 'host', name: 'API read latency p99 during flood', value: apiTimes[Math.floor(apiTimes.length * 0.99)] ?? 0, unit: 'ms' },
      { section: 'host', name: 'stream bytes to the client', value: streamed, unit: 'B' },
    ]
  } finally {
    await host.close()
    await core.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
