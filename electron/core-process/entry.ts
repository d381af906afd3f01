// The core process: started by Electron main with utilityProcess.fork (built to
// out/main/core-process.js), or by a Node parent with child_process.fork / a worker thread
// in tests and the bench. It serves shared/core-process.ts until the parent closes it.
import { consoleLogger } from '../core/log'
import { connectParent } from './port'
import { serveCore } from './server'

const log = consoleLogger('opdesk-core')
serveCore(connectParent(), {
  log,
  // With the database closed nothing is left to do. The parent ends the process once it
  // has the reply; leaving by ourselves is the fallback should a stray handle keep us up.
  onClosed: () => setTimeout(() => process.exit(0), 2000),
})
process.on('uncaughtException', (err) => {
  log.error('uncaught error in the core process', { error: err.stack ?? String(err) })
  process.exit(70)
})
