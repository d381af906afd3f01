// Local Playwright browser servers for pool tests and the pool bench: launched like the
// engine launches Chromium (same executable search, same flags), on loopback.
import { chromium, type BrowserServer } from 'playwright-core'
import type { PoolEndpoint } from '../../shared/api'
import { launchArgs, resolveExecutable } from '../../electron/core/engine/executable'

export function launchBrowserServer(): Promise<BrowserServer> {
  return chromium.launchServer({ executablePath: resolveExecutable(), args: launchArgs(), host: '127.0.0.1' })
}

export async function launchBrowserServers(n: number): Promise<BrowserServer[]> {
  return Promise.all(Array.from({ length: n }, () => launchBrowserServer()))
}

/** Settings → browser.pool entries named a, b, c… for these servers. */
export function poolOf(servers: BrowserServer[], capacity: number): PoolEndpoint[] {
  return servers.map((s, i) => ({ name: String.fromCharCode(97 + i), endpoint: s.wsEndpoint(), capacity }))
}

/** A server at the same address as one that was stopped (a restarted browser server). */
export function relaunchAt(endpoint: URL): Promise<BrowserServer> {
  return chromium.launchServer({
    executablePath: resolveExecutable(),
    args: launchArgs(),
    host: endpoint.hostname,
    port: Number(endpoint.port),
    wsPath: endpoint.pathname,
  })
}
