// Which URLs the app may show, navigate to, or hand to the OS browser. Pure functions so
// the rules are unit-tested without Electron.
import { APP_HOST, APP_ORIGIN, APP_SCHEME } from './channels'

/**
 * scheme://host of a URL, or null. Node's URL gives origin "null" for schemes it does not
 * know (opdesk:), so the origin is rebuilt from protocol and host instead.
 */
export function originOf(url: string): string | null {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return null
  }
  if (!u.host) return null
  return `${u.protocol}//${u.host}`
}

export function isAppUrl(url: string, appOrigins: readonly string[]): boolean {
  const o = originOf(url)
  return o !== null && appOrigins.includes(o)
}

/**
 * Links the renderer may open in the OS browser: http(s) only (no file:, javascript:,
 * custom handlers that launch other programs), no embedded credentials, a sane length.
 */
export function isSafeExternalUrl(url: string): boolean {
  if (url.length > 2048) return false
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false
  if (u.username || u.password) return false
  return u.hostname.length > 0
}

/**
 * The electron-vite dev server URL, only in an unpackaged app and only on loopback: a stray
 * ELECTRON_RENDERER_URL in a user's environment must not point a packaged app elsewhere.
 */
export function devRendererUrl(env: Record<string, string | undefined>, isPackaged: boolean): string | undefined {
  const raw = env.ELECTRON_RENDERER_URL
  if (isPackaged || !raw) return undefined
  try {
    const u = new URL(raw)
    const loopback = u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]'
    return (u.protocol === 'http:' || u.protocol === 'https:') && loopback ? u.href : undefined
  } catch {
    return undefined
  }
}

/** The origins our windows are allowed to show (and to call IPC from). */
export function appOrigins(devUrl: string | undefined): string[] {
  const dev = devUrl ? originOf(devUrl) : null
  return dev ? [APP_ORIGIN, dev] : [APP_ORIGIN]
}

export type AppRoute =
  { kind: 'artifact'; id: string } | { kind: 'static'; path: string } | { kind: 'refused'; reason: string }

/** Ids the core hands out (prefix_ + base32); anything else is not looked up. */
const ARTIFACT_ID = /^[A-Za-z0-9_-]{1,100}$/

/**
 * What an opdesk://app/… request asks for. Artifacts are looked up by id through the core
 * router, never by path; everything else is a file of the renderer build (the caller still
 * confines it to the build folder).
 */
export function routeAppUrl(url: string): AppRoute {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return { kind: 'refused', reason: 'bad url' }
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return { kind: 'refused', reason: 'foreign origin' }
  const path = u.pathname
  if (path.startsWith('/artifacts/')) {
    let id: string
    try {
      id = decodeURIComponent(path.slice('/artifacts/'.length))
    } catch {
      return { kind: 'refused', reason: 'bad artifact id' }
    }
    return ARTIFACT_ID.test(id) ? { kind: 'artifact', id } : { kind: 'refused', reason: 'bad artifact id' }
  }
  // The API is reached through IPC only; the protocol never answers it.
  if (path === '/api' || path.startsWith('/api/')) return { kind: 'refused', reason: 'api over ipc only' }
  return { kind: 'static', path }
}

/**
 * The run id when a URL is our own takeover route (`/#/takeover/<runId>`, the core's
 * takeoverUrl): a link to it opens the takeover window instead of a browser window.
 */
export function takeoverRunIdOf(url: string, appOrigins: readonly string[]): string | null {
  if (!isAppUrl(url, appOrigins)) return null
  let hash: string
  try {
    hash = new URL(url).hash
  } catch {
    return null
  }
  const m = /^#\/takeover\/([^/?#]+)$/.exec(hash)
  if (!m?.[1]) return null
  try {
    const id = decodeURIComponent(m[1])
    return ARTIFACT_ID.test(id) ? id : null
  } catch {
    return null
  }
}
