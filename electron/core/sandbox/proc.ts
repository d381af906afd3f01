// Linux process identity from /proc. A pid alone names a process only until it is reused;
// the pair (pid, start time since boot) within one boot names exactly one process, so
// start-up recovery can prove a recorded process is still the one a run started.
import { readFileSync, readlinkSync } from 'node:fs'

export interface ProcessIdentity {
  pid: number
  /** /proc/PID/stat field 22: clock ticks after boot when the process started. */
  startTime: string
  /** /proc/sys/kernel/random/boot_id: start times restart at every boot. */
  bootId: string
}

interface Stat {
  ppid: number
  pgid: number
  startTime: string
}

export function readStat(pid: number): Stat | null {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return null
  }
  // The command name (field 2) is in parentheses and may itself contain spaces or ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ')
  // rest[0] is field 3 (state); field N is rest[N - 3].
  const ppid = Number(rest[1])
  const pgid = Number(rest[2])
  const startTime = rest[19]
  if (!startTime || !Number.isInteger(ppid) || !Number.isInteger(pgid)) return null
  return { ppid, pgid, startTime }
}

let boot: string | null | undefined
export function bootId(): string | null {
  if (boot === undefined) {
    try {
      boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
    } catch {
      boot = null
    }
  }
  return boot
}

/** The identity to record when a run's process starts; null where /proc is not there. */
export function identify(pid: number): ProcessIdentity | null {
  const stat = readStat(pid)
  const b = bootId()
  return stat && b ? { pid, startTime: stat.startTime, bootId: b } : null
}

/**
 * True only when the recorded process is alive, is the same process (same boot, same start
 * time) and still leads its process group, so signalling -pid reaches what the run started.
 */
export function stillLeadsGroup(recorded: Partial<ProcessIdentity>): boolean {
  const { pid, startTime, bootId: recordedBoot } = recorded
  if (!Number.isInteger(pid) || (pid ?? 0) <= 1 || !startTime || !recordedBoot) return false
  if (bootId() !== recordedBoot) return false
  const stat = readStat(pid!)
  return stat !== null && stat.startTime === startTime && stat.pgid === pid
}

/** Whether `pid` is a live process inside the PID namespace with inode `ns` (bwrap's json-status names it). */
export function inPidNamespace(pid: number, ns: number): boolean {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`) === `pid:[${ns}]`
  } catch {
    return false
  }
}
