// Host-mode API tokens with names and roles. Only sha256(token) is stored: the database
// file never holds a token that would open the API. A token has 192 random bits, so a
// plain (unsalted) hash is enough: there is nothing to brute-force from it.
import { createHash, randomBytes } from 'node:crypto'
import { ROLES, type Actor, type Role } from '../../../shared/api'
import { badRequest, conflict } from '../errors'
import { nowIso } from '../ids'
import { cached, type Store } from './db'

export interface TokenInfo {
  name: string
  role: Role
  createdAt: string
  lastUsedAt: string | null
}

export const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/** Creates a named token and returns it; it is shown once and stored only as its hash. */
export function addToken(store: Store, name: string, role: Role): { token: string; info: TokenInfo } {
  if (!TOKEN_NAME.test(name)) throw badRequest(`"${name}" is not a token name: letters, digits, . _ @ - (up to 64)`, 'name')
  if (!ROLES.includes(role)) throw badRequest(`"${role}" is not a role; use one of ${ROLES.join(', ')}`, 'role')
  const token = `opd_${randomBytes(24).toString('base64url')}`
  const res = cached(store.sqlite, 'INSERT INTO tokens (name, role, hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO NOTHING')
    .run(name, role, hashToken(token), nowIso())
  if (res.changes !== 1) throw conflict(`A token named "${name}" exists; revoke it first to issue a new one`)
  return { token, info: listTokens(store).find((t) => t.name === name)! }
}

export function listTokens(store: Store): TokenInfo[] {
  const rows = cached(store.sqlite, 'SELECT name, role, created_at, last_used_at FROM tokens ORDER BY name').all() as {
    name: string
    role: Role
    created_at: string
    last_used_at: string | null
  }[]
  return rows.map((r) => ({ name: r.name, role: r.role, createdAt: r.created_at, lastUsedAt: r.last_used_at }))
}

export function revokeToken(store: Store, name: string): boolean {
  return cached(store.sqlite, 'DELETE FROM tokens WHERE name = ?').run(name).changes === 1
}

/** Who a presented token belongs to, or null. Looked up by hash: the token itself is never compared. */
export function findToken(store: Store, token: string): Actor | null {
  if (!token || token.length > 200) return null
  const row = cached(store.sqlite, 'SELECT name, role FROM tokens WHERE hash = ?').get(hashToken(token)) as Actor | undefined
  return row ? { name: row.name, role: row.role } : null
}

/** Records use, at most once a minute per token so reads do not become writes. */
export function touchToken(store: Store, name: string): void {
  cached(store.sqlite, "UPDATE tokens SET last_used_at = ? WHERE name = ? AND (last_used_at IS NULL OR last_used_at < ?)")
    .run(nowIso(), name, new Date(Date.now() - 60_000).toISOString())
}
