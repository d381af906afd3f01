// The bubblewrap command line for one command run. Built by hand rather than through
// @anthropic-ai/sandbox-runtime: that library wraps every command in a `bash -c` string,
// keeps one process-wide configuration, needs socat and ripgrep at run time and derives
// its mounts from allow/deny lists, while a run here needs exactly these mounts, argv
// passed through untouched, and several runs with different cwds at once.
import { existsSync } from 'node:fs'

export interface MountPlan {
  /** The run's working directory (a real path): the only writable place besides /tmp. */
  cwd: string
  /** Real paths replaced by an empty tmpfs: the workspace, home folders, config folders. */
  hide: string[]
  /** Share the host's network (only when the policy names hosts; bwrap cannot filter by host). */
  network: boolean
}

/** File descriptor on which bwrap reports `{"child-pid": N}` and later `{"exit-code": N}`. */
export const STATUS_FD = 3

/**
 * Read-only root, private /dev, /proc and /tmp, the hidden paths emptied, the cwd bound
 * writable on top. Order matters: a later mount covers an earlier one, so the cwd is
 * bound after the tmpfs that hides the workspace around it.
 */
export function bwrapArgs(plan: MountPlan, file: string, args: string[]): string[] {
  const out = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp']
  const hidden: string[] = ['/tmp']
  for (const p of [...plan.hide].sort((a, b) => a.length - b.length)) {
    if (hidden.some((h) => within(h, p)) || !existsSync(p)) continue
    out.push('--tmpfs', p)
    hidden.push(p)
  }
  // Sockets under /run (docker, dbus, the user's session bus) would let a command act
  // outside the sandbox; with the network on, name resolution may live there too.
  if (existsSync('/run')) {
    out.push('--tmpfs', '/run')
    if (plan.network && existsSync('/run/systemd/resolve')) out.push('--ro-bind', '/run/systemd/resolve', '/run/systemd/resolve')
  }
  out.push('--bind', plan.cwd, plan.cwd, '--chdir', plan.cwd)
  // --unshare-all includes a PID namespace: its first process is the run's whole tree, so
  // killing it (or bwrap, through --die-with-parent) ends every descendant.
  out.push('--unshare-all')
  if (plan.network) out.push('--share-net')
  out.push('--new-session', '--die-with-parent', '--json-status-fd', String(STATUS_FD), '--', file, ...args)
  return out
}

/** The argv that proves bwrap can start here with the same namespaces a run uses. */
export function probeArgs(): string[] {
  return ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', '--unshare-all', '--new-session', '--die-with-parent', '--', 'true']
}

export function within(parent: string, child: string): boolean {
  if (parent === '/') return true
  return child === parent || child.startsWith(parent.endsWith('/') ? parent : `${parent}/`)
}
