// npm run bench: every benchmark, one table, written to BENCHMARKS.md with the machine.
import { existsSync, writeFileSync } from 'node:fs'
import { machine, table, type Row } from './harness'
import { runStoreBench } from './store'

type Section = { name: string; file: string; fn: string }
const OPTIONAL: Section[] = [
  { name: 'engine', file: './engine-overhead.ts', fn: 'runEngineBench' },
  { name: 'prompt', file: './prompt-latency.ts', fn: 'runPromptLatencyBench' },
  { name: 'takeover', file: './takeover.ts', fn: 'runTakeoverBench' },
  { name: 'ui', file: './ui.ts', fn: 'runUiBench' },
  { name: 'host', file: './host-lag.ts', fn: 'runHostLagBench' },
  { name: 'lag', file: './lag.ts', fn: 'runLagBench' },
  { name: 'burst', file: './health-burst.ts', fn: 'runHealthBurstBench' },
  { name: 'bundle', file: './bundle.ts', fn: 'runBundleBench' },
  { name: 'sched', file: './schedules.ts', fn: 'runSchedulesBench' },
  { name: 'pool', file: './pool.ts', fn: 'runPoolBench' },
]

const only = process.argv.slice(2)
const want = (name: string) => only.length === 0 || only.includes(name)
const rows: Row[] = []
if (want('store')) rows.push(...(await runStoreBench()))
for (const s of OPTIONAL) {
  if (!want(s.name) || !existsSync(new URL(s.file, import.meta.url))) continue
  const mod = (await import(s.file)) as Record<string, () => Promise<Row[]>>
  rows.push(...(await mod[s.fn]!()))
}
const out = `# Benchmarks\n\nMachine: ${machine()}\nDate: ${new Date().toISOString()}\nCommand: \`npm run bench\`${only.length ? ` (sections: ${only.join(', ')})` : ''}\n\nEach time is the median of repeated samples after warm-up.\n\n${table(rows)}\n`
process.stdout.write(out)
if (only.length === 0) writeFileSync(new URL('../BENCHMARKS.md', import.meta.url), out)
