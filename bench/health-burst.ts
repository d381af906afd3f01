// /api/health latency while 1,000 `POST /api/runs` (command runs) arrive at once: a burst
// of work must not starve the cheap calls a UI or a monitor makes. The host is a real
// `opdesk serve` child process, so the client's own work never counts as the host's.
import { spawn } from 'node:child_process'
import { Agent, request } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Row } from './harness'

const BIN = new URL('../bin/opdesk.mjs', import.meta.url).pathname
const TOKEN = 'bench-burst-token-0123456789'

/** One request on its own agent so the health probe never queues behind the burst's sockets. */
function call(agent: Agent, origin: string, method: string, path: string, body?: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body)
    const req = request(origin + path, {
      method,
      agent,
      headers: { authorization: `Bearer ${TOKEN}`, ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}) },
    })
    req.on('response', (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end(data)
  })
}

export interface BurstResult {
  p50: number
  p99: number
  max: number
  samples: number
  created: number
  burstSeconds: number
  /** Bytes the live stream delivered meanwhile (it was open throughout). */
  streamed: number
}

/** Starts a host, fires `runs` creations (`inflight` at a time) and probes /api/health every 10 ms. */
export async function measureHealthDuringBurst(runs = 1000, inflight = 1000): Promise<BurstResult> {
  const dir = mkdtempSync(join(tmpdir(), 'opdesk-burst-'))
  const proc = spawn(process.execPath, [BIN, 'serve', '--workspace', dir, '--port', '0', '--token', TOKEN], { stdio: ['ignore', 'pipe', 'pipe'] })
  try {
    const origin = await new Promise<string>((resolve, reject) => {
      let out = ''
      proc.stdout!.on('data', (d) => {
        out += d
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(out)
        if (m) resolve(m[1]!)
      })
      proc.once('exit', (code) => reject(new Error(`host exited ${code}`)))
    })
    const burstAgent = new Agent({ keepAlive: true, maxSockets: inflight })
    const healthAgent = new Agent({ keepAlive: true, maxSockets: 1 })
    await call(healthAgent, origin, 'GET', '/api/health')
    // An open UI follows the live stream: every creation is also fanned out to it.
    let streamed = 0
    const stream = request(origin + '/api/stream', { headers: { authorization: `Bearer ${TOKEN}` }, agent: new Agent() })
    stream.on('response', (res) => res.on('data', (d: Buffer) => (streamed += d.length)))
    stream.on('error', () => {})
    stream.end()
    let done = false
    const times: number[] = []
    const probe = (async () => {
      while (!done) {
        const t = performance.now()
        await call(healthAgent, origin, 'GET', '/api/health')
        times.push(performance.now() - t)
        await new Promise((r) => setTimeout(r, 10))
      }
    })()
    const started = performance.now()
    let next = 0
    let created = 0
    await Promise.all(
      Array.from({ length: inflight }, async () => {
        while (next < runs) {
          next++
          // BURST_COMMAND='rm -rf /' (denied: nothing runs) separates creation cost from execution cost.
          if ((await call(burstAgent, origin, 'POST', '/api/runs', { command: process.env.BURST_COMMAND ?? 'echo hi' })) === 201) created++
        }
      }),
    )
    const burstSeconds = (performance.now() - started) / 1000
    done = true
    await probe
    stream.destroy()
    burstAgent.destroy()
    healthAgent.destroy()
    const s = [...times].sort((a, b) => a - b)
    return { p50: s[Math.floor(s.length / 2)]!, p99: s[Math.floor(s.length * 0.99)]!, max: s.at(-1)!, samples: s.length, created, burstSeconds, streamed }
  } finally {
    proc.kill('SIGKILL')
    await new Promise((r) => (proc.exitCode !== null ? r(null) : proc.once('exit', r)))
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function runHealthBurstBench(): Promise<Row[]> {
  const r = await measureHealthDuringBurst()
  return [
    {
      section: 'host',
      name: '/api/health p99 during 1,000 run creations',
      value: r.p99,
      unit: 'ms',
      aim: '< 100 ms',
      ok: r.p99 < 100,
      note: `p50 ${r.p50.toFixed(1)} ms, max ${r.max.toFixed(0)} ms, ${r.samples} probes; ${r.created} runs created in ${r.burstSeconds.toFixed(1)} s, all sent at once, /api/stream open`,
    },
  ]
}

// `node bin/run-ts.mjs bench/health-burst.ts` prints the measurement alone.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const r = await measureHealthDuringBurst()
  process.stdout.write(JSON.stringify(r) + '\n')
}
