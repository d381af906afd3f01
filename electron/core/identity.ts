// Who the person at this machine is: the display name set in Settings, else the OS user.
import { userInfo } from 'node:os'
import { getSetting } from './store/settings'
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
