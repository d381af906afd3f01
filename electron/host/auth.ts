import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Actor } from '../../shared/api'

export const TOKEN_COOKIE = 'opdesk_token'

/** A token given with --token or OPDESK_TOKEN must be at least this long (DESIGN.md HTTP API). */
export const MIN_TOKEN_LENGTH = 16

/** 128 bits of randomness: guessing it is hopeless whatever the rate limit lets through. */
export function newToken(): string {
  return randomBytes(16).toString('base64url')
}

/** Why a chosen token is refused, or null when it is long enough. */
export function tokenProblem(token: string): string | null {
  if (token.length < MIN_TOKEN_LENGTH) {
    return `the token must be at least ${MIN_TOKEN_LENGTH} characters (it has ${token.length}); leave it out and Opdesk makes a random 128-bit one`
  }
  return null
}

/** Constant-time comparison that does not leak the token's length either. */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  if (!given) return false
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}

export function cookieValue(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie
  if (!header) return undefined
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k !== name) continue
    // A hand-made cookie with bad percent-encoding is just a wrong token, not a server error.
    try {
      return decodeURIComponent(v.join('='))
    } catch {
      return v.join('=')
    }
  }
  return undefined
}

export type AuthResult = { ok: true; via: 'bearer' | 'cookie'; actor: Actor } | { ok: false }

/**
 * Who holds a token: the serve token is the local operator's (an admin); any other is
 * looked up among the named tokens (`opdesk token add`). Null: nobody.
 */
export interface TokenBook {
  serveToken: string
  localActor(): Actor
  named(token: string): Actor | null
}

export function identify(given: string | undefined, book: TokenBook): Actor | null {
  if (!given) return null
  if (tokenMatches(given, book.serveToken)) return book.localActor()
  return book.named(given)
}

export function authenticate(req: IncomingMessage, book: TokenBook): AuthResult {
  const auth = req.headers.authorization
  if (auth?.startsWith('Bearer ')) {
    const actor = identify(auth.slice(7).trim(), book)
    if (actor) return { ok: true, via: 'bearer', actor }
  }
  const actor = identify(cookieValue(req, TOKEN_COOKIE), book)
  if (actor) return { ok: true, via: 'cookie', actor }
  return { ok: false }
}

/**
 * A cookie rides along on cross-site requests; a bearer header cannot. So a state-changing
 * request authenticated by cookie must come from our own origin (CSRF).
 */
export function sameOrigin(req: IncomingMessage, selfOrigin: string): boolean {
  const origin = req.headers.origin
  if (origin) return origin === selfOrigin
  const site = req.headers['sec-fetch-site']
  if (site) return site === 'same-origin' || site === 'none'
  // Non-browser clients (curl with a cookie) send neither; a browser always sends one of them.
  return true
}

/**
 * Counts bad tokens (header, cookie or `/?token=`) per client address so guessing is
 * visible and slow. It only ever answers for requests whose token was already found
 * wrong: a request with the valid token is served even while its address is over the
 * limit, because on loopback every local page shares 127.0.0.1 with the operator and a
 * hostile page must not be able to lock the operator out.
 */
export class BadTokenLimiter {
  private hits = new Map<string, { n: number; since: number }>()
  constructor(
    private readonly max = 20,
    private readonly windowMs = 60_000,
    /** Cap on remembered addresses so a flood of sources cannot grow the map without bound. */
    private readonly maxClients = 10_000,
  ) {}
  blocked(addr: string): boolean {
    const h = this.hits.get(addr)
    if (!h) return false
    if (Date.now() - h.since > this.windowMs) {
      this.hits.delete(addr)
      return false
    }
    return h.n >= this.max
  }
  /** Records a bad token; true when the address is now over the limit. */
  fail(addr: string): boolean {
    const h = this.hits.get(addr)
    if (!h || Date.now() - h.since > this.windowMs) {
      if (!h && this.hits.size >= this.maxClients) this.hits.delete(this.hits.keys().next().value!)
      this.hits.set(addr, { n: 1, since: Date.now() })
      return 1 > this.max
    }
    h.n++
    return h.n > this.max
  }
}

/** Hosts a request may name: the address we listen on, by number or as localhost (DNS rebinding). */
export function allowedHosts(listenHost: string, port: number): Set<string> {
  const names = new Set<string>()
  const add = (h: string) => names.add(`${h}:${port}`.toLowerCase())
  if (listenHost === '127.0.0.1' || listenHost === 'localhost') add('127.0.0.1')
  if (listenHost === '::1' || listenHost === 'localhost') add('[::1]')
  if (listenHost === '127.0.0.1' || listenHost === '::1' || listenHost === 'localhost') add('localhost')
  // OPDESK_ALLOW_REMOTE: the operator named the address; only that name is ours.
  if (!names.size) add(listenHost.includes(':') ? `[${listenHost}]` : listenHost)
  return names
}

/** True when the request's Host header names this server (a missing Host is refused too). */
export function hostMatches(req: IncomingMessage, allowed: Set<string>): boolean {
  const host = req.headers.host
  return typeof host === 'string' && allowed.has(host.trim().toLowerCase())
}
