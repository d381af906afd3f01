import { useEffect } from 'react'
import { APPROVAL_STATUSES, type Approval, type ApprovalStatus } from '@shared/domain'
import { SelectField } from '../../components/Field'
import { StateBadge } from '../../components/StateBadge'
import { ResourceView } from '../../components/Status'
import { formatDate } from '../../lib/format'
import { href } from '../../lib/route'
import { useAction } from '../../lib/useAction'
import { approvals, decide, setApprovalFilter, useApprovalFilter, useApprovals } from '../../stores/approvals'

export function ApprovalsView() {
  const { data, status, error } = useApprovals()
  const filter = useApprovalFilter((s) => s.status)
  useEffect(() => {
    void approvals.load()
  }, [])
  return (
    <section className="view" aria-labelledby="approvals-title">
      <div className="view-head">
        <h1 id="approvals-title" tabIndex={-1}>
          Approvals
        </h1>
        <SelectField
          label="Status"
          options={APPROVAL_STATUSES}
          value={filter}
          onChange={(e) => setApprovalFilter(e.target.value as ApprovalStatus | 'all')}
        >
          <option value="all">all</option>
        </SelectField>
      </div>
      <ResourceView
        status={status}
        error={error}
        data={data}
        what="Approvals"
        isEmpty={(d) => d.length === 0}
        empty={<p>No {filter === 'all' ? '' : `${filter} `}approvals.</p>}
        onRetry={() => void approvals.load()}
      >
        {(d) => (
          <ul className="rows">
            {d.map((a) => (
              <ApprovalRow key={a.id} approval={a} />
            ))}
          </ul>
        )}
      </ResourceView>
    </section>
  )
}

function ApprovalRow({ approval: a }: { approval: Approval }) {
  const act = useAction((approve: boolean) => decide(a.runId, approve))
  return (
    <li className="row" data-testid="approval-row" data-status={a.status}>
      <div className="row-main">
        <span>{a.reason}</span>
        <span className="muted small">
          Requested {formatDate(a.requestedAt)} · <a href={href.run(a.runId)}>run {a.runId}</a>
          {a.decidedAt && ` · ${a.status} by ${a.decidedBy ?? 'someone'} ${formatDate(a.decidedAt)}`}
        </span>
      </div>
      <StateBadge state={a.status} />
      {a.status === 'pending' && (
        <div className="form-actions" role="group" aria-label={`Decide: ${a.reason}`}>
          <button type="button" className="primary small" disabled={act.pending} onClick={() => void act.run(true)}>
            Approve
          </button>
          <button type="button" className="danger small" disabled={act.pending} onClick={() => void act.run(false)}>
            Reject
          </button>
        </div>
      )}
    </li>
  )
}
