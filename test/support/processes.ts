// Which processes on this machine work in a folder: how a test proves that nothing a run
// started is left running (a sandboxed command sees the same path, bind-mounted).
import { readdirSync, readlinkSync } from 'node:fs'

/** Pids of live processes whose working directory is `dir` or below it. */
export function processesIn(dir: string): number[] {
  const found: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    let cwd: string
    try {
      cwd = readlinkSync(`/proc/${name}/cwd`).replace(/ \(deleted\)$/, '')
    } catch {
      continue // gone meanwhile, or not ours to read
    }
    if (cwd === dir || cwd.startsWith(`${dir}/`)) found.push(Number(name))
  }
  return found
}

/** Whether a process with this pid is alive (signal 0 only asks). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
