// Test helper: host pids of processes by their argv, read from /proc. A sandboxed run lives
// in its own PID namespace, so the pids it reports itself ($!) mean nothing out here.
import { readdirSync, readFileSync } from 'node:fs'

export function pidsRunning(argv: string[]): number[] {
  const want = argv.join('\0')
  const found: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0$/, '')
      const state = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.[0]
      if (cmdline === want && state !== 'Z') found.push(Number(name))
    } catch {
      // Exited while we looked.
    }
  }
  return found
}
