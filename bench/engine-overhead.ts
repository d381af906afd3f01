// Engine overhead: a 20-step flow through the run service and engine vs the same actions
// as a plain playwright-core script, on the same local pages and the same browser; then
// 1, 2, 4 and 8 concurrent runs (runs per minute, peak RSS of Opdesk plus its browsers).
// Run alone: node bin/run-ts.mjs bench/engine-overhead.ts
import { readdirSync, readFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import type { Page } from 'playwright-core'
import { startFixtureSite } from '../test/support/fixture-site'
import { engineHarness } from '../test/support/engine-harness'
import { machine, median, table, type Row } from './harness'

const REPEAT = 15

export function flowSource(origin: string): string {
  return `name: Bench 20 steps
stepTimeout: 10s
steps:
  - goto: ${origin}/form
  - fill: { selector: "#name", value: "Ada Lovelace" }
  - fill: { selector: "#company", value: "Acme" }
  - select: { selector: "#plan", value: pro }
  - check: "#updates"
  - click: "button[type=submit]"
  - expect: { selector: "#result", text: "plan=pro" }
  - extract: { name: summary, selector: "#result" }
  - goto: ${origin}/select
  - select: { selector: "#fruit", value: cherry }
  - expect: { text: "Selected: cherry" }
  - select: { selector: "#fruit", value: banana }
  - expect: { text: "Selected: banana" }
  - goto: ${origin}/form
  - fill: { selector: "#name", value: "Grace Hopper" }
  - press: { selector: "#name", key: Tab }
  - fill: { selector: "#company", value: "Navy" }
  - check: { selector: "#updates", checked: false }
  - click: "button[type=submit]"
  - expect: { selector: "#result", text: "updates=no" }
`
}

/** The same 20 actions as a script would write them. */
export async function rawScript(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/form`, { waitUntil: 'load' })
  await page.fill('#name', 'Ada Lovelace')
  await page.fill('#company', 'Acme')
  await page.selectOption('#plan', 'pro')
  await page.setChecked('#updates', true)
  await page.click('button[type=submit]')
  await page.locator('#result').filter({ hasText: 'plan=pro' }).filter({ visible: true }).first().waitFor()
  await page.locator('#result').first().textContent()
  await page.goto(`${origin}/select`, { waitUntil: 'load' })
  await page.selectOption('#fruit', 'cherry')
  await page.getByText('Selected: cherry').filter({ visible: true }).first().waitFor()
  await page.selectOption('#fruit', 'banana')
  await page.getByText('Selected: banana').filter({ visible: true }).first().waitFor()
  await page.goto(`${origin}/form`, { waitUntil: 'load' })
  await page.fill('#name', 'Grace Hopper')
  await page.press('#name', 'Tab')
  await page.fill('#company', 'Navy')
  await page.setChecked('#updates', false)
  await page.click('button[type=submit]')
  await page.locator('#result').filter({ hasText: 'updates=no' }).filter({ visible: true }).first().waitFor()
}

/**
 * Memory of this process and every process it started (Chromium's), in MiB: RSS summed
 * (what the brief asks; it counts pages Chromium's processes share once per process) and
 * PSS (shared pages split between their sharers: the fairer footprint).
 */
function treeMemMiB(): { rss: number; pss: number } {
  if (process.platform !== 'linux') {
    const rss = process.memoryUsage().rss / 2 ** 20
    return { rss, pss: rss }
  }
  const parent = new Map<number, number>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      parent.set(Number(name), Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${name}/status`, 'utf8'))?.[1] ?? 0))
    } catch {
      // The process ended while we looked.
    }
  }
  const mine = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; p = parent.get(p) ?? 0, hops++) if (p === process.pid) return true
    return false
  }
  let rss = 0
  let pss = 0
  for (const pid of parent.keys()) {
    if (!mine(pid)) continue
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')
      rss += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0)
      pss += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0)
    } catch {
      // Gone meanwhile.
    }
  }
  return { rss: rss / 1024, pss: pss / 1024 }
}

export async function runEngineBench(): Promise<Row[]> {
  const site = await startFixtureSite()
  const h = await engineHarness()
  const rows: Row[] = []
  try {
    const flow = flowSource(site.url)
    const runOnce = async (): Promise<number> => {
      const t = performance.now()
      const run = await h.finished(h.start(flow).id, 60_000)
      if (run.status !== 'succeeded') throw new Error(`bench run ${run.status}: ${run.error}`)
      return performance.now() - t
    }
    await runOnce() // launches the shared browser
    const browser = (await h.engine.browsers.sharedBrowser())!
    const rawOnce = async (): Promise<number> => {
      const t = performance.now()
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
      const page = await context.newPage()
      await rawScript(page, site.url)
      await context.close()
      return performance.now() - t
    }
    await rawOnce()
    // Interleaved so both see the same machine state.
    const engine: number[] = []
    const raw: number[] = []
    for (let i = 0; i < REPEAT; i++) {
      raw.push(await rawOnce())
      engine.push(await runOnce())
    }
    const e = median(engine)
    const r = median(raw)
    const ratio = e / r
    rows.push(
      { section: 'engine', name: '20-step flow, raw playwright-core', value: r, unit: 'ms' },
      { section: 'engine', name: '20-step flow, through the run service and engine', value: e, unit: 'ms' },
      {
        section: 'engine',
        name: 'engine / raw',
        value: ratio,
        unit: '×',
        aim: '≤ 1.15×',
        ok: ratio <= 1.15,
        // Other work on the machine moves both timings; say how busy it was.
        note: `median of ${REPEAT}, load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs`,
      },
    )

    for (const n of [1, 2, 4, 8]) {
      h.service.setConcurrency(n)
      const peak = treeMemMiB()
      const sampler = setInterval(() => {
        const now = treeMemMiB()
        peak.rss = Math.max(peak.rss, now.rss)
        peak.pss = Math.max(peak.pss, now.pss)
      }, 100)
      // At least 4 runs per level, so 1 and 2 concurrent are not measured on one or two runs.
      const count = Math.max(n, 4)
      const t = performance.now()
      const ids = Array.from({ length: count }, () => h.start(flow).id)
      const done = await Promise.all(ids.map((id) => h.finished(id, 600_000)))
      const wall = performance.now() - t
      clearInterval(sampler)
      const failed = done.filter((d) => d.status !== 'succeeded')
      if (failed.length) throw new Error(`${failed.length} concurrent runs failed: ${failed[0]!.error}`)
      rows.push(
        {
          section: 'engine',
          name: `${n} concurrent, runs per minute`,
          value: (ids.length / wall) * 60_000,
          unit: 'runs/min',
          note: `${ids.length} runs`,
        },
        {
          section: 'engine',
          name: `${n} concurrent, peak RSS (Opdesk + browser processes, summed)`,
          value: peak.rss,
          unit: 'MiB',
        },
        {
          section: 'engine',
          name: `${n} concurrent, peak PSS (shared pages counted once)`,
          value: peak.pss,
          unit: 'MiB',
        },
      )
    }
    return rows
  } finally {
    await h.close()
    await site.close()
  }
}

// Run directly (not imported by bench/index.ts): print the table.
if (process.argv[1] && /engine-overhead\.ts$/.test(process.argv[1])) {
  const rows = await runEngineBench()
  process.stdout.write(`Machine: ${machine()}\n\n${table(rows)}\n`)
}
