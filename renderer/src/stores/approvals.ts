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

export async function decide(runId: string, approve: boolean, note?: string): Promise<void> {
  const body = note ? { note } : {}
  await (approve
    ? call('approveRun', { params: { id: runId }, body })
    : call('rejectRun', { params: { id: runId }, body }))
  void approvals.load()
}
