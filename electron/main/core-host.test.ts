import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { StreamMessage } from '../../shared/api'
import { createCore, type Core } from '../core/core'
import { silentLogger } from '../core/log'
import { CoreHost, type CoreLike } from './core-host'

const dirs: string[] = []
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'opdesk-host-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function fake(dir: string, log: string[]) {
  const listeners = new Set<(m: StreamMessage) => void>()
  const core = {
    ws: { dir },
    bus: {
      subscribe: (l: (m: StreamMessage) => void) => {
        listeners.add(l)
        return () => listeners.delete(l)
      },
    },
    router: { handle: async () => ({ status: 200, body: dir }) },
    close: async () => {
      log.push(`close ${dir}`)
    },
    emit: (m: StreamMessage) => listeners.forEach((l) => l(m)),
    listeners,
  }
  return core satisfies CoreLike
}

describe('CoreHost', () => {
  it('keeps stream subscribers across a workspace switch and closes the old core', async () => {
    const log: string[] = []
    const made: ReturnType<typeof fake>[] = []
    const host = new CoreHost(async ({ workspaceDir }) => {
      const c = fake(workspaceDir, log)
      made.push(c)
      return c
    })
    const got: string[] = []
    host.subscribe((m) => got.push(`${m.type}:${(m.data as { flowId: string }).flowId}`))
    await host.open({ workspaceDir: '/a', demo: false })
    made[0]!.emit({ type: 'flow.changed', data: { flowId: 'f1' } })
    await host.open({ workspaceDir: '/b', demo: false })
    made[0]!.emit({ type: 'flow.changed', data: { flowId: 'stale' } })
    made[1]!.emit({ type: 'flow.changed', data: { flowId: 'f2' } })
    expect(got).toEqual(['flow.changed:f1', 'flow.changed:f2'])
    expect(log).toEqual(['close /a'])
    expect(made[0]!.listeners.size).toBe(0)
    expect(host.workspaceDir).toBe('/b')
    await host.close()
    expect(log).toEqual(['close /a', 'close /b'])
    await expect(host.get()).rejects.toThrow(/shutting down/)
  })

  it('leaves the current workspace open when the new one fails', async () => {
    const log: string[] = []
    const host = new CoreHost(async ({ workspaceDir }) => {
      if (workspaceDir === '/bad') throw new Error('written by a newer Opdesk')
      return fake(workspaceDir, log)
    })
    await host.open({ workspaceDir: '/a', demo: false })
    await expect(host.open({ workspaceDir: '/bad', demo: false })).rejects.toThrow(/newer Opdesk/)
    expect((await host.get()).ws.dir).toBe('/a')
    expect(log).toEqual([])
  })

  it('makes requests during a switch wait for the new core', async () => {
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const host = new CoreHost(async ({ workspaceDir }) => {
      if (workspaceDir === '/slow') await gate
      return fake(workspaceDir, [])
    })
    await host.open({ workspaceDir: '/a', demo: false })
    const switching = host.open({ workspaceDir: '/slow', demo: false })
    const during = host.get()
    release()
    await switching
    expect((await during).ws.dir).toBe('/slow')
  })

  it('drives a real core: demo workspace, router, switch to an empty one', async () => {
    const host = new CoreHost<Core>((req) => createCore({ ...req, log: silentLogger }))
    const a = tmp()
    const b = tmp()
    await host.open({ workspaceDir: a, demo: true })
    const tracks = await (await host.get()).router.handle({ method: 'GET', path: '/api/tracks' })
    expect(tracks.status).toBe(200)
    expect((tracks.body as unknown[]).length).toBe(3)
    await host.open({ workspaceDir: b, demo: false })
    const empty = await (await host.get()).router.handle({ method: 'GET', path: '/api/tracks' })
    expect(empty.body).toEqual([])
    await host.close()
  })
})
