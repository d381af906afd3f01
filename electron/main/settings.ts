// The few things the desktop app remembers between launches (the last workspace picked
// in the folder dialog). Plain Node so it is unit-tested; a broken file is ignored rather
// than stopping the app.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, isAbsolute, join } from 'node:path'
import type { AppArgs } from './args'

export interface AppSettings {
  lastWorkspace?: string
}

export function settingsFile(userData: string): string {
  return join(userData, 'opdesk-app.json')
}

export function readSettings(file: string): AppSettings {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
    const last = raw.lastWorkspace
    return typeof last === 'string' && isAbsolute(last) ? { lastWorkspace: last } : {}
  } catch {
    return {}
  }
}

export function writeSettings(file: string, settings: AppSettings): void {
  mkdirSync(dirname(file), { recursive: true })
  // Write then rename, so a crash mid-write never leaves half a file.
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(settings, null, 2) + '\n', { mode: 0o600 })
  renameSync(tmp, file)
}

/**
 * The workspace to open at start-up: --workspace wins; --demo alone never touches the
 * operator's real workspace (core's defaultWorkspaceDir(true), or the demo folder inside a
 * --user-data-dir); otherwise the last folder picked, if it still exists, else
 * userData/workspace.
 */
export function initialWorkspace(
  args: AppArgs,
  userData: string,
  demoDefault: string,
  settings: AppSettings,
  exists: (p: string) => boolean = existsSync,
): string {
  if (args.workspace) return args.workspace
  if (args.demo) return args.userDataDir ? join(args.userDataDir, 'demo-workspace') : demoDefault
  if (settings.lastWorkspace && exists(settings.lastWorkspace)) return settings.lastWorkspace
  return join(userData, 'workspace')
}
