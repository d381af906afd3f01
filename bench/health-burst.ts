// /api/health latency while 1,000 `POST /api/runs` (command runs) arrive at once: a burst
// of work must not starve the cheap calls a UI or a monitor makes. The host is a real
// `opdesk serve` child process and the prober another, so neither the load generator's
// own work nor the prober's counts as the host's.
import { spawn, type ChildProcess } from 'node:child_process'
import { Agent, request } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Row } from './harness'

// The built CLI, as users run it (`npm run build` first).
const BIN = new URL('../bin/opdesk.mjs', import.meta.url).pathname
const TOKEN = 'bench-burst-token-0123456789'
const MONITOR = new URL('./support/loop-monitor.mjs', import.meta.url).pathname
const PROBER = new URL('./support/health-prober.mjs', import.meta.url).pathname

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
  /** The host's own event-loop delay during the burst (ms), measured inside it. */
  loop: {
    p50: number
    p99: number
    max: number
    mean: number
    /** Per 1 ms tick: time the loop was busy or blocked, not waiting for a CPU (see support/loop-monitor.mjs). */
    held: { p99: number; max: number; over30: number; over10: number }
    /** Per tick: the main thread's time on a CPU; `total` over the whole burst. */
    cpu: { p99: number; max: number; total: number }
    stalls: { at: number; ms: number; held: number; cpu: number }[]
  }
  /** Probes slower than 50 ms, with when they started (epoch ms), to line up with `loop.stalls`. */
  slow: { at: number; ms: number }[]
}

type Message = { loop?: BurstResult['loop']; times?: { at: number; ms: number }[] } | string

function nextMessage(proc: ChildProcess, pick: (m: Message) => boolean): Promise<Message> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: Message) => {
      if (!pick(m)) return
      proc.off('message', onMessage)
      proc.off('exit', onExit)
      resolve(m)
    }
    const onExit = (code: number | null) => reject(new Error(`child exited ${code} before answering`))
    proc.on('message', onMessage)
    proc.once('exit', onExit)
  })
}

/**
 * Starts a host, fires `runs` creations (`inflight` at a time) while a separate prober
 * process calls /api/health every 10 ms, and reads the host's event-loop delay from inside it.
 */
export async function measureHealthDuringBurst(runs = 1000, inflight = 1000): Promise<BurstResult> {
  const dir = mkdtempSync(join(tmpdir(), 'opdesk-burst-'))
  const proc = spawn(process.execPath, ['--import', MONITOR, BIN, 'serve', '--workspace', dir, '--port', '0', '--token', TOKEN], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  let prober: ChildProcess | undefined
  try {
    const origin = await new Promise<string>((resolve, reject) => {
      let out = ''
      proc.stdout!.on('data', (d) => {
        out += d
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(out)
        if (m) resolve(m[1]!)
      })
      let err = ''
      proc.stderr!.on('data', (d) => (err += d))
      proc.once('exit', (code) => reject(new Error(`host exited ${code}: ${err}`)))
    })
    const burstAgent = new Agent({ keepAlive: true, maxSockets: inflight })
    // An open UI follows the live stream: every creation is also fanned out to it.
    let streamed = 0
    const stream = request(origin + '/api/stream', { headers: { authorization: `Bearer ${TOKEN}` }, agent: new Agent() })
    stream.on('response', (res) => res.on('data', (d: Buffer) => (streamed += d.length)))
    stream.on('error', () => {})
    stream.end()
    prober = spawn(process.execPath, [PROBER, origin, TOKEN], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    await nextMessage(prober, (m) => m === 'probe:ready')
    proc.send('loop:start')
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
    const loopAnswer = nextMessage(proc, (m) => typeof m === 'object' && m.loop !== undefined)
    const probeAnswer = nextMessage(prober, (m) => typeof m === 'object' && m.times !== undefined)
    proc.send('loop:stop')
    prober.send('probe:stop')
    const { loop } = (await loopAnswer) as { loop: BurstResult['loop'] }
    const { times } = (await probeAnswer) as { times: { at: number; ms: number }[] }
    stream.destroy()
    burstAgent.destroy()
    const s = times.map((t) => t.ms).sort((a, b) => a - b)
    return {
      p50: s[Math.floor(s.length / 2)]!,
      p99: s[Math.floor(s.length * 0.99)]!,
      max: s.at(-1)!,
      samples: s.length,
      created,
      burstSeconds,
      streamed,
      loop,
      slow: times.filter((t) => t.ms > 50),
    }
  } finally {
    for (const p of [prober, proc]) {
      if (!p) continue
      p.kill('SIGKILL')
      await new Promise((r) => (p.exitCode !== null || p.signalCode !== null ? r(null) : p.once('exit', r)))
    }
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
      note: `p50 ${r.p50.toFixed(1)} ms, max ${r.max.toFixed(0)} ms, ${r.samples} probes from a separate process; ${r.created} runs created in ${r.burstSeconds.toFixed(1)} s, all sent at once, /api/stream open`,
    },
    {
      section: 'host',
      name: 'host event-loop delay p99 during the burst',
      value: r.loop.p99,
      unit: 'ms',
      note: `max ${r.loop.max.toFixed(0)} ms, ${r.loop.stalls.length} stalls over 30 ms (wall clock, includes waiting for a CPU)`,
    },
    {
      section: 'host',
      name: 'host event loop held longest during the burst',
      value: r.loop.held.max,
      unit: 'ms',
      note: `busy or blocked, time waiting for a CPU taken out (schedstat); ${r.loop.held.over10} holds over 10 ms, ${r.loop.held.over30} over 30 ms`,
    },
    {
      section: 'host',
      name: 'host main thread CPU in its longest task during the burst',
      value: r.loop.cpu.max,
      unit: 'ms',
      note: `p99 ${r.loop.cpu.p99.toFixed(1)} ms per task; ${(r.loop.cpu.total / 1000).toFixed(2)} s of CPU over the burst`,
    },
  ]
}

// `node bin/run-ts.mjs bench/health-burst.ts` prints the measurement alone.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const r = await measureHealthDuringBurst()
  process.stdout.write(JSON.stringify(r) + '\n')
}
