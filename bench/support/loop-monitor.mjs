// Preloaded into the benchmarked `opdesk serve` (node --import) so the host's own event-loop
// blocking is measured inside it. On a machine shared with other work, wall-clock loop
// delay mostly measures how long the OS kept the host off a CPU; the main thread's
// schedstat (/proc/PID/task/PID/schedstat: ns on a CPU, ns waiting for one) separates that
// out: "held" = a gap between two 1 ms ticks minus the time spent waiting for a CPU, i.e.
// time the loop was busy or blocked in a synchronous call (a spawn waiting for exec), and
// "cpu" = the main thread's time on a CPU in that gap: the cost of the work itself.
// Answers over the IPC channel the bench opens.
import { readFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'

const STALL_MS = 30
const SCHEDSTAT = `/proc/${process.pid}/task/${process.pid}/schedstat`

function sched() {
  try {
    const [run, wait] = readFileSync(SCHEDSTAT, 'utf8').split(' ')
    return { run: Number(run) / 1e6, wait: Number(wait) / 1e6 }
  } catch {
    return null
  }
}

if (process.send) {
  const h = monitorEventLoopDelay({ resolution: 2 })
  let on = false
  let stalls = []
  let held = []
  let cpus = []
  let last = performance.now()
  let lastSched = sched()
  const ticker = setInterval(() => {
    const now = performance.now()
    const s = sched()
    if (on) {
      const wall = now - last
      const waited = s && lastSched ? s.wait - lastSched.wait : 0
      const heldMs = Math.max(0, wall - waited)
      const cpu = s && lastSched ? s.run - lastSched.run : 0
      held.push(heldMs)
      cpus.push(cpu)
      if (wall > STALL_MS) stalls.push({ at: Math.round(performance.timeOrigin + now), ms: Math.round(wall), held: Math.round(heldMs), cpu: Math.round(cpu) })
    }
    last = now
    lastSched = s
  }, 1)
  ticker.unref()
  process.on('message', (msg) => {
    if (msg === 'loop:start') {
      h.reset()
      h.enable()
      stalls = []
      held = []
      cpus = []
      on = true
    } else if (msg === 'loop:stop') {
      on = false
      h.disable()
      const ms = (ns) => ns / 1e6
      const sorted = [...held].sort((a, b) => a - b)
      const heldStats = {
        p99: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
        max: sorted.at(-1) ?? 0,
        over30: sorted.filter((x) => x > 30).length,
        over10: sorted.filter((x) => x > 10).length,
      }
      const cpuSorted = [...cpus].sort((a, b) => a - b)
      const cpuStats = { p99: cpuSorted[Math.floor(cpuSorted.length * 0.99)] ?? 0, max: cpuSorted.at(-1) ?? 0, total: cpus.reduce((a, b) => a + b, 0) }
      process.send({ loop: { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), mean: ms(h.mean), held: heldStats, cpu: cpuStats, stalls } })
    }
  })
  process.channel?.unref()
}
