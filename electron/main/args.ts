// Command-line options of the desktop app. Chromium and Electron add their own switches
// (and `electron .` adds the app path), so unknown arguments are ignored rather than
// refused — unlike the CLI, which parses strictly.
import { isAbsolute, resolve } from 'node:path'

export interface AppArgs {
  /** Absolute workspace folder, when --workspace was given. */
  workspace?: string
  demo: boolean
  /** Absolute user-data folder (tests run several apps side by side, each with its own). */
  userDataDir?: string
}

function valueOf(argv: readonly string[], i: number, name: string): { value?: string; skip: number } {
  const arg = argv[i] ?? ''
  if (arg.startsWith(`${name}=`)) return { value: arg.slice(name.length + 1), skip: 0 }
  const next = argv[i + 1]
  // A missing value, or one that is itself a switch, means the option was left empty.
  if (next === undefined || next.startsWith('--')) return { skip: 0 }
  return { value: next, skip: 1 }
}

/** Parses the app's own options out of an Electron argv; relative paths resolve against cwd. */
export function parseAppArgs(argv: readonly string[], cwd: string): AppArgs {
  const out: AppArgs = { demo: false }
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p))
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (arg === '--demo') out.demo = true
    else if (arg === '--workspace' || arg.startsWith('--workspace=')) {
      const { value, skip } = valueOf(argv, i, '--workspace')
      if (value) out.workspace = abs(value)
      i += skip
    } else if (arg === '--user-data-dir' || arg.startsWith('--user-data-dir=')) {
      const { value, skip } = valueOf(argv, i, '--user-data-dir')
      if (value) out.userDataDir = abs(value)
      i += skip
    }
  }
  return out
}

/** What a second instance hands to the first one (requestSingleInstanceLock's additionalData). */
export interface SecondInstanceData {
  workspace?: string
  demo: boolean
}

/** additionalData crosses a process boundary: accept only the shape we send. */
export function readSecondInstanceData(data: unknown, argv: readonly string[], cwd: string): SecondInstanceData {
  if (data && typeof data === 'object') {
    const d = data as Record<string, unknown>
    const workspace = typeof d.workspace === 'string' && isAbsolute(d.workspace) ? d.workspace : undefined
    if (workspace !== undefined || typeof d.demo === 'boolean') return { workspace, demo: d.demo === true }
  }
  // Older instances (or a launcher that strips additionalData) still pass argv.
  const { workspace, demo } = parseAppArgs(argv, cwd)
  return { workspace, demo }
}
