// Fixture web site for end-to-end MFA/takeover tests: one page per prompt shape
// (autofocus, plain field, popup, cross-origin iframe, SPA, push, chooser, remember)
// plus ordinary pages for the other flow actions and a false-positive guard (/search).
// Every correct path ends at /done ("Signed in" / "Welcome back"); the right code is
// always FIXTURE_CODE so tests never race a TOTP step.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { listen, parseCookies, readForm, redirect, send, sendJson } from '../../electron/core/demo/http-util'
import { FIXTURE_CODE, INCORRECT, page, pages } from './fixture-pages'

export { FIXTURE_CODE } from './fixture-pages'

export interface FixtureSiteOptions {
  /**
   * Host name used in altUrl. '127.0.0.1' (default) makes the iframe cross-origin but
   * same-site; 'localhost' makes it cross-site, which Chromium puts in a separate
   * renderer process (an out-of-process iframe). Both servers listen on 127.0.0.1.
   */
  altHost?: '127.0.0.1' | 'localhost'
}

export interface FixtureSite {
  /** Main origin, no trailing slash, e.g. http://127.0.0.1:41234 */
  url: string
  /** Second origin (another port) serving /frame/mfa for the iframe page. */
  altUrl: string
  port: number
  altPort: number
  /** The code every fixture page accepts ("123456"). */
  code: string
  currentCode(): string
  /** "METHOD /path" of every request both servers saw, oldest first. */
  requests(): string[]
  close(): Promise<void>
}

export const FIXTURE_PATHS = [
  '/mfa/autofocus',
  '/mfa/plain',
  '/mfa/popup',
  '/mfa/iframe',
  '/mfa/wrong-first',
  '/mfa/chooser',
  '/mfa/spa',
  '/mfa/push',
  '/mfa/remember',
  '/login-wall',
  '/search',
  '/slow',
  '/form',
  '/download',
  '/dialogs',
  '/select',
  '/done',
] as const

const DEVICE_COOKIE = 'fx_device'
const MAX_SLOW_MS = 30_000

const isRight = (value: string | null): boolean => (value ?? '').replace(/\s+/g, '') === FIXTURE_CODE

function intParam(url: URL, name: string, fallback: number, max: number): number {
  const n = Number(url.searchParams.get(name))
  return url.searchParams.has(name) && Number.isFinite(n) && n >= 0 ? Math.min(Math.floor(n), max) : fallback
}

export async function startFixtureSite(opts: FixtureSiteOptions = {}): Promise<FixtureSite> {
  const log: string[] = []
  const timers = new Set<NodeJS.Timeout>()
  // The alt server must know the main origin (postMessage target) and vice versa, so
  // both origins are fixed once both ports are known; handlers read them lazily.
  let mainOrigin = ''
  let altOrigin = ''

  const html = (res: ServerResponse, body: string, status = 200): void => send(res, status, body)

  const main = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET')
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname
    log.push(`${method} ${path}`)
    const post = method === 'POST' ? await readForm(req) : new URLSearchParams()

    switch (`${method} ${path}`) {
      case 'GET /':
        return html(res, pages.index(FIXTURE_PATHS))
      case 'GET /favicon.ico':
        return send(res, 204, '')
      case 'GET /done':
      case 'GET /done-spa':
        return html(res, pages.done())

      case 'GET /mfa/autofocus':
        return html(res, pages.autofocus())
      case 'POST /mfa/autofocus':
        return isRight(post.get('otp')) ? redirect(res, '/done') : html(res, pages.autofocus(INCORRECT), 401)

      case 'GET /mfa/plain':
        return html(res, pages.plain())
      case 'POST /mfa/plain':
        return isRight(post.get('verification_code')) ? redirect(res, '/done') : html(res, pages.plain(INCORRECT), 401)

      // Default: a wrong code shows the error, the right one passes. With ?rejectFirst=1
      // the first submission fails whatever it holds (a code that expired while typed).
      case 'GET /mfa/wrong-first':
        return html(res, pages.wrongFirst(undefined, 1, url.searchParams.get('rejectFirst') === '1'))
      case 'POST /mfa/wrong-first': {
        const rejectFirst = post.get('rejectFirst') === '1'
        const attempt = Number(post.get('attempt') ?? '1')
        if ((rejectFirst && attempt <= 1) || !isRight(post.get('otp'))) {
          return html(res, pages.wrongFirst(INCORRECT, attempt + 1, rejectFirst), 401)
        }
        return redirect(res, '/done')
      }

      case 'GET /mfa/chooser':
      case 'POST /mfa/chooser': {
        const m = url.searchParams.get('method')
        if (m !== 'app' && m !== 'sms') return html(res, pages.chooserStart())
        if (method === 'GET') return html(res, pages.chooserCode(m))
        return isRight(post.get('otp')) ? redirect(res, '/done') : html(res, pages.chooserCode(m, INCORRECT), 401)
      }

      case 'GET /mfa/spa':
        return html(res, pages.spa(intParam(url, 'delay', 1500, MAX_SLOW_MS)))
      case 'POST /api/verify':
        return sendJson(res, 200, { ok: isRight(post.get('code')) })

      case 'GET /mfa/push':
        return html(res, pages.push())
      case 'POST /mfa/push':
        return redirect(res, '/done')

      case 'GET /mfa/popup':
        return html(res, pages.popupOpener())
      case 'GET /mfa/popup/auth':
        return html(res, pages.popupAuth())
      case 'POST /mfa/popup/auth':
        return isRight(post.get('otp')) ? html(res, pages.popupDone()) : html(res, pages.popupAuth(INCORRECT), 401)

      case 'GET /mfa/iframe':
        return html(res, pages.iframeHost(altOrigin))

      case 'GET /mfa/remember':
        if (parseCookies(req).get(DEVICE_COOKIE) === 'trusted') return redirect(res, '/done')
        return html(res, pages.remember())
      case 'POST /mfa/remember':
        if (!isRight(post.get('otp'))) return html(res, pages.remember(INCORRECT), 401)
        return redirect(
          res,
          '/done',
          post.get('remember') ? { 'Set-Cookie': `${DEVICE_COOKIE}=trusted; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax` } : {},
        )

      case 'GET /login-wall':
        return html(res, pages.loginWall())
      case 'POST /login-wall':
        return post.get('email') && post.get('password')
          ? redirect(res, '/done')
          : html(res, pages.loginWall('Enter your email and password.'), 401)

      case 'GET /search':
        return html(res, pages.search(url.searchParams.get('code')))

      // A link to any address (policy tests: a click that leaves allowedOrigins).
      case 'GET /link-out': {
        const to = url.searchParams.get('to') ?? '/done'
        const safe = /^https?:\/\//.test(to) ? to : '/done'
        return html(res, page('Leaving', `<h1>Partner site</h1><p><a id="out" href="${safe.replace(/"/g, '&quot;')}">Continue to partner</a></p>`))
      }

      case 'GET /slow': {
        const ms = intParam(url, 'ms', 2000, MAX_SLOW_MS)
        const t = setTimeout(() => {
          timers.delete(t)
          if (!res.destroyed) html(res, pages.slow(ms))
        }, ms)
        timers.add(t)
        return
      }

      case 'GET /form':
        return html(res, pages.form())
      case 'POST /form/result': {
        // Echoes only the form's own ordinary fields, never arbitrary posted values.
        const plan = ['basic', 'pro', 'enterprise'].includes(post.get('plan') ?? '') ? post.get('plan') : 'basic'
        const summary = `Received: name=${post.get('name') ?? ''}, company=${post.get('company') ?? ''}, plan=${plan}, updates=${post.get('updates') ? 'yes' : 'no'}`
        return html(res, pages.form(summary))
      }

      case 'GET /download':
        return html(res, pages.download())
      case 'GET /download/file':
        return send(res, 200, 'Acme report\nline,value\nalpha,1\nbeta,2\n', {
          'Content-Type': 'text/plain; charset=utf-8',
          'Content-Disposition': 'attachment; filename="report.txt"',
        })

      case 'GET /dialogs':
        return html(res, pages.dialogs())
      case 'GET /select':
        return html(res, pages.select())

      default:
        return html(res, '<!doctype html><title>Not found</title><h1>Not found</h1>', 404)
    }
  }

  const alt = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET')
    log.push(`${method} alt:${url.pathname}`)
    if (url.pathname === '/frame/mfa' && method === 'GET') return html(res, pages.frameForm())
    if (url.pathname === '/frame/mfa' && method === 'POST') {
      const post = await readForm(req)
      return isRight(post.get('otp')) ? html(res, pages.frameDone(mainOrigin)) : html(res, pages.frameForm(INCORRECT), 401)
    }
    return html(res, '<!doctype html><title>Not found</title><h1>Not found</h1>', 404)
  }

  const mainServer = await listen(main)
  const altServer = await listen(alt).catch(async (err: unknown) => {
    await mainServer.close()
    throw err
  })
  mainOrigin = `http://127.0.0.1:${mainServer.port}`
  altOrigin = `http://${opts.altHost ?? '127.0.0.1'}:${altServer.port}`

  return {
    url: mainOrigin,
    altUrl: altOrigin,
    port: mainServer.port,
    altPort: altServer.port,
    code: FIXTURE_CODE,
    currentCode: () => FIXTURE_CODE,
    requests: () => [...log],
    close: async () => {
      for (const t of timers) clearTimeout(t)
      timers.clear()
      await Promise.all([mainServer.close(), altServer.close()])
    },
  }
}
