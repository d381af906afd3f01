// Preloaded into the benchmarked `opdesk serve` (node --import) so the host's own event-loop
// blocking is measured inside it: a signal independent of how loaded the shared machine is,
// unlike a client's round trip. Answers over the IPC channel the bench opens.
import { monitorEventLoopDelay } from 'node:perf_hooks'

if (process.send) {
  const h = monitorEventLoopDelay({ resolution: 2 })
  /** Gaps of a 1 ms ticker above STALL_MS, with when they ended, to say what blocked. */
  const STALL_MS = 30
  let stalls = []
  let last = performance.now()
  const ticker = setInterval(() => {
    const now = performance.now()
    if (now - last > STALL_MS) stalls.push({ at: Math.round(performance.timeOrigin + now), ms: Math.round(now - last) })
    last = now
  }, 1)
  ticker.unref()
  process.on('message', (msg) => {
    if (msg === 'loop:start') {
      h.reset()
      h.enable()
      stalls = []
    } else if (msg === 'loop:stop') {
      h.disable()
      const ms = (ns) => ns / 1e6
      process.send({ loop: { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), mean: ms(h.mean), stalls } })
    }
  })
  process.channel?.unref()
}
