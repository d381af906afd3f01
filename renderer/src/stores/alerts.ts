// Alerts: the list the Alerts view shows, and the open count the navigation badge shows.
import { create } from 'zustand'
import type { Alert } from '@shared/domain'
import { call } from '../api/client'
import { createResource } from './resource'

export const useAlertFilter = create<{ showAll: boolean }>(() => ({ showAll: false }))

export const alerts = createResource<Alert[]>(() =>
  call('listAlerts', useAlertFilter.getState().showAll ? {} : { query: { open: true } }),
)
export const useAlerts = alerts.use

export function setAlertFilter(showAll: boolean): void {
  useAlertFilter.setState({ showAll })
  void alerts.load()
}

/** The badge counts open alerts whatever the view's filter is. */
export const selectOpenAlertCount = (s: { data: Alert[] | null }) =>
  s.data?.filter((a) => a.ackedAt === null).length ?? 0

export async function acknowledge(id: string): Promise<void> {
  const acked = await call('ackAlert', { params: { id } })
  // Show it at once; the stream's refetch confirms.
  alerts.use.setState((s) => ({ data: s.data?.map((a) => (a.id === id ? acked : a)) ?? null }))
  void alerts.load()
}
