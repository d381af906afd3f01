import { create } from 'zustand'
import type { ApprovalStatus } from '@shared/domain'
import { call } from '../api/client'
import { createResource } from './resource'

export const useApprovalFilter = create<{ status: ApprovalStatus | 'all' }>(() => ({ status: 'pending' }))

export const approvals = createResource(() => {
  const { status } = useApprovalFilter.getState()
  return call('listApprovals', status === 'all' ? {} : { query: { status } })
})
export const useApprovals = approvals.use

export function setApprovalFilter(status: ApprovalStatus | 'all'): void {
  useApprovalFilter.setState({ status })
  void approvals.load()
}

/** `rememberDays`: approve and make a standing approval for that many days (P{n}D). */
export async function decide(runId: string, approve: boolean, note?: string, rememberDays?: number): Promise<void> {
  const body = note ? { note } : {}
  await (approve
    ? call('approveRun', { params: { id: runId }, body: rememberDays ? { ...body, remember: `P${rememberDays}D` } : body })
    : call('rejectRun', { params: { id: runId }, body }))
  void approvals.load()
  if (approve && rememberDays) void standing.load()
}

/** Standing approvals ("approve and remember"): newest first, with their state. */
export const standing = createResource(() => call('listStanding'))
export const useStanding = standing.use

export async function revokeStanding(id: string): Promise<void> {
  await call('revokeStanding', { params: { id } })
  void standing.load()
}
