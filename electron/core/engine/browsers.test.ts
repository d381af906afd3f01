// Where runs get their browser: the executable search, persistent profiles, a crash of
// the shared browser, and a remote browser server.
import { existsSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFixtureSite, type FixtureSite } from '../../../test/support/fixture-site'
import { setSetting } from '../store/settings'
import { silentLogger } from '../log'
import {
  BrowserNotFoundError,
  BrowserPool,
  knownBrowserPaths,
  launchArgs,
  profileDir,
  resolveExecutable,
  type BrowserSettings,
} from './browsers'
import { engineHarness, type EngineHarness } from '../../../test/support/engine-harness'

describe('resolveExecutable', () => {
  const only =
    (...paths: string[]) =>
    (p: string) =>
      paths.includes(p)

  it('prefers the setting, then CHROMIUM_PATH, then the known places', () => {
    const env = { CHROMIUM_PATH: '/opt/env-chrome' }
    expect(
      resolveExecutable({ setting: '/opt/mine', env, platform: 'linux', exists: only('/opt/mine', '/opt/env-chrome') }),
    ).toBe('/opt/mine')
    expect(resolveExecutable({ env, platform: 'linux', exists: only('/opt/env-chrome', '/usr/bin/chromium') })).toBe(
      '/opt/env-chrome',
    )
    expect(resolveExecutable({ env: {}, platform: 'linux', exists: only('/usr/bin/google-chrome') })).toBe(
      '/usr/bin/google-chrome',
    )
    expect(
      resolveExecutable({
        env: {},
        platform: 'darwin',
        exists: only('/Applications/Chromium.app/Contents/MacOS/Chromium'),
      }),
    ).toBe('/Applications/Chromium.app/Contents/MacOS/Chromium')
    const win = { PROGRAMFILES: 'C:\\Program Files', 'PROGRAMFILES(X86)': 'C:\\Program Files (x86)' }
    expect(knownBrowserPaths('win32', win)).toContain(
      'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
    )
  })

  it('says what it tried and how to fix it', () => {
    expect(() => resolveExecutable({ env: {}, platform: 'linux', exists: () => false })).toThrow(BrowserNotFoundError)
    expect(() => resolveExecutable({ env: {}, platform: 'linux', exists: () => false })).toThrow(
      /tried \/usr\/bin\/chromium, \/usr\/bin\/chromium-browser, .*Settings → Browser path.*CHROMIUM_PATH/,
    )
    // A path the operator named is not silently replaced by another browser.
    expect(() =>
      resolveExecutable({ setting: '/nope', env: {}, platform: 'linux', exists: only('/usr/bin/chromium') }),
    ).toThrow('No browser at /nope (Settings → Browser path)')
  })

  it('keeps profile names to one folder', () => {
    expect(profileDir('/ws/profiles', 'acme-prod')).toBe(join('/ws/profiles', 'acme-prod'))
    expect(() => profileDir('/ws/profiles', '../etc')).toThrow(/Profile name/)
  })
})

describe('BrowserPool start-up failures', () => {
  it('says which browser or endpoint failed, in one line', async () => {
    const pool = (settings: BrowserSettings) =>
      new BrowserPool({ settings: () => settings, profilesDir: tmpdir(), log: silentLogger })
    await expect(pool({ executablePath: '/bin/false' }).acquire({ profile: null })).rejects.toThrow(
      /^Could not start the browser at \/bin\/false: browserType\.launch: /,
    )
    await expect(pool({ endpoint: 'ws://127.0.0.1:9/none' }).acquire({ profile: null })).rejects.toThrow(
      /^Could not reach the remote browser at ws:\/\/127\.0\.0\.1:9\/none \(Settings → browser\.endpoint\): .*ECONNREFUSED/,
    )
  })
})

describe('browsers for runs', () => {
  let site: FixtureSite
  let h: EngineHarness

  beforeAll(async () => {
    site = await startFixtureSite()
    h = await engineHarness()
  })
  afterAll(async () => {
    await h?.close()
    await site?.close()
  })

  const remember = (profile: string | null) => `name: Remember me
${profile ? `profile: ${profile}\n` : ''}steps:
  - goto: ${site.url}/mfa/remember
  - fill: { selector: "#otp", value: "${site.code}" }
  - check: "#remember"
  - click: "button[type=submit]"
  - expect: { url: "**/done" }
`
  const straightThrough = (profile: string | null) => `name: Remembered
detectMfa: false
${profile ? `profile: ${profile}\n` : ''}steps:
  - goto: ${site.url}/mfa/remember
  - expect: { url: "**/done", timeout: 2s }
`

  it('keeps a login in a named profile between runs, and only there', async () => {
    expect((await h.finished(h.start(remember('fixture')).id)).status).toBe('succeeded')
    expect(existsSync(join(h.core.ws.paths.profiles, 'fixture'))).toBe(true)
    const again = await h.finished(h.start(straightThrough('fixture')).id)
    expect(again.error).toBeNull()
    const fresh = await h.finished(h.start(straightThrough(null)).id)
    expect(fresh.status).toBe('failed')
    expect(fresh.error).toMatch(/^Step 2 .* failed: The page URL did not match \*\*\/done within 2s/)
  })

  it('fails the runs of a crashed browser clearly, lets other browsers finish, and relaunches', async () => {
    const doomed = h.start(`name: Doomed\nsteps:\n  - goto: ${site.url}/form\n  - wait: 20s\n`)
    const other = h.start(
      `name: Own browser\nprofile: other\nsteps:\n  - goto: ${site.url}/form\n  - wait: 2s\n  - expect: Order form\n`,
    )
    while (!h.events(doomed.id).some((e) => e.type === 'step.started' && e.data.index === 2))
      await new Promise((r) => setTimeout(r, 25))
    const shared = (await h.engine.browsers.sharedBrowser())!
    await killBrowserProcess(shared)
    const failed = await h.finished(doomed.id, 10_000)
    expect(failed.status).toBe('failed')
    expect(failed.error).toBe(
      'The browser closed unexpectedly (it crashed or was killed); the next run starts a new one (stopped at step 2 (wait 20s, line 4))',
    )
    expect((await h.finished(other.id)).status).toBe('succeeded')
    const next = await h.finished(
      h.start(`name: After the crash\nsteps:\n  - goto: ${site.url}/form\n  - expect: Order form\n`).id,
    )
    expect(next.error).toBeNull()
    expect(await h.engine.browsers.sharedBrowser()).not.toBe(shared)
  })

  it('uses a remote browser server when browser.endpoint is set, profiles included', async () => {
    const server = await chromium.launchServer({
      executablePath: resolveExecutable(),
      args: launchArgs(),
      host: '127.0.0.1',
    })
    setSetting(h.core.ws.store, 'browser.endpoint', server.wsEndpoint())
    try {
      const flow = `name: Remote\nsteps:\n  - goto: ${site.url}/download\n  - download: { click: "button", saveAs: remote.txt }\n`
      const run = await h.finished(h.start(flow).id)
      expect(run.error).toBeNull()
      const file = h.artifacts(run.id).find((a) => a.kind === 'download')!
      expect(readFileSync(join(h.core.ws.paths.root, file.path), 'utf8')).toBe(
        'Acme report\nline,value\nalpha,1\nbeta,2\n',
      )

      // A remote browser has no user-data dir for us: the profile's cookies travel as a storage-state file.
      expect((await h.finished(h.start(remember('remote-acme')).id)).status).toBe('succeeded')
      expect(existsSync(join(h.core.ws.paths.profiles, 'remote-acme', 'storage-state.json'))).toBe(true)
      expect((await h.finished(h.start(straightThrough('remote-acme')).id)).error).toBeNull()

      const cut = h.start(`name: Remote drop\nsteps:\n  - goto: ${site.url}/form\n  - wait: 20s\n`)
      while (!h.events(cut.id).some((e) => e.type === 'step.started' && e.data.index === 2))
        await new Promise((r) => setTimeout(r, 25))
      await server.close()
      const dropped = await h.finished(cut.id, 10_000)
      expect(dropped.status).toBe('failed')
      expect(dropped.error).toMatch(
        /^The remote browser \(ws:\/\/127\.0\.0\.1:\d+\/\S+\) disconnected; the next run connects again \(stopped at step 2/,
      )
    } finally {
      setSetting(h.core.ws.store, 'browser.endpoint', undefined)
      await server.close().catch(() => {})
    }
  })
})

/** Playwright's Browser has no process handle; the browser tells its own pid over CDP. */
async function killBrowserProcess(browser: Browser): Promise<void> {
  const cdp = await browser.newBrowserCDPSession()
  const info = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: Array<{ type: string; id: number }> }
  const pid = info.processInfo.find((p) => p.type === 'browser')!.id
  process.kill(pid, 'SIGKILL')
}
