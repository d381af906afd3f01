// Runs per minute with a pool of 1, 2 and 3 local browser servers (playwright-core
// launchServer, the engine's Chromium), two runs at a time each, through the run service
// and engine. The flow waits 1 s on its page, as a run against a slow remote site does, so
// the numbers show what placement over more servers gains when runs wait rather than
// compute; on a 2-core machine CPU-bound runs would not scale with local servers.
// Run alone: node bin/run-ts.mjs bench/pool.ts
import { cpus, loadavg } from 'node:os'
import { startFixtureSite } from '../test/support/fixture-site'
import { engineHarness } from '../test/support/engine-harness'
import { setSetting } from '../electron/core/store/settings'
import { launchBrowserServers, poolOf } from '../test/support/browser-servers'
import { machine, median, table, type Row } from './harness'

const RUNS = 12
const CAPACITY = 2
const ROUNDS = 3

function flowSource(origin: string): string {
  return `name: Pool bench
stepTimeout: 20s
steps:
  - goto: ${origin}/form
  - fill: { selector: "#name", value: "Ada Lovelace" }
  - fill: { selector: "#company", value: "Acme" }
  - select: { selector: "#plan", value: pro }
  - wait: 1s
  - click: "button[type=submit]"
  - expect: { selector: "#result", text: "plan=pro" }
`
}

export async function runPoolBench(): Promise<Row[]> {
  const [site, servers] = await Promise.all([startFixtureSite(), launchBrowserServers(3)])
  const h = await engineHarness({ settings: { 'runs.concurrency': 16 } })
  const rows: Row[] = []
  try {
    const flow = flowSource(site.url)
    // Warm-up: every server connected once, so the first level does not pay for connecting.
    setSetting(h.core.ws.store, 'browser.pool', poolOf(servers, CAPACITY))
    await Promise.all(Array.from({ length: 6 }, () => h.start(flow).id).map((id) => h.finished(id, 120_000)))
    for (const n of [1, 2, 3]) {
      setSetting(h.core.ws.store, 'browser.pool', poolOf(servers.slice(0, n), CAPACITY))
      const rates: number[] = []
      for (let round = 0; round < ROUNDS; round++) {
        const t = performance.now()
        const ids = Array.from({ length: RUNS }, () => h.start(flow).id)
        const done = await Promise.all(ids.map((id) => h.finished(id, 600_000)))
        const wall = performance.now() - t
        const failed = done.filter((d) => d.status !== 'succeeded')
        if (failed.length) throw new Error(`${failed.length} pool runs failed: ${failed[0]!.error}`)
        rates.push((RUNS / wall) * 60_000)
      }
      rows.push({
        section: 'pool',
        name: `${n} browser server${n > 1 ? 's' : ''} × ${CAPACITY} runs, runs per minute`,
        value: median(rates),
        unit: 'runs/min',
        note: `median of ${ROUNDS} rounds of ${RUNS} runs with a 1 s wait each, load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs`,
      })
    }
    return rows
  } finally {
    await h.close()
    await Promise.allSettled(servers.map((s) => s.close()))
    await site.close()
  }
}

// Run directly (not imported by bench/index.ts): print the table.
if (process.argv[1] && /pool\.ts$/.test(process.argv[1])) {
  const rows = await runPoolBench()
  process.stdout.write(`Machine: ${machine()}\n\n${table(rows)}\n`)
}
