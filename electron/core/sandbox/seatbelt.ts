// macOS: a Seatbelt profile for sandbox-exec with the same intent as the Linux mounts.
// Untested in this project's CI (Linux only); kept deliberately small. Seatbelt has no
// private /tmp and no PID namespace: the run gets its own temp folder (TMPDIR) and the
// executor ends the process group.
import type { MountPlan } from './bwrap'

const q = (p: string) => `"${p.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`

export function seatbeltProfile(plan: MountPlan, tmpDir: string): string {
  const writable = [plan.cwd, tmpDir]
  return [
    '(version 1)',
    '(allow default)',
    // Later rules win: deny broadly, then give back the run's own folders.
    '(deny file-write*)',
    `(allow file-write* ${writable.map((p) => `(subpath ${q(p)})`).join(' ')} (literal "/dev/null") (literal "/dev/tty") (regex #"^/dev/fd/"))`,
    ...(plan.hide.length ? [`(deny file-read* ${plan.hide.map((p) => `(subpath ${q(p)})`).join(' ')})`] : []),
    `(allow file-read* ${writable.map((p) => `(subpath ${q(p)})`).join(' ')})`,
    ...(plan.network ? [] : ['(deny network*)']),
  ].join('\n')
}
