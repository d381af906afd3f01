import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export const TOKEN_COOKIE = 'opdesk_token'

export function newToken(): string {
  return randomBytes(24).toString('base64url')
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
    if (k === name) return decodeURIComponent(v.join('='))
  }
  return undefined
}

export type AuthResult = { ok: true; via: 'bearer' | 'cookie' } | { ok: false }

export function authenticate(req: IncomingMessage, token: string): AuthResult {
  const auth = req.headers.authorization
  if (auth?.startsWith('Bearer ') && tokenMatches(auth.slice(7).trim(), token)) return { ok: true, via: 'bearer' }
  if (tokenMatches(cookieValue(req, TOKEN_COOKIE), token)) return { ok: true, via: 'cookie' }
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

/** Counts bad tokens per client address so guessing is slow. */
export class BadTokenLimiter {
  private hits = new Map<string, { n: number; since: number }>()
  constructor(
    private readonly max = 20,
    private readonly windowMs = 60_000,
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
  fail(addr: string): void {
    const h = this.hits.get(addr)
    if (!h || Date.now() - h.since > this.windowMs) this.hits.set(addr, { n: 1, since: Date.now() })
    else h.n++
  }
}
