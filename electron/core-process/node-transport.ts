// Starting the core process from plain Node (tests, the bench): child_process.fork with
// 'advanced' serialization, so ArrayBuffers cross as bytes, as they do between Electron's
// main and its utilityProcess. The entry runs from TypeScript source through tsx.
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { FromCore } from '../../shared/core-process'
import type { CoreTransport } from './client'

export const CORE_ENTRY_SOURCE = fileURLToPath(new URL('./entry.ts', import.meta.url))

export function forkCoreProcess(entry = CORE_ENTRY_SOURCE, env: NodeJS.ProcessEnv = process.env): CoreTransport & { pid: number } {
  const child = fork(entry, [], {
    execArgv: entry.endsWith('.ts') ? ['--import', 'tsx'] : [],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env,
  })
  return {
    pid: child.pid!,
    post: (msg) => {
      if (child.connected) child.send(msg)
    },
    onMessage: (l) => child.on('message', (m) => l(m as FromCore)),
    onExit: (l) => child.on('exit', (code) => l(code)),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill()
    },
  }
}
