// Cron expressions through croner (maintained, time zones and DST handled): a fixed-time
// job in a DST gap runs at the first valid time after it, and once when a time repeats.
import { Cron } from 'croner'

export interface CronSpec {
  cron: string
  timezone: string
}

export type CronCheck = { ok: true } | { ok: false; field: 'cron' | 'timezone'; message: string }

function build(spec: CronSpec): Cron {
  // Five fields as in crontab, or six with seconds first; never croner's one-off dates.
  return new Cron(spec.cron, { timezone: spec.timezone, paused: true, mode: '5-or-6-parts', domAndDow: false })
}

export function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

/** The machine's zone: what a schedule without one is read in. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

export function checkCron(spec: CronSpec, now: number): CronCheck {
  if (!validTimeZone(spec.timezone))
    return {
      ok: false,
      field: 'timezone',
      message: `"${spec.timezone}" is not an IANA time zone (like Europe/Berlin or UTC)`,
    }
  let job: Cron
  try {
    job = build(spec)
  } catch (err) {
    const why = (err instanceof Error ? err.message : String(err)).replace(/^CronPattern:\s*/, '')
    return { ok: false, field: 'cron', message: `"${spec.cron}" is not a cron expression: ${why}` }
  }
  if (!job.nextRun(new Date(now))) return { ok: false, field: 'cron', message: `"${spec.cron}" never fires` }
  return { ok: true }
}

/** Cron times strictly after `afterMs`, soonest first. */
export function nextTimes(spec: CronSpec, afterMs: number, n = 1): number[] {
  return build(spec)
    .nextRuns(n, new Date(afterMs))
    .map((d) => d.getTime())
}

/** The latest cron time at or before `atMs`, or null. */
export function latestTime(spec: CronSpec, atMs: number): number | null {
  const [d] = build(spec).previousRuns(1, new Date(atMs + 1))
  return d ? d.getTime() : null
}

/** How many cron times fall in (afterMs, untilMs], counting at most `cap`. */
export function countTimes(spec: CronSpec, afterMs: number, untilMs: number, cap = 1000): number {
  const job = build(spec)
  let n = 0
  let at: Date | null = new Date(afterMs)
  while (n < cap && (at = job.nextRun(at)) && at.getTime() <= untilMs) n++
  return n
}
