// A real takeover across the process boundary: a browser run in the forked core process
// waits for a person at an MFA prompt, and a viewer in this process receives the live
// screencast as JPEG bytes (no base64) plus the session's status. Once over fork (a process,
// like Electron's utilityProcess) and once over a worker thread (frames transferred).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DownMessage, FrameMessage, TakeoverStatus } from '../../shared/takeover'
import { startFixtureSite, type FixtureSite } from '../../test/support/fixture-site'
import { call, runOf } from '../../test/support/streaming-runs'
import { tempDir } from '../../test/support/temp-workspace'
import { waitUntil } from '../../test/support/wait'
import type { Run } from '../../shared/domain'
import { RemoteCore } from './client'
import { forkCoreProcess, workerCoreProcess } from './node-transport'

let site: FixtureSite
beforeAll(async () => {
  site = await startFixtureSite()
})
afterAll(async () => {
  await site?.close()
})

describe.each([
  ['a forked process', forkCoreProcess],
  ['a worker thread', workerCoreProcess],
])('the core in %s', (_name, start) => {
  let core: RemoteCore
  const tmp = tempDir('opdesk-takeover-proc-')
  beforeAll(async () => {
    core = await RemoteCore.open(start(), { workspaceDir: tmp.dir, demo: false })
  })
  afterAll(async () => {
    await core?.close()
    tmp.cleanup()
  })

  it("streams a waiting run's page to a viewer in the parent as JPEG bytes", async () => {
    const flow = `name: Autofocus\nviewport: { width: 800, height: 600 }\nsteps:\n  - goto: ${site.url}/mfa/autofocus\n  - expect: Welcome back\n`
    const run = await call<Run>(core, 'POST', '/api/runs', { flow })
    const deadline = Date.now() + 60_000
    let status = run.status
    while (status !== 'waiting-mfa') {
      expect(Date.now() < deadline, `run is ${status}`).toBe(true)
      expect(['failed', 'succeeded', 'canceled']).not.toContain(status)
      await new Promise((r) => setTimeout(r, 200))
      status = (await runOf(core, run.id)).status
    }
    const got: DownMessage[] = []
    const viewer = await core.takeover.attach(run.id, {
      id: '2f1c7a52-0000-4000-8000-000000000001',
      send: (m) => got.push(m),
    })
    await waitUntil(() => got.some((m) => m.type === 'frame'), 30_000, 'a frame')
    const frame = got.find((m): m is FrameMessage => m.type === 'frame')!
    expect(frame.data).toBe('')
    expect(frame.jpeg).toBeInstanceOf(Uint8Array)
    // A JPEG starts with SOI (FF D8) and ends with EOI (FF D9).
    expect([...frame.jpeg!.subarray(0, 2)]).toEqual([0xff, 0xd8])
    expect([...frame.jpeg!.subarray(-2)]).toEqual([0xff, 0xd9])
    expect(frame.viewport).toEqual({ width: 800, height: 600 })
    await waitUntil(() => got.some((m) => m.type === 'status' && (m as TakeoverStatus).live), 10_000, 'a live status')
    // Acks travel up and pace the next frame; an invalid message is refused by the hub there.
    viewer.handle({ type: 'ack', frameId: frame.frameId })
    viewer.handle({ type: 'nonsense' })
    await waitUntil(() => got.some((m) => m.type === 'error' && m.code === 'invalid'), 10_000, 'the refusal')
    viewer.detach()
    await call(core, 'POST', `/api/runs/${run.id}/cancel`)
  }, 120_000)
})
