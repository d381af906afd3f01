// An operator acknowledging an alert: the write and the events the alert list and its track's
// view refresh on go together.
import type { Alert } from '../../shared/domain'
import type { CoreContext } from './context'
import { notFound } from './errors'
import { ackAlert, getAlert } from './store/alerts'

export function acknowledgeAlert(ctx: CoreContext, id: string, by: string): Alert {
  if (!getAlert(ctx.ws.store, id)) throw notFound('Alert', id)
  ctx.log.info('alert acknowledged', { alertId: id, by })
  const a = ackAlert(ctx.ws.store, id)!
  ctx.bus.emit('alert.changed', { alertId: a.id })
  if (a.trackId) ctx.bus.emit('track.changed', { trackId: a.trackId })
  return a
}
