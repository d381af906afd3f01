// A pool of three real browser servers (playwright-core launchServer, real Chromium): runs
// placed by free room, one server killed mid-way (its running run fails with why, a run
// still opening its browser there moves, the others finish), runs kept queued while every
// server is full, a local login carried to a remote browser and back, and a takeover of a
// page on a remote browser through the whole core.
import { readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import type { BrowserServer } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PoolEndpoint } from '../../../shared/api'
import { launchBrowserServers, poolOf, relaunchAt } from '../../../test/support/browser-servers'
import { startFixtureSite, type FixtureSite } from '../../../test/support/fixture-site'
import { silentLogger } from '../log'
import { setSetting } from '../store/settings'
import { press, typeKeys, until } from '../../../test/support/takeover-harness'
import { TestViewer } from '../../../test/support/takeover-viewer'
import { tempCore } from '../../../test/support/temp-workspace'
import { BrowserPool } from './browsers'
import { storageStatePath } from './storage-state'
import { engineHarness, type EngineHarness } from '../../../test/support/engine-harness'

let site: FixtureSite
let h: EngineHarness
let servers: BrowserServer[]
let pool: PoolEndpoint[]

beforeAll(async () => {
  ;[site, servers] = await Promise.all([startFixtureSite(), launchBrowserServers(3)])
  pool = poolOf(servers, 2)
  // A server that stopped answering stays down for the whole file.
  h = await engineHarness({ settings: { 'runs.concurrency': 8 }, poolRetryMs: 120_000 })
})
afterAll(async () => {
  await h?.close()
  await Promise.allSettled((servers ?? []).map((s) => s.close()))
  await site?.close()
})

const logs = (runId: string): string[] =>
  h.events(runId)
    .filter((e) => e.type === 'log')
    .map((e) => String(e.data.message))
const placedOn = (runId: string): string | null =>
  logs(runId)
    .map((m) => /^Placed on browser server "(\w+)"/.exec(m)?.[1])
    .find(Boolean) ?? null
async function atStep(runId: string, index: number): Promise<void> {
  await until(() => h.events(runId).some((e) => e.type === 'step.started' && e.data.index === index), 30_000)
}
const waiting = (seconds: number) => `name: Wait ${seconds}s\nsteps:\n  - goto: ${site.url}/form\n  - wait: ${seconds}s\n  - expect: Order form\n`

describe('a pool of browser servers', () => {
  it('carries a login made in a local profile to a remote browser, and back after the run', async () => {
    const remember = `name: Remember\nprofile: acct\nsteps:\n  - goto: ${site.url}/mfa/remember\n  - fill: { selector: "#otp", value: "${site.code}" }\n  - check: "#remember"\n  - click: "button[type=submit]"\n  - expect: { url: "**/done" }\n`
    const remembered = (profile: string | null) =>
      `name: Remembered\ndetectMfa: false\n${profile ? `profile: ${profile}\n` : ''}steps:\n  - goto: ${site.url}/mfa/remember\n  - expect: { url: "**/done", timeout: 2s }\n`

    // No pool yet: the login happens in the local persistent profile.
    const local = await h.finished(h.start(remember).id)
    expect(local.error).toBeNull()
    expect(placedOn(local.id)).toBeNull()
    const state = storageStatePath(h.core.ws.paths.profiles, 'acct')
    const written = statSync(state).mtimeMs
    expect(readFileSync(state, 'utf8')).toContain('"trusted"')

    setSetting(h.core.ws.store, 'browser.pool', pool)
    const remote = await h.finished(h.start(remembered('acct')).id)
    expect(remote.error).toBeNull()
    expect(placedOn(remote.id)).toBe('a')
    // Written back by the remote run (the cookie came home with it).
    expect(statSync(state).mtimeMs).toBeGreaterThan(written)
    expect(readFileSync(state, 'utf8')).toContain('"trusted"')
    // Without the profile the same remote browser is not signed in: the state did the work.
    const anonymous = await h.finished(h.start(remembered(null)).id)
    expect(anonymous.status).toBe('failed')
    expect(anonymous.error).toMatch(/The page URL did not match \*\*\/done within 2s/)

    // The other way: a login made on a server comes back to the local profile's browser.
    const remoteLogin = await h.finished(h.start(remember.replace('profile: acct', 'profile: roam')).id)
    expect(remoteLogin.error).toBeNull()
    expect(placedOn(remoteLogin.id)).toBe('a')
    setSetting(h.core.ws.store, 'browser.pool', undefined)
    const back = await h.finished(h.start(remembered('roam')).id)
    expect(back.error).toBeNull()
    expect(placedOn(back.id)).toBeNull()
  })

  it('fails the run on a server killed mid-run with why, moves a run still opening there, and finishes the rest', async () => {
    setSetting(h.core.ws.store, 'browser.pool', pool)
    const doomed = h.start(waiting(30))
    await atStep(doomed.id, 2)
    const second = h.start(waiting(3))
    await atStep(second.id, 2)
    const third = h.start(waiting(3))
    await atStep(third.id, 2)
    expect([placedOn(doomed.id), placedOn(second.id), placedOn(third.id)]).toEqual(['a', 'b', 'c'])

    // Every server has one free place: the next run is placed on "a" at once (before any
    // await), and "a" dies while that run is still opening its browser there.
    const mover = h.start(waiting(1))
    await servers[0]!.kill()

    const failed = await h.finished(doomed.id, 20_000)
    expect(failed.status).toBe('failed')
    expect(failed.error).toMatch(
      /^The browser server "a" \(ws:\/\/127\.0\.0\.1:\d+\/\S+\) stopped answering \(its connection closed\); it is marked down and new runs go to the other servers \(stopped at step 2 \(wait 30s, line 4\)\)$/,
    )
    const moved = await h.finished(mover.id, 30_000)
    expect(moved.error).toBeNull()
    expect(logs(mover.id).find((m) => m.includes('did not answer'))).toMatch(
      /^Browser server "a" \(ws:\/\/\S+\) did not answer \(.+\); it is marked down, and this run moves to "[bc]"$/,
    )
    expect(placedOn(mover.id)).toMatch(/^[bc]$/)
    expect((await h.finished(second.id)).error).toBeNull()
    expect((await h.finished(third.id)).error).toBeNull()

    const status = h.engine.browsers.servers.status()
    expect(status.map((s) => [s.name, s.state, s.running])).toEqual([
      ['a', 'down', 0],
      ['b', 'up', 0],
      ['c', 'up', 0],
    ])
    expect(status[0]!.reason).toBeTruthy()
    expect(status[0]!.since).toBeTruthy()
  })

  it('keeps runs queued, not failed, while every answering server is full', async () => {
    // "a" is down (previous test): four places left on "b" and "c".
    const runs = Array.from({ length: 5 }, () => h.start(waiting(4)))
    await until(() => runs.filter((r) => h.service.mustRun(r.id).status === 'running').length === 4, 30_000)
    await Promise.all(runs.slice(0, 4).map((r) => atStep(r.id, 2)))
    const last = h.service.mustRun(runs[4]!.id)
    expect(last.status).toBe('queued')
    expect(h.engine.browsers.servers.status().map((s) => s.running)).toEqual([0, 2, 2])
    for (const r of runs) expect((await h.finished(r.id, 40_000)).error).toBeNull()
    expect(placedOn(runs[4]!.id)).toMatch(/^[bc]$/)
    expect(h.events(runs[4]!.id).some((e) => e.type === 'log' && String(e.data.message).includes('did not answer'))).toBe(false)
  })

  it('tries a down server again after its rest, and uses it once it answers', async () => {
    // "a" was killed above; a server started again at its address comes back.
    const url = new URL(servers[0]!.wsEndpoint())
    const own = new BrowserPool({
      settings: () => ({ pool: [{ name: 'a', endpoint: url.href, capacity: 1 }] }),
      profilesDir: tmpdir(),
      log: silentLogger,
      poolRetryMs: 500,
    })
    try {
      await expect(own.acquire({ profile: null })).rejects.toThrow(/"a" \(.*ECONNREFUSED/)
      // Resting: runs fail at once with the reason rather than wait for nothing.
      await expect(own.acquire({ profile: null })).rejects.toThrow(/^No browser server of the pool is answering/)
      servers[0] = await relaunchAt(url)
      await new Promise((r) => setTimeout(r, 600))
      const lease = await own.acquire({ profile: null })
      expect(own.servers.status()[0]).toMatchObject({ state: 'up', running: 1, reason: null })
      await lease.release()
      expect(own.servers.status()[0]!.running).toBe(0)
    } finally {
      await own.closeAll()
    }
  })

  it('fails a run at once, with each server and why, when no server answers', async () => {
    const dead = new BrowserPool({
      settings: () => ({ pool: [{ name: 'gone', endpoint: 'ws://127.0.0.1:9/none', capacity: 1 }] }),
      profilesDir: tmpdir(),
      log: silentLogger,
    })
    await expect(dead.acquire({ profile: null })).rejects.toThrow(
      /^No browser server of the pool is answering \(Settings → Browser servers\): "gone" \(.*ECONNREFUSED.*\)$/,
    )
    expect(dead.servers.status()[0]).toMatchObject({ name: 'gone', state: 'down', running: 0 })
    expect(dead.servers.hasRoom()).toBe(true) // nothing to wait for: the run starts and fails with why
    await dead.closeAll()
  })
})

describe('takeover on a remote browser', () => {
  it('streams and forwards input to a page on a pool server (CDP over the server connection)', async () => {
    const core = await tempCore()
    try {
      setSetting(core.ws.store, 'browser.pool', [{ name: 'remote', endpoint: servers[1]!.wsEndpoint(), capacity: 1 }])
      const run = core.runs.create({
        flow: `name: Remote takeover\nviewport: { width: 1000, height: 700 }\nsteps:\n  - goto: ${site.url}/mfa/autofocus\n  - expect: Welcome back\n`,
      })
      const v = new TestViewer('v1', 'alice')
      v.handle = core.takeover.attach(run.id, v)
      const live = await v.next('status', (s) => s.live, { timeoutMs: 45_000, past: true })
      expect(live.runStatus).toBe('waiting-mfa')
      const frame = await v.next('frame', () => true, { past: true })
      expect(Buffer.from(frame.data, 'base64').subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]))
      v.up({ type: 'lease', want: true })
      typeKeys(v, site.code)
      press(v, 'Enter', 'Enter')
      await until(() => ['succeeded', 'failed'].includes(core.runs.mustRun(run.id).status), 45_000)
      expect(core.runs.mustRun(run.id).error).toBeNull()
      const messages = core.runs.events.list(run.id, 0, 1000).map((e) => String(e.data.message ?? ''))
      expect(messages).toContain(`Placed on browser server "remote" (${servers[1]!.wsEndpoint()})`)
      v.handle.detach()
    } finally {
      await core.cleanup()
    }
  })
})
