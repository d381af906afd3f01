// "Acme Portal": the bundled demo site that the product demo flow and the tests drive.
// Login -> TOTP MFA -> dashboard with a CSV export, all on loopback and offline, so the
// takeover path (a run waits at MFA, a person types the code) can be shown anywhere.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { extname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Secret, TOTP } from 'otpauth'
import { escapeHtml, listen, parseCookies, readForm, redirect, send, sendJson } from './http-util'

export const DEMO_CREDENTIALS = { email: 'demo@acme.test', password: 'opdesk-demo', name: 'Demo User' } as const
/** Fixed so a person can add it to a real authenticator app once and keep using it. */
export const DEMO_TOTP_SECRET = 'OPDESKDEMOACMEPORTALTOTPSECRET23'

export interface DemoSiteOptions {
  port?: number
  host?: '127.0.0.1'
  /** Folder holding login.html, mfa.html, dashboard.html and assets; see resolveAssetsDir. */
  assetsDir?: string
  /** Base32 TOTP secret; defaults to DEMO_TOTP_SECRET. */
  secret?: string
}

export interface DemoSite {
  url: string
  port: number
  close(): Promise<void>
  currentCode(): string
  /** Ends every signed-in session now (as a server-side expiry would); returns how many. */
  expireSessions(): number
}

const SESSION_COOKIE = 'acme_session'
const DEVICE_COOKIE = 'acme_device'
const DEVICE_TTL_S = 30 * 24 * 3600
const SESSION_TTL_MS = 12 * 3600 * 1000
const PAGES = ['login.html', 'mfa.html', 'dashboard.html'] as const
const ASSET_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
}
// Scripts live in files so the pages can run under a CSP without 'unsafe-inline'.
const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
}

interface Session {
  email: string
  /** 'mfa' = password accepted, code still owed; 'full' = signed in. */
  stage: 'mfa' | 'full'
  expires: number
  /** "Keep me signed in": the cookie outlives the browser (a persistent profile stays logged in). */
  keep: boolean
}

/**
 * The source tree keeps the assets at <repo>/resources/demo-site; a bundled main
 * process (out/main/*.js) or a packaged app sees other layouts, hence candidates and
 * the explicit assetsDir option. import.meta.url is not a file: URL inside some
 * bundles (e.g. data: or app: schemes), so it is only one candidate among several.
 */
export function resolveAssetsDir(explicit?: string): string {
  const candidates: string[] = []
  if (explicit) candidates.push(resolve(explicit))
  else {
    try {
      const here = new URL('../../../resources/demo-site/', import.meta.url)
      if (here.protocol === 'file:') candidates.push(fileURLToPath(here))
      const bundled = new URL('../../resources/demo-site/', import.meta.url)
      if (bundled.protocol === 'file:') candidates.push(fileURLToPath(bundled))
    } catch {
      // import.meta.url unusable in this runtime: fall through to the cwd candidate.
    }
    const resourcesPath = (process as { resourcesPath?: string }).resourcesPath
    if (resourcesPath) candidates.push(join(resourcesPath, 'demo-site'))
    candidates.push(resolve(process.cwd(), 'resources/demo-site'))
  }
  const found = candidates.find((dir) => PAGES.every((p) => existsSync(join(dir, p))))
  if (!found) throw new Error(`demo site assets not found; looked in: ${candidates.join(', ')}`)
  return found
}

function currentMonth(): string {
  return new Date().toISOString().slice(0, 7)
}

function invoicesCsv(month: string): string {
  // Deterministic rows per month so downloads can be compared across runs.
  const seed = [...month].reduce((acc, ch) => (acc * 31 + ch.charCodeAt(0)) % 9973, 7)
  const rows = ['invoice,date,customer,amount_usd,status']
  const customers = ['Globex', 'Initech', 'Umbrella', 'Soylent', 'Hooli']
  for (let i = 0; i < 5; i++) {
    const amount = (((seed * (i + 3)) % 9000) + 500) / 100
    const customer = customers[(seed + i) % customers.length] ?? 'Globex'
    rows.push(`INV-${month.replace('-', '')}-${String(i + 1).padStart(3, '0')},${month}-${String(i * 6 + 1).padStart(2, '0')},${customer},${amount.toFixed(2)},${i % 3 === 0 ? 'open' : 'paid'}`)
  }
  return rows.join('\n') + '\n'
}

export async function startDemoSite(opts: DemoSiteOptions = {}): Promise<DemoSite> {
  const dir = resolveAssetsDir(opts.assetsDir)
  // Templates are read once: a missing or unreadable file fails start-up, not a request.
  const templates = new Map(PAGES.map((p) => [p, readFileSync(join(dir, p), 'utf8')]))
  const secretB32 = opts.secret ?? DEMO_TOTP_SECRET
  const totp = new TOTP({
    issuer: 'Acme Portal',
    label: DEMO_CREDENTIALS.email,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secretB32),
  })
  // The remember-device cookie is signed rather than stored, so it survives a restart of
  // the demo site: a persistent browser profile then skips MFA on the next run too.
  const deviceKey = `opdesk-demo-device:${secretB32}`
  const sessions = new Map<string, Session>()

  const render = (page: (typeof PAGES)[number], slots: Record<string, string>): string =>
    (templates.get(page) ?? '').replace(/<!--slot:(\w+)-->/g, (_m, key: string) => slots[key] ?? '')

  const sessionOf = (req: IncomingMessage): { id: string; session: Session } | undefined => {
    const id = parseCookies(req).get(SESSION_COOKIE)
    const session = id ? sessions.get(id) : undefined
    if (!id || !session) return undefined
    if (session.expires < Date.now()) {
      sessions.delete(id)
      return undefined
    }
    return { id, session }
  }

  const newSession = (email: string, stage: Session['stage'], keep = false): string => {
    const now = Date.now()
    for (const [key, s] of sessions) if (s.expires < now) sessions.delete(key)
    const id = randomBytes(24).toString('base64url')
    sessions.set(id, { email, stage, expires: now + SESSION_TTL_MS, keep })
    // No Max-Age unless kept: a browser-session cookie, so a fresh browser must sign in again.
    const maxAge = keep ? `; Max-Age=${SESSION_TTL_MS / 1000}` : ''
    return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax${maxAge}`
  }

  const signDevice = (email: string, expires: number): string =>
    createHmac('sha256', deviceKey).update(`${email}|${expires}`).digest('base64url')

  const deviceCookie = (email: string): string => {
    const expires = Math.floor(Date.now() / 1000) + DEVICE_TTL_S
    const value = `${Buffer.from(email).toString('base64url')}.${expires}.${signDevice(email, expires)}`
    return `${DEVICE_COOKIE}=${value}; Path=/; Max-Age=${DEVICE_TTL_S}; HttpOnly; SameSite=Lax`
  }

  const isTrustedDevice = (req: IncomingMessage, email: string): boolean => {
    const [user, exp, sig] = (parseCookies(req).get(DEVICE_COOKIE) ?? '').split('.')
    if (!user || !exp || !sig) return false
    const expires = Number(exp)
    if (!Number.isFinite(expires) || expires * 1000 < Date.now()) return false
    if (Buffer.from(user, 'base64url').toString() !== email) return false
    const want = Buffer.from(signDevice(email, expires))
    const got = Buffer.from(sig)
    return want.length === got.length && timingSafeEqual(want, got)
  }

  const html = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void =>
    send(res, status, body, { ...PAGE_HEADERS, ...headers })

  const loginPage = (res: ServerResponse, status: number, slots: Record<string, string>): void =>
    html(res, status, render('login.html', slots))

  const mfaPage = (res: ServerResponse, status: number, error?: string): void =>
    html(
      res,
      status,
      render('mfa.html', {
        error: error ? `<p class="error" role="alert" id="mfa-error">${escapeHtml(error)}</p>` : '',
        secret: escapeHtml(secretB32),
        uri: escapeHtml(totp.toString()),
      }),
    )

  const expireSessions = (): number => {
    const n = sessions.size
    sessions.clear()
    return n
  }

  const handler = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET')
    const path = url.pathname.replace(/\/+$/, '') || '/'
    const current = sessionOf(req)

    if (path.startsWith('/assets/') && method === 'GET') {
      const name = path.slice('/assets/'.length)
      const type = ASSET_TYPES[extname(name)]
      // Only flat, known file names: no way to walk out of the assets folder.
      if (!/^[\w-]+\.[a-z]+$/.test(name) || !type || !existsSync(join(dir, name))) {
        send(res, 404, 'Not found', { 'Content-Type': 'text/plain; charset=utf-8' })
        return
      }
      send(res, 200, readFileSync(join(dir, name)), { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff' })
      return
    }

    switch (`${method} ${path}`) {
      case 'GET /':
        redirect(res, current?.session.stage === 'full' ? '/dashboard' : '/login')
        return
      case 'GET /favicon.ico':
        send(res, 204, '')
        return
      case 'GET /login':
        if (current?.session.stage === 'full') return redirect(res, '/dashboard')
        loginPage(res, 200, {
          notice: url.searchParams.has('signedout') ? '<p class="notice" role="status">You have signed out.</p>' : '',
        })
        return
      case 'POST /login': {
        const form = await readForm(req)
        const email = (form.get('email') ?? '').trim().toLowerCase()
        const password = form.get('password') ?? ''
        if (email !== DEMO_CREDENTIALS.email || password !== DEMO_CREDENTIALS.password) {
          loginPage(res, 401, {
            error: '<p class="error" role="alert" id="login-error">Incorrect email or password.</p>',
          })
          return
        }
        if (current) sessions.delete(current.id)
        const stage = isTrustedDevice(req, email) ? 'full' : 'mfa'
        const keep = form.get('keep') === '1'
        redirect(res, stage === 'full' ? '/dashboard' : '/mfa', { 'Set-Cookie': newSession(email, stage, keep) })
        return
      }
      case 'GET /mfa':
        if (!current) return redirect(res, '/login')
        if (current.session.stage === 'full') return redirect(res, '/dashboard')
        mfaPage(res, 200)
        return
      case 'POST /mfa': {
        if (!current) return redirect(res, '/login')
        if (current.session.stage === 'full') return redirect(res, '/dashboard')
        const form = await readForm(req)
        const token = (form.get('otp') ?? '').replace(/\s+/g, '')
        // window 1 = the previous, current and next 30 s step (RFC 6238 §5.2 clock drift).
        // No replay guard on purpose: demo users and tests may sign in twice within 30 s.
        if (!/^\d{6}$/.test(token) || totp.validate({ token, window: 1 }) === null) {
          mfaPage(res, 401, 'That code didn’t work. Check your authenticator app and try again.')
          return
        }
        // A new session id at the privilege change, so a pre-MFA id is worth nothing.
        sessions.delete(current.id)
        const cookies = [newSession(current.session.email, 'full', current.session.keep)]
        if (form.get('remember')) cookies.push(deviceCookie(current.session.email))
        redirect(res, '/dashboard', { 'Set-Cookie': cookies })
        return
      }
      case 'GET /dashboard': {
        if (current?.session.stage !== 'full') return redirect(res, current ? '/mfa' : '/login')
        const month = url.searchParams.get('month') ?? ''
        html(
          res,
          200,
          render('dashboard.html', {
            name: escapeHtml(DEMO_CREDENTIALS.name),
            email: escapeHtml(current.session.email),
            month: /^\d{4}-(0[1-9]|1[0-2])$/.test(month) ? month : currentMonth(),
          }),
        )
        return
      }
      case 'GET /export.csv': {
        if (current?.session.stage !== 'full') {
          send(res, 401, 'Sign in first.\n', { 'Content-Type': 'text/plain; charset=utf-8' })
          return
        }
        const asked = url.searchParams.get('month') ?? ''
        const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(asked) ? asked : currentMonth()
        send(res, 200, invoicesCsv(month), {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="invoices-${month}.csv"`,
        })
        return
      }
      case 'GET /logout':
      case 'POST /logout':
        if (current) sessions.delete(current.id)
        // The device cookie is kept: signing out is not forgetting the device.
        redirect(res, '/login?signedout=1', { 'Set-Cookie': `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax` })
        return
      case 'POST /api/demo-expire-sessions':
        // For demos and tests of login health: the site ends every session, as a real one does.
        sendJson(res, 200, { expired: expireSessions() })
        return
      case 'GET /api/demo-code':
        sendJson(res, 200, {
          code: totp.generate(),
          period: totp.period,
          remainingSeconds: Math.ceil(TOTP.remaining({ period: totp.period }) / 1000),
        })
        return
      default:
        send(res, 404, '<!doctype html><title>Not found</title><h1>Page not found</h1><p><a href="/login">Go to sign in</a></p>', PAGE_HEADERS)
    }
  }

  const server = await listen(handler, opts.port ?? 0, opts.host ?? '127.0.0.1')
  return {
    url: `http://127.0.0.1:${server.port}`,
    port: server.port,
    close: server.close,
    currentCode: () => totp.generate(),
    expireSessions,
  }
}

