// Tiny benchmark harness: median of repeated samples, one table, machine noted.
import { cpus, totalmem } from 'node:os'

export interface Row {
  section: string
  name: string
  value: number
  unit: string
  aim?: string
  ok?: boolean
  note?: string
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

/** Runs fn `repeat` times after `warmup` runs; returns the median in ms. */
export async function timeMedian(fn: () => unknown | Promise<unknown>, repeat = 15, warmup = 3): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn()
  const samples: number[] = []
  for (let i = 0; i < repeat; i++) {
    const t = performance.now()
    await fn()
    samples.push(performance.now() - t)
  }
  return median(samples)
}

export function machine(): string {
  const c = cpus()
  return `${c.length} × ${c[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`
}

export function table(rows: Row[]): string {
  const lines = ['| section | measure | value | aim | |', '|---|---|---:|---|---|']
  for (const r of rows) {
    const v = Number.isInteger(r.value) ? String(r.value) : r.value.toFixed(r.value < 10 ? 2 : 1)
    lines.push(`| ${r.section} | ${r.name}${r.note ? ` (${r.note})` : ''} | ${v} ${r.unit} | ${r.aim ?? ''} | ${r.ok === undefined ? '' : r.ok ? 'ok' : 'MISSED'} |`)
  }
  return lines.join('\n')
}
