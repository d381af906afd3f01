// What issue 12 asks of the relay: with the core in its own process, 8 runs streaming output
// at once all finish with every line, the relaying parent receives their bus events, and the
// API keeps answering throughout. Outcomes only: how fast is bench/lag.ts's business.
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { StreamMessage } from '../../shared/api'
import { tempDir } from '../../test/support/temp-workspace'
import { call, floodOutput, isOver, runOf, startFloodRuns, stdoutOf } from '../../test/support/streaming-runs'
import { RemoteCore } from './client'
import { forkCoreProcess } from './node-transport'

const LINES = 2_000
let core: RemoteCore
const tmp = tempDir('opdesk-relay-')

beforeAll(async () => {
  core = await RemoteCore.open(forkCoreProcess(), { workspaceDir: tmp.dir, demo: false })
})
afterAll(async () => {
  await core?.close()
  tmp.cleanup()
})

it('8 streaming runs through the relay all finish with their full output, and the API keeps answering', async () => {
  const relayed: StreamMessage[] = []
  // What main does with each event: hand it to every window (a structured clone each).
  core.bus.subscribe((m) => relayed.push(structuredClone(m)))
  const ids = await startFloodRuns(core, tmp.dir, 8, LINES)
  let answered = 0
  const deadline = Date.now() + 180_000
  for (;;) {
    const runs = await Promise.all(ids.map((id) => runOf(core, id)))
    if (runs.every(isOver)) break
    expect(Date.now() < deadline, `runs still going: ${runs.map((r) => r.status).join(',')}`).toBe(true)
    // A view the operator would be looking at meanwhile.
    expect((await call<{ ok: boolean }>(core, 'GET', '/api/health')).ok).toBe(true)
    answered++
    await new Promise((r) => setTimeout(r, 50))
  }
  expect(answered).toBeGreaterThan(0)
  const want = floodOutput(LINES)
  for (const id of ids) {
    const run = await runOf(core, id)
    expect(run.status, run.error ?? '').toBe('succeeded')
    expect(await stdoutOf(core, id)).toBe(want)
    expect(
      relayed.some(
        (m) =>
          m.type === 'run.changed' &&
          (m.data as { runId: string; status: string }).runId === id &&
          (m.data as { status: string }).status === 'succeeded',
      ),
    ).toBe(true)
  }
  expect(relayed.filter((m) => m.type === 'run.event').length).toBeGreaterThan(8 * 10)
}, 240_000)
