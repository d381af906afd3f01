// Command runs inside an OS sandbox: which one this machine has (probed once, by really
// starting it), and how one run's argv is wrapped so it writes only in its cwd under
// work/ and a private /tmp, cannot read the workspace's data or the user's home, and has
// no network unless the policy names hosts.
import { spawnSync } from 'node:child_process'
import { accessSync, constants, mkdtempSync, realpathSync, statSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import type { SandboxStatus } from '../../../shared/sandbox'
import { userDataDir } from '../paths'
import { bwrapArgs, probeArgs, within, type MountPlan } from './bwrap'
import { seatbeltProfile } from './seatbelt'

export type { SandboxStatus }
export { STATUS_FD } from './bwrap'

const BWRAP_CANDIDATES = ['/usr/bin/bwrap', '/usr/local/bin/bwrap']
const SANDBOX_EXEC = '/usr/bin/sandbox-exec'

function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    try {
      accessSync(join(dir, name), constants.X_OK)
      return join(dir, name)
    } catch {
      // next
    }
  }
  return null
}

function tryStart(file: string, args: string[]): string | null {
  const r = spawnSync(file, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000, encoding: 'utf8' })
  if (r.error) return r.error.message
  if (r.status !== 0) return (r.stderr || `exit code ${r.status ?? r.signal}`).trim().split('\n')[0] ?? 'failed'
  return null
}

let detected: SandboxStatus | null = null

/**
 * Probes once per process by starting a real sandbox: a bwrap binary can be installed and
 * still fail (a kernel or container without unprivileged user namespaces).
 */
export function detectSandbox(): SandboxStatus {
  if (detected) return detected
  if (process.platform === 'linux') {
    const bwrap = BWRAP_CANDIDATES.find((p) => statSafe(p)) ?? findOnPath('bwrap')
    if (!bwrap) {
      detected = { available: false, kind: 'none', detail: 'bubblewrap (bwrap) is not installed; install the "bubblewrap" package' }
    } else {
      const err = tryStart(bwrap, probeArgs())
      detected = err
        ? { available: false, kind: 'none', detail: `bubblewrap could not start a sandbox here: ${err}` }
        : { available: true, kind: 'bubblewrap', detail: `bubblewrap at ${bwrap}` }
      if (!err) bwrapPath = bwrap
    }
  } else if (process.platform === 'darwin') {
    const err = statSafe(SANDBOX_EXEC) ? tryStart(SANDBOX_EXEC, ['-p', '(version 1)(allow default)', '/usr/bin/true']) : 'sandbox-exec is missing'
    detected = err
      ? { available: false, kind: 'none', detail: `Seatbelt could not start: ${err}` }
      : { available: true, kind: 'seatbelt', detail: 'macOS Seatbelt (sandbox-exec)' }
  } else {
    detected = { available: false, kind: 'none', detail: `no command sandbox on ${process.platform}` }
  }
  return detected
}

let bwrapPath = BWRAP_CANDIDATES[0]!

function statSafe(p: string): boolean {
  try {
    return statSync(p).isFile()
  } catch {
    return false
  }
}

export interface SandboxRequest {
  status: SandboxStatus
  workspaceRoot: string
  /** The workspace's work/ folder; a run's cwd must be inside it unless the policy allows otherwise. */
  workDir: string
  cwd: string
  cwdOutsideWorkspace: boolean
  network: boolean
}

export interface WrappedCommand {
  file: string
  args: string[]
  cwd: string
  /** Whether bwrap reports the sandbox's first process on STATUS_FD. */
  statusFd: boolean
  /** Per-run temp folder to remove afterwards (Seatbelt has no private /tmp). */
  tmpDir: string | null
  env: Record<string, string>
}

export class SandboxRefusal extends Error {
  override name = 'SandboxRefusal'
}

const real = (p: string): string | null => {
  try {
    return realpathSync(p)
  } catch {
    return null
  }
}

/**
 * Paths a run must never see. Home folders go whole: keys, tokens and the config folder
 * (where the secrets key and app data live) are all under them.
 */
function hiddenPaths(workspaceRoot: string): string[] {
  const list = [workspaceRoot, homedir(), userDataDir(), '/root', '/home', '/Users']
  return [...new Set(list.map(real).filter((p): p is string => p !== null && p !== '/'))]
}

/**
 * Checks the cwd against real paths (a symlink in work/ pointing elsewhere must not become
 * a writable mount) and wraps file+args. Refuses rather than weakens: a cwd that would
 * expose the workspace or a home folder is an error, never a wider sandbox.
 */
export function sandboxCommand(req: SandboxRequest, file: string, args: string[]): WrappedCommand {
  const cwd = real(req.cwd)
  if (!cwd || !statSync(cwd).isDirectory()) throw new SandboxRefusal(`The working folder ${req.cwd} does not exist`)
  const root = real(req.workspaceRoot) ?? req.workspaceRoot
  const work = real(req.workDir)
  const hide = hiddenPaths(root)
  if (!(work && within(work, cwd))) {
    if (within(root, cwd)) throw new SandboxRefusal(`The working folder ${req.cwd} resolves to ${cwd}, inside the workspace but outside work/`)
    if (!req.cwdOutsideWorkspace) throw new SandboxRefusal(`The working folder ${req.cwd} resolves to ${cwd}, outside the workspace's work/ folder`)
  }
  const exposes = hide.find((h) => within(cwd, h))
  if (exposes || cwd === '/') throw new SandboxRefusal(`The working folder ${cwd} contains ${exposes ?? 'everything'}, which commands must not reach`)
  if (!req.status.available) return { file, args, cwd, statusFd: false, tmpDir: null, env: {} }

  const plan: MountPlan = { cwd, hide, network: req.network }
  if (req.status.kind === 'bubblewrap') {
    return { file: bwrapPath, args: bwrapArgs(plan, file, args), cwd, statusFd: true, tmpDir: null, env: { TMPDIR: '/tmp' } }
  }
  const tmpDir = realpathSync(mkdtempSync(join(tmpdir(), 'opdesk-run-')))
  return {
    file: SANDBOX_EXEC,
    args: ['-p', seatbeltProfile(plan, tmpDir), '--', file, ...args],
    cwd,
    statusFd: false,
    tmpDir,
    env: { TMPDIR: tmpDir },
  }
}
