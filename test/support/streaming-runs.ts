// 8 command runs flooding their logs, driven only through a core's API and bus — the same
// for a core in this process and one in a forked core process, so the bench and the tests
// compare the two on equal terms.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { StreamMessage } from '../../shared/api'
import type { Run, RunEvent } from '../../shared/domain'

/** The slice of a core (in-process Core or RemoteCore) these helpers drive. */
export interface CoreApi {
  router: {
    handle(req: {
      method: string
      path: string
      query?: Record<string, string>
      body?: unknown
    }): Promise<{ status: number; body: unknown }>
  }
  bus: { subscribe(listener: (msg: StreamMessage) => void): () => void }
}

export async function call<T>(
  core: CoreApi,
  method: string,
  path: string,
  body?: unknown,
  query?: Record<string, string>,
): Promise<T> {
  const res = await core.router.handle({ method, path, body, query })
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body as T
}

/** What each flood run prints: `lines` numbered lines, in batches every 20 ms, as a busy build log does. */
export function floodOutput(lines: number): string {
  return Array.from({ length: lines }, (_, i) => `line ${i} ${'x'.repeat(60)}\n`).join('')
}

/** Starts `count` runs of the flood script in the workspace at `workspaceDir`; returns their ids. */
export async function startFloodRuns(
  core: CoreApi,
  workspaceDir: string,
  count: number,
  lines: number,
  batch = 50,
): Promise<string[]> {
  await call(core, 'PATCH', '/api/settings', { 'runs.concurrency': count })
  // Inline interpreter code needs approval by policy, so the runs execute a script file in work/.
  writeFileSync(
    join(workspaceDir, 'work', 'flood.js'),
    `let i = 0; const t = setInterval(() => { for (let j = 0; j < ${batch} && i < ${lines}; j++) console.log('line ' + i++ + ' ' + 'x'.repeat(60)); if (i >= ${lines}) clearInterval(t) }, 20)`,
  )
  const ids: string[] = []
  for (let i = 0; i < count; i++)
    ids.push((await call<Run>(core, 'POST', '/api/runs', { command: 'node flood.js' })).id)
  return ids
}

export const runOf = (core: CoreApi, id: string) => call<Run>(core, 'GET', `/api/runs/${id}`)
export const isOver = (run: Run) => run.status === 'succeeded' || run.status === 'failed'

export async function stdoutOf(core: CoreApi, id: string): Promise<string> {
  let after = 0
  let out = ''
  for (;;) {
    const page = await call<{ events: RunEvent[]; last: number }>(core, 'GET', `/api/runs/${id}/events`, undefined, {
      after: String(after),
      limit: '10000',
    })
    for (const e of page.events) if (e.type === 'stdout') out += String(e.data.text)
    const seen = page.events.at(-1)?.seq ?? after
    if (!page.events.length || seen >= page.last) return out
    after = seen
  }
}
