// The core process as an Electron utilityProcess (DESIGN.md "Shells and core"): SQLite,
// Playwright and command output then never compete with windows for main's event loop.
import { utilityProcess } from 'electron'
import type { FromCore, ToCore } from '../../shared/core-process'
import type { CoreTransport } from '../core-process/client'

export function utilityCoreProcess(entry: string): CoreTransport {
  const child = utilityProcess.fork(entry, [], { serviceName: 'Opdesk core', stdio: 'inherit' })
  // Messages wait for the process to be up; after it ended they go nowhere.
  let state: 'starting' | 'running' | 'exited' = 'starting'
  const queued: ToCore[] = []
  child.once('spawn', () => {
    state = 'running'
    for (const msg of queued.splice(0)) child.postMessage(msg)
  })
  child.once('exit', () => {
    state = 'exited'
    queued.length = 0
  })
  return {
    post(msg) {
      if (state === 'running') child.postMessage(msg)
      else if (state === 'starting') queued.push(msg)
    },
    onMessage: (l) => child.on('message', (m) => l(m as FromCore)),
    onExit: (l) => child.once('exit', (code) => l(code)),
    kill() {
      if (state !== 'exited') child.kill()
    },
  }
}
