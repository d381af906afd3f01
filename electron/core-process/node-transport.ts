// Starting the core process from plain Node (tests, the bench): child_process.fork with
// 'advanced' serialization, so ArrayBuffers cross as bytes, as they do between Electron's
// main and its utilityProcess; or a worker thread, where frames are transferred, not copied.
// The entry runs from TypeScript source through tsx.
import { fork } from 'node:child_process'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { FromCore } from '../../shared/core-process'
import type { CoreTransport } from './client'

export const CORE_ENTRY_SOURCE = fileURLToPath(new URL('./entry.ts', import.meta.url))

export function forkCoreProcess(
  entry = CORE_ENTRY_SOURCE,
  env: NodeJS.ProcessEnv = process.env,
): CoreTransport & { pid: number } {
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

/** The core in a worker thread of this process: same entry, same protocol, transfers instead of copies. */
export function workerCoreProcess(entry = CORE_ENTRY_SOURCE): CoreTransport {
  // A worker loads its entry before any --import hook runs in it, so TypeScript source is
  // loaded from a one-line bootstrap that registers tsx first.
  const worker = entry.endsWith('.ts')
    ? new Worker(
        `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(entry).href)}) })`,
        { eval: true },
      )
    : new Worker(entry)
  let exited = false
  worker.once('exit', () => (exited = true))
  return {
    post: (msg) => {
      if (!exited) worker.postMessage(msg)
    },
    onMessage: (l) => worker.on('message', (m: FromCore) => l(m)),
    onExit: (l) => worker.once('exit', (code) => l(code)),
    kill: () => {
      if (!exited) void worker.terminate()
    },
  }
}
