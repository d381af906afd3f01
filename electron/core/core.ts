// The core: one workspace, its services and the single API router. Every shell creates
// exactly one of these and only wires it (HTTP host, Electron main, CLI).
import { OPDESK_VERSION } from '../../shared/version'
import { ChangeBus } from './bus'
import type { CoreContext } from './context'
import { consoleLogger, type Logger } from './log'
import { createRouter, type Handlers, type Router } from './api/router'
import { trackHandlers } from './api/handlers/tracks'
import { seedDemo } from './demo/seed'
import { openWorkspace, type Workspace } from './workspace'

export interface CoreOptions {
  workspaceDir: string
  demo?: boolean
  migrationsDir?: string
  nativeBinding?: string
  log?: Logger
}

export interface Core {
  ws: Workspace
  bus: ChangeBus
  router: Router
  ctx: CoreContext
  close(): Promise<void>
}

export async function createCore(opts: CoreOptions): Promise<Core> {
  const log = opts.log ?? consoleLogger()
  const ws = openWorkspace(opts.workspaceDir, { migrationsDir: opts.migrationsDir, nativeBinding: opts.nativeBinding })
  const bus = new ChangeBus()
  const ctx: CoreContext = { ws, bus, log, version: OPDESK_VERSION }
  if (opts.demo && seedDemo(ws.store)) log.info('seeded the demo workspace', { dir: ws.dir })

  const handlers: Handlers = {
    health: () => ({ ok: true, version: OPDESK_VERSION, workspace: ws.dir, schemaVersion: ws.store.schemaVersion }),
    ...trackHandlers(ctx),
  }
  const router = createRouter(handlers, (err, req) =>
    log.error('unhandled API error', { method: req.method, path: req.path, error: err instanceof Error ? err.stack : String(err) }),
  )
  let closed = false
  return {
    ws,
    bus,
    router,
    ctx,
    async close() {
      if (closed) return
      closed = true
      ws.close()
    },
  }
}
