import type { Run, RunStatus } from '../../shared/domain'

/** Polls until the run reaches one of the statuses (tests only; the app uses the stream). */
export async function waitForStatus(get: () => Run, statuses: RunStatus[], timeoutMs = 30_000): Promise<Run> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const run = get()
    if (statuses.includes(run.status)) return run
    if (Date.now() > deadline) throw new Error(`run ${run.id} is ${run.status}, expected ${statuses.join('|')} within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

export async function waitUntil(cond: () => boolean, timeoutMs = 10_000, what = 'condition', everyMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}
