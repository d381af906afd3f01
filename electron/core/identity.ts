// Who the person at this machine is: the display name set in Settings, else the OS user.
import { userInfo } from 'node:os'
import { getSetting } from './store/settings'
import type { Workspace } from './workspace'

export function osUserName(): string {
  try {
    const name = userInfo().username
    if (name) return name
  } catch {
    // No passwd entry (some containers): fall back to the environment.
  }
  return process.env.USER || process.env.USERNAME || 'local operator'
}

export function localOperatorName(ws: Workspace): string {
  return getSetting(ws.store, 'operator.displayName') ?? osUserName()
}
