// Load-independent view of the engine overhead: for the 20-step bench flow and the same
// actions as a plain playwright-core script, the CPU time of this Node process per run and
// (with DEBUG=pw:protocol DEBUG_FILE=…) the CDP messages per run, by method. Wall clock on
// a shared machine moves with everyone else's work; these do not.
//   DEBUG=pw:protocol DEBUG_FILE=/tmp/pw.log node bin/run-ts.mjs bench/engine-profile.ts [runs]
import { readFileSync } from 'node:fs'
import { startFixtureSite } from '../test/support/fixture-site'
import { engineHarness } from '../test/support/engine-harness'
import { flowSource, rawScript } from './engine-overhead'
import { median } from './harness'

const RUNS = Number(process.argv[2] ?? 8)
const STEPS = 20
// OPDESK_PROFILE_ONLY=engine|raw runs one side only (for a CPU profile of just that side).
const ONLY = (['raw', 'engine'] as const).filter((s) => (process.env.OPDESK_PROFILE_ONLY ?? s) === s)
const logFile = process.env.DEBUG_FILE && /pw:protocol/.test(process.env.DEBUG ?? '') ? process.env.DEBUG_FILE : null

/** CDP messages sent to the browser since `from` (a line count of the protocol log), by method. */
function sentSince(from: number): { lines: number; byMethod: Map<string, number> } {
  if (!logFile) return { lines: from, byMethod: new Map() }
  const lines = readFileSync(logFile, 'utf8').split('\n')
  const byMethod = new Map<string, number>()
  for (const line of lines.slice(from)) {
    const m = /SEND ► .*?"method":"([^"]+)"/.exec(line)
    if (m) byMethod.set(m[1]!, (byMethod.get(m[1]!) ?? 0) + 1)
  }
  return { lines: lines.length, byMethod }
}

// The log is written through a stream: give it a moment to reach the file.
const flushed = (): Promise<void> => new Promise((r) => setTimeout(r, 300))

const site = await startFixtureSite()
const h = await engineHarness()
try {
  const flow = flowSource(site.url)
  const engineOnce = async (): Promise<void> => {
    const run = await h.finished(h.start(flow).id, 60_000)
    if (run.status !== 'succeeded') throw new Error(`bench run ${run.status}: ${run.error}`)
  }
  await engineOnce()
  const browser = (await h.engine.browsers.sharedBrowser())!
  const rawOnce = async (): Promise<void> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    await rawScript(page, site.url)
    await context.close()
  }
  await rawOnce()
  const sides = { raw: rawOnce, engine: engineOnce }
  const cpu: Record<keyof typeof sides, number[]> = { raw: [], engine: [] }
  const wall: Record<keyof typeof sides, number[]> = { raw: [], engine: [] }
  const sent: Record<keyof typeof sides, Map<string, number>> = { raw: new Map(), engine: new Map() }
  await flushed()
  let mark = sentSince(0).lines
  for (let i = 0; i < RUNS; i++) {
    for (const side of ONLY) {
      const c0 = process.cpuUsage()
      const t0 = performance.now()
      await sides[side]()
      wall[side].push(performance.now() - t0)
      const c = process.cpuUsage(c0)
      cpu[side].push((c.user + c.system) / 1000)
      if (logFile) {
        await flushed()
        const s = sentSince(mark)
        mark = s.lines
        for (const [k, v] of s.byMethod) sent[side].set(k, (sent[side].get(k) ?? 0) + v)
      }
    }
  }
  const out: string[] = []
  for (const side of ONLY) {
    out.push(
      `${side}: wall median ${median(wall[side]).toFixed(0)} ms, Node CPU median ${median(cpu[side]).toFixed(0)} ms per run`,
    )
    if (logFile) {
      const total = [...sent[side].values()].reduce((a, b) => a + b, 0) / RUNS
      out.push(`  CDP messages sent: ${total.toFixed(1)} per run, ${(total / STEPS).toFixed(2)} per step`)
      const rows = [...sent[side]].sort((a, b) => b[1] - a[1])
      for (const [method, n] of rows) out.push(`    ${(n / RUNS).toFixed(1).padStart(7)}  ${method}`)
    }
  }
  if (ONLY.length === 2) out.push(`engine/raw: wall ${(median(wall.engine) / median(wall.raw)).toFixed(3)}×, CPU ${(median(cpu.engine) / median(cpu.raw)).toFixed(3)}×`)
  process.stdout.write(out.join('\n') + '\n')
} finally {
  await h.close()
  await site.close()
}
