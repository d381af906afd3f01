import { failurePatterns, flowAnalytics } from '../../analytics/analytics'
import type { CoreContext } from '../../context'
import type { Handlers } from '../router'

export function analyticsHandlers(ctx: CoreContext): Handlers {
  return {
    flowAnalytics: () => flowAnalytics(ctx.ws.store),
    failureAnalytics: () => failurePatterns(ctx.ws.store),
  }
}
