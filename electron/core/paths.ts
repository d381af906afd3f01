import { constants } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** Electron's userData folder for an app named "Opdesk", so the CLI and the app agree. */
export function userDataDir(): string {
  const home = homedir()
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Opdesk')
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'Opdesk')
  return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Opdesk')
}

/** `--demo` without `--workspace` never seeds the operator's real workspace. */
export function defaultWorkspaceDir(demo = false): string {
  return join(userDataDir(), demo ? 'demo-workspace' : 'workspace')
}

/** Open flags for reading an artifact: refuse a symlink swapped in after the path was checked. */
export const ARTIFACT_OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)
