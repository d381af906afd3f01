// Which Chromium to launch, and how: the operator's setting, CHROMIUM_PATH, or the usual
// install locations; a clear error naming what was tried when none is there.
import { existsSync } from 'node:fs'

// Background services only add noise and network traffic to an operator's automation.
const BASE_ARGS = ['--disable-background-networking', '--disable-component-update', '--disable-sync']

export function launchArgs(): string[] {
  // Chromium refuses to start its sandbox as root (containers, CI); everywhere else keep it.
  const root = process.platform === 'linux' && process.getuid?.() === 0
  return [...BASE_ARGS, ...(root ? ['--no-sandbox'] : [])]
}

/** Where Chrome-family browsers usually live, most specific first. */
export function knownBrowserPaths(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  if (platform === 'darwin') {
    return [
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    ]
  }
  if (platform === 'win32') {
    const roots = [
      env.PROGRAMFILES ?? 'C:\\Program Files',
      env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)',
      env.LOCALAPPDATA,
    ]
    const out: string[] = []
    for (const root of roots.filter((r): r is string => !!r)) {
      out.push(`${root}\\Google\\Chrome\\Application\\chrome.exe`, `${root}\\Microsoft\\Edge\\Application\\msedge.exe`)
    }
    return out
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/microsoft-edge',
    '/snap/bin/chromium',
  ]
}

export class BrowserNotFoundError extends Error {
  override name = 'BrowserNotFoundError'
}

/**
 * The Chromium to launch: the workspace setting, then CHROMIUM_PATH, then the usual places.
 * A path the operator named that does not exist is an error rather than a silent fallback,
 * so a typo in Settings is not hidden by some other browser being found.
 */
export function resolveExecutable(
  opts: {
    setting?: string | null
    env?: NodeJS.ProcessEnv
    platform?: NodeJS.Platform
    exists?: (p: string) => boolean
  } = {},
): string {
  const env = opts.env ?? process.env
  const exists = opts.exists ?? existsSync
  const fix = 'Set the path under Settings → Browser path, or start Opdesk with CHROMIUM_PATH=/path/to/chrome'
  if (opts.setting) {
    if (exists(opts.setting)) return opts.setting
    throw new BrowserNotFoundError(
      `No browser at ${opts.setting} (Settings → Browser path). Install Chrome or Chromium there, or fix the path`,
    )
  }
  if (env.CHROMIUM_PATH) {
    if (exists(env.CHROMIUM_PATH)) return env.CHROMIUM_PATH
    throw new BrowserNotFoundError(`No browser at ${env.CHROMIUM_PATH} (CHROMIUM_PATH). ${fix}`)
  }
  const tried = knownBrowserPaths(opts.platform, env)
  const found = tried.find((p) => exists(p))
  if (found) return found
  throw new BrowserNotFoundError(`No Chrome, Chromium or Edge found; tried ${tried.join(', ')}. ${fix}`)
}
