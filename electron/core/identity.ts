// Who the person at this machine is: the display name set in Settings, else the OS user.
import { userInfo } from 'node:os'
import type { Actor, Role } from '../../shared/api'
import { getSetting } from './store/settings'
import { addToken, findToken, listTokens, revokeToken, touchToken, type TokenInfo } from './store/tokens'
import type { Workspace } from './workspace'

let osUser: string | undefined

/**
 * Looked up once: userInfo() reads the passwd database (a synchronous getpwuid_r) and the
 * host asks on every request, so a burst of 1,000 paid for it 1,000 times on the event loop.
 * A process's user does not change while it runs.
 */
export function osUserName(): string {
  if (osUser !== undefined) return osUser
  try {
    const name = userInfo().username
    if (name) return (osUser = name)
  } catch {
    // No passwd entry (some containers): fall back to the environment.
  }
  return (osUser = process.env.USER || process.env.USERNAME || 'local operator')
}

export function localOperatorName(ws: Workspace): string {
  return getSetting(ws.store, 'operator.displayName') ?? osUserName()
}

/** Named API tokens: issued, listed and revoked from the CLI, checked by host mode. */
export interface NamedTokens {
  add(name: string, role: Role): { token: string; info: TokenInfo }
  list(): TokenInfo[]
  revoke(name: string): boolean
  /** Who a named token stands for (its last use recorded), or null for an unknown token. */
  actorFor(token: string): Actor | null
}

export function namedTokens(ws: Workspace): NamedTokens {
  return {
    add: (name, role) => addToken(ws.store, name, role),
    list: () => listTokens(ws.store),
    revoke: (name) => revokeToken(ws.store, name),
    actorFor(token) {
      const actor = findToken(ws.store, token)
      if (actor) touchToken(ws.store, actor.name)
      return actor
    },
  }
}
