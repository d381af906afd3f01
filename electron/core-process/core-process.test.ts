// The core process for real: forked from this test with a real workspace (SQLite file),
// real command runs and the same messages Electron main exchanges with its utilityProcess.
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { StreamMessage } from '../../shared/api'
import type { Run } from '../../shared/domain'
import type { DownMessage } from '../../shared/takeover'
import { aesCipher, type SecretCipher } from '../core/secrets/cipher'
import { tempDir } from '../../test/support/temp-workspace'
import { isOver, runOf, stdoutOf } from '../../test/support/streaming-runs'
import { waitUntil } from '../../test/support/wait'
import { CoreProcessGone, RemoteCore } from './client'
import { decodeBase64, joinFrame, splitFrame } from './frames'
import { forkCoreProcess } from './node-transport'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function openCore(opts: { dir?: string; cipher?: SecretCipher } = {}) {
  const tmp = opts.dir ? null : tempDir('opdesk-core-proc-')
  const dir = opts.dir ?? tmp!.dir
  const transport = forkCoreProcess()
  const core = await RemoteCore.open(transport, { workspaceDir: dir, demo: false }, { cipher: opts.cipher })
  cleanups.push(async () => {
    await core.close().catch(() => undefined)
    tmp?.cleanup()
  })
  return { core, dir, transport }
}

const api = async <T>(
  core: RemoteCore,
  method: string,
  path: string,
  body?: unknown,
  query?: Record<string, string>,
) => {
  const res = await core.router.handle({ method, path, body, query })
  return res as { status: number; body: T }
}

async function finished(core: RemoteCore, id: string, timeoutMs = 60_000): Promise<Run> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const run = await runOf(core, id)
    if (isOver(run)) return run
    if (Date.now() > deadline) throw new Error(`run ${id} still ${run.status}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('the core in its own process', () => {
  it('opens a workspace there, answers the API with mapped errors and reports its own pid', async () => {
    const { core, dir } = await openCore()
    expect(core.pid).not.toBe(process.pid)
    expect(core.ws.dir).toBe(dir)
    const health = await api<{ ok: boolean; workspace: string }>(core, 'GET', '/api/health')
    expect(health).toMatchObject({ status: 200, body: { ok: true, workspace: dir } })
    const missing = await api<{ error: { code: string } }>(core, 'GET', '/api/runs/nope')
    expect(missing.status).toBe(404)
    expect(missing.body.error.code).toBe('not_found')
    const bad = await api<{ error: { code: string } }>(core, 'POST', '/api/tracks', { title: 42 })
    expect(bad.status).toBe(400)
  })

  it('pushes bus events and streams a command run to its end', async () => {
    const { core, dir } = await openCore()
    const seen: StreamMessage[] = []
    core.bus.subscribe((m) => seen.push(m))
    writeFileSync(join(dir, 'work', 'lines.js'), `for (let i = 0; i < 200; i++) console.log('line ' + i)`)
    const started = await api<Run>(core, 'POST', '/api/runs', { command: 'node lines.js' })
    expect(started.status, JSON.stringify(started.body)).toBe(201)
    const run = await finished(core, started.body.id)
    expect(run.status, run.error ?? '').toBe('succeeded')
    expect(await stdoutOf(core, run.id)).toBe(Array.from({ length: 200 }, (_, i) => `line ${i}\n`).join(''))
    await waitUntil(
      () => seen.some((m) => m.type === 'run.changed' && (m.data as { status: string }).status === 'succeeded'),
      10_000,
      'run.changed',
    )
  })

  it('seals secrets with the parent cipher and opens them again in the next process', async () => {
    const key = randomBytes(32)
    const aes = aesCipher(key)
    const calls: string[] = []
    const parentCipher: SecretCipher = {
      scheme: 'safe-storage',
      encrypt: (p) => (calls.push('encrypt'), aes.encrypt(p) as Buffer),
      decrypt: (s) => (calls.push('decrypt'), aes.decrypt(s)),
    }
    const first = await openCore({ cipher: parentCipher })
    expect((await api(first.core, 'POST', '/api/secrets', { name: 'TOKEN', value: 'hunter2-value' })).status).toBe(200)
    expect(calls).toEqual(['encrypt'])
    await first.core.close()

    calls.length = 0
    const opened: Buffer[] = []
    const second = await openCore({
      dir: first.dir,
      cipher: {
        ...parentCipher,
        decrypt: (s) => {
          const p = parentCipher.decrypt(s)
          opened.push(p)
          return p
        },
      },
    })
    expect(calls).toEqual(['decrypt'])
    expect(opened.map((b) => b.toString())).toEqual(['hunter2-value'])
    const names = await api<{ name: string }[]>(second.core, 'GET', '/api/secrets')
    expect(names.body.map((s) => s.name)).toEqual(['TOKEN'])
  })

  it('says the process stopped when it dies: calls fail, viewers hear it, the shell is told', async () => {
    const { core, transport } = await openCore()
    const exits: (number | null)[] = []
    core.onUnexpectedExit((c) => exits.push(c))
    const down: DownMessage[] = []
    // Any run will do: a viewer of a run that waits for nobody still gets its status.
    const run = await api<Run>(core, 'POST', '/api/runs', { command: 'true' })
    await core.takeover.attach(run.body.id, { id: 'viewer-1', send: (m) => down.push(m) })
    await waitUntil(() => down.some((m) => m.type === 'status'), 10_000, 'takeover status')
    transport.kill()
    await waitUntil(() => exits.length === 1, 10_000, 'exit report')
    expect(core.alive).toBe(false)
    await expect(core.router.handle({ method: 'GET', path: '/api/health' })).rejects.toBeInstanceOf(CoreProcessGone)
    expect(down.at(-1)).toMatchObject({ type: 'error', code: 'unavailable' })
  })

  it('refuses a takeover of a run that does not exist, as the hub does', async () => {
    const { core } = await openCore()
    await expect(core.takeover.attach('run_missing', { id: 'viewer-2', send: () => {} })).rejects.toThrow(/not found/)
  })
})

describe('screencast frames across the boundary', () => {
  it('become exact JPEG bytes once, with no base64 on the parent side', () => {
    const jpeg = randomBytes(70_001)
    const msg = {
      type: 'frame' as const,
      frameId: 7,
      data: jpeg.toString('base64'),
      meta: { deviceWidth: 1, deviceHeight: 1, pageScaleFactor: 1, offsetTop: 0, scrollOffsetX: 0, scrollOffsetY: 0 },
      viewport: { width: 1280, height: 800 },
    }
    const { frame, jpeg: bytes } = splitFrame(msg)
    expect(bytes.byteLength).toBe(jpeg.length)
    expect(Buffer.from(bytes).equals(jpeg)).toBe(true)
    expect(frame).not.toHaveProperty('data')
    const joined = joinFrame(frame, bytes)
    expect(joined.data).toBe('')
    expect(Buffer.from(joined.jpeg!).equals(jpeg)).toBe(true)
    for (const n of [0, 1, 2, 3, 4, 5])
      expect(Buffer.from(decodeBase64(randomBytes(n).toString('base64'))).length).toBe(n)
  })
})
