// Every test gets a fresh workspace and its own `opdesk serve` process: no state leaks
// between tests, and a failing test carries the host's output with it.
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test'
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startFixtureSite, type FixtureSite } from '../test/support/fixture-site'
import { AppShell } from './pages/app'
import { ExecutionPage } from './pages/execution'

/** The checkout whose host we start; OPDESK_HOST_DIR points at another (e.g. a clean export). */
const ROOT = process.env.OPDESK_HOST_DIR ?? fileURLToPath(new URL('..', import.meta.url))
const START_TIMEOUT_MS = 30_000

export interface Host {
  /** The printed URL with ?token=; opening it sets the auth cookie. */
  url: string
  origin: string
  token: string
  workspace: string
  /** A second client, authenticated by bearer token, for changes "from elsewhere". */
  api: APIRequestContext
}

interface Options {
  /** Seed the demo workspace (three tracks: one active, one waiting, one blocked). */
  demo: boolean
}

interface Fixtures {
  host: Host
  app: AppShell
  execution: ExecutionPage
}

interface WorkerFixtures {
  /**
   * The fixture web site (test/support/fixture-site.ts) flows drive. One per worker, started
   * when a test first asks for it: the site keeps no state between requests, so tests and
   * spec files can share it.
   */
  site: FixtureSite
}

function startHost(
  workspace: string,
  token: string,
  demo: boolean,
  log: string[],
): Promise<{ child: ChildProcess; url: string }> {
  const args = ['bin/opdesk.mjs', 'serve', '--workspace', workspace, '--port', '0', '--token', token]
  if (demo) args.push('--demo')
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, OPDESK_TOKEN: undefined, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(
      () => fail(new Error(`opdesk serve printed no URL within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    )
    const fail = (err: Error) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(new Error(`${err.message}\n--- host output ---\n${log.join('')}`))
    }
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      log.push(d)
      out += d
      const m = /Opdesk listening on (http:\/\/\S+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve({ child, url: m[1]! })
      }
    })
    child.stderr!.setEncoding('utf8').on('data', (d: string) => log.push(d))
    child.once('error', fail)
    child.once('exit', (code, signal) => fail(new Error(`opdesk serve exited early (code ${code}, signal ${signal})`)))
  })
}

async function stopHost(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
  await exited
  clearTimeout(timer)
}

export const test = base.extend<Fixtures & Options, WorkerFixtures>({
  demo: [true, { option: true }],

  site: [
    // Playwright reads a fixture's dependencies from its first parameter: it must be a pattern.
    async ({}, use) => {
      const site = await startFixtureSite()
      try {
        await use(site)
      } finally {
        await site.close()
      }
    },
    { scope: 'worker' },
  ],

  host: async ({ demo, playwright }, use, testInfo) => {
    const workspace = mkdtempSync(join(tmpdir(), 'opdesk-e2e-'))
    const token = randomBytes(18).toString('hex')
    const log: string[] = []
    const { child, url } = await startHost(workspace, token, demo, log)
    const origin = new URL(url).origin
    const api = await playwright.request.newContext({
      baseURL: origin,
      extraHTTPHeaders: { authorization: `Bearer ${token}` },
    })
    try {
      await use({ url, origin, token, workspace, api })
    } finally {
      await api.dispose()
      await stopHost(child)
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('host-output.txt', { body: log.join('') || '(no output)', contentType: 'text/plain' })
      }
      rmSync(workspace, { recursive: true, force: true })
    }
  },

  app: async ({ page, host }, use, testInfo) => {
    const consoleLog = watchConsole(page)
    await page.goto(host.url)
    const app = new AppShell(page)
    await app.ready()
    await use(app)
    if (testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach('browser-console.txt', {
        body: consoleLog.join('\n') || '(empty)',
        contentType: 'text/plain',
      })
    }
  },

  execution: async ({ app }, use) => {
    const execution = new ExecutionPage(app.page)
    await execution.waitForTracks()
    await use(execution)
  },
})

function watchConsole(page: Page): string[] {
  const lines: string[] = []
  page.on('console', (m) => lines.push(`[${m.type()}] ${m.text()}`))
  page.on('pageerror', (e) => lines.push(`[pageerror] ${e.stack ?? e.message}`))
  return lines
}

export { expect }
