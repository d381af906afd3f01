import type { ChangeBus } from './bus'
import type { Logger } from './log'
import type { Workspace } from './workspace'

/** What every service and handler gets: one workspace, one change bus, one logger. */
export interface CoreContext {
  ws: Workspace
  bus: ChangeBus
  log: Logger
  version: string
}
