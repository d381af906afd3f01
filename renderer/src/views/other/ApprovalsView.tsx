import { useEffect, useState } from 'react'
import { APPROVAL_STATUSES, type Approval, type ApprovalContext, type ApprovalStatus } from '@shared/domain'
import { SelectField, TextField } from '../../components/Field'
import { artifactHref } from '../../lib/artifacts'
import { StateBadge } from '../../components/StateBadge'
import { ResourceView } from '../../components/Status'
import { formatDate } from '../../lib/format'
import { href } from '../../lib/route'
import { rememberRow } from '../../lib/focusRow'
import { useAction } from '../../lib/useAction'
import type { StandingApproval, TermChange } from '@shared/terms'
import {
  approvals,
  decide,
  revokeStanding,
  setApprovalFilter,
  standing,
  useApprovalFilter,
  useApprovals,
  useStanding,
} from '../../stores/approvals'

/** Choices for "Remember for N days" (the API takes up to P90D). */
const REMEMBER_DAYS = [1, 7, 30, 90] as const

export function ApprovalsView() {
  const { data, status, error } = useApprovals()
  const filter = useApprovalFilter((s) => s.status)
  useEffect(() => {
    void approvals.load()
    void standing.load()
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
      <StandingList />
    </section>
  )
}

/** Standing approvals: who approved which terms, until when; Revoke makes the next such run ask again. */
function StandingList() {
  const { data, status, error } = useStanding()
  return (
    <section aria-labelledby="standing-title" className="standing">
      <h2 id="standing-title">Standing approvals</h2>
      <ResourceView
        status={status}
        error={error}
        data={data}
        what="Standing approvals"
        isEmpty={(d) => d.length === 0}
        empty={<p>None. Approve with “Remember for” to let identical runs go on without asking.</p>}
        onRetry={() => void standing.load()}
      >
        {(d) => (
          <ul className="rows">
            {d.map((s) => (
              <StandingRow key={s.id} s={s} />
            ))}
          </ul>
        )}
      </ResourceView>
    </section>
  )
}

function termsSummary(s: StandingApproval): string {
  const t = s.terms
  const parts = [
    ...Object.entries(t.values ?? {}).map(([k, v]) => `${k} = ${v}`),
    ...Object.entries(t.params ?? {}).map(([k, v]) => `params.${k} = ${v}`),
  ]
  if (t.command) parts.unshift(t.command)
  return parts.join(', ') || 'no parameters'
}

function StandingRow({ s }: { s: StandingApproval }) {
  const act = useAction(() => revokeStanding(s.id))
  return (
    <li className="row" data-testid="standing-row" data-state={s.state}>
      <div className="row-main">
        <span>
          {s.reason} <span className="muted small">({s.scope}, {s.terms.point})</span>
        </span>
        <span className="muted small" data-testid="standing-terms">
          {termsSummary(s)}
        </span>
        <span className="muted small">
          Approved by <span data-testid="standing-by">{s.createdBy}</span> {formatDate(s.createdAt)} · expires{' '}
          {formatDate(s.expiresAt)} · used {s.uses} {s.uses === 1 ? 'time' : 'times'}
          {s.revokedAt && ` · revoked by ${s.revokedBy ?? 'someone'} ${formatDate(s.revokedAt)}`}
        </span>
      </div>
      <StateBadge state={s.state} />
      {s.state === 'active' && (
        <button type="button" className="danger small" disabled={act.pending} onClick={() => void act.run()}>
          Revoke
        </button>
      )}
    </li>
  )
}

const CHANGE_WORDS: Record<TermChange['change'], string> = { added: 'added', removed: 'removed', changed: 'changed' }

/** Why it asks again: each term that differs from the standing approval it would have reused. */
function TermsDiff({ changes }: { changes: TermChange[] }) {
  return (
    <div className="terms-diff small" data-testid="terms-diff">
      <p>Asks again: the terms differ from a standing approval.</p>
      <table>
        <thead>
          <tr>
            <th scope="col">Term</th>
            <th scope="col">Change</th>
            <th scope="col">Approved</th>
            <th scope="col">Now</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => (
            <tr key={c.key} data-testid="terms-diff-row" data-change={c.change}>
              <th scope="row">
                <code>{c.key}</code>
              </th>
              <td>{CHANGE_WORDS[c.change]}</td>
              <td>{c.before ?? '—'}</td>
              <td>{c.after ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** Everything the approver needs to decide, from the approval itself (DESIGN.md `approval-context`). */
function ContextList({ c, deadlineAt }: { c: ApprovalContext; deadlineAt: string | null }) {
  const params = Object.entries(c.params)
  return (
    <dl className="approval-context small" data-testid="approval-context">
      {c.flowName !== null && (
        <>
          <dt>Flow</dt>
          <dd data-testid="approval-flow">
            {c.flowName}
            {c.flowHash && <code title={c.flowHash}> {c.flowHash.slice(0, 12)}</code>}
          </dd>
        </>
      )}
      {c.command !== null && (
        <>
          <dt>Command</dt>
          <dd>
            <code>{c.command}</code>
          </dd>
        </>
      )}
      {(c.track || c.step) && (
        <>
          <dt>Track and step</dt>
          <dd>
            {c.track?.title ?? '—'}
            {c.step && ` › ${c.step.title}`}
          </dd>
        </>
      )}
      {c.flowStep && (
        <>
          <dt>Stopped at</dt>
          <dd>
            {c.flowStep.index !== null && `step ${c.flowStep.index}`}
            {c.flowStep.label && ` (${c.flowStep.label})`}
            {c.flowStep.line !== null && ` · line ${c.flowStep.line}`}
          </dd>
        </>
      )}
      <dt>Parameters</dt>
      <dd>{params.length ? params.map(([k, v]) => `${k} = ${v}`).join(', ') : 'none'}</dd>
      {c.kind === 'browser' && (
        <>
          <dt>Origins it will touch</dt>
          <dd>{c.origins.length ? c.origins.join(', ') : 'not limited (no allowedOrigins)'}</dd>
        </>
      )}
      <dt>Policy reasons</dt>
      <dd>{c.policyReasons.length ? c.policyReasons.join('; ') : 'none recorded'}</dd>
      <dt>Evidence so far</dt>
      <dd>
        {c.evidence.length
          ? c.evidence.map((e, i) => (
              <span key={e.id}>
                {i > 0 && ', '}
                <a href={artifactHref(e)} target="_blank" rel="noreferrer">
                  {e.name}
                </a>
              </span>
            ))
          : 'none yet'}
      </dd>
      <dt>Asked by</dt>
      <dd data-testid="approval-requested-by">{c.requestedBy}</dd>
      {deadlineAt && (
        <>
          <dt>Deadline</dt>
          <dd>{formatDate(deadlineAt)} (the run fails if nobody decides)</dd>
        </>
      )}
    </dl>
  )
}

function ApprovalRow({ approval: a }: { approval: Approval }) {
  const [note, setNote] = useState('')
  const [remember, setRemember] = useState('')
  const act = useAction((approve: boolean) =>
    decide(a.runId, approve, note.trim() || undefined, approve && remember ? Number(remember) : undefined),
  )
  return (
    <li className="row" data-testid="approval-row" data-status={a.status}>
      <div className="row-main">
        <span>{a.reason}</span>
        <span className="muted small">
          Requested {formatDate(a.requestedAt)} · <a href={href.run(a.runId)}>run {a.runId}</a>
          {a.decidedAt && (
            <span data-testid="approval-decided">
              {` · ${a.status} by ${a.decidedBy ?? 'system'} ${formatDate(a.decidedAt)}`}
              {a.note && `: ${a.note}`}
            </span>
          )}
        </span>
        {a.status === 'pending' && a.context.termsDiff && <TermsDiff changes={a.context.termsDiff.changes} />}
        <ContextList c={a.context} deadlineAt={a.status === 'pending' ? a.deadlineAt : null} />
      </div>
      <StateBadge state={a.status} />
      {a.status === 'pending' && (
        <div className="form-actions" role="group" aria-label={`Decide: ${a.reason}`}>
          <TextField label="Note" value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
          {a.context.terms && (
            <SelectField label="Remember for" options={[]} value={remember} onChange={(e) => setRemember(e.target.value)}>
              <option value="">Don’t remember</option>
              {REMEMBER_DAYS.map((d) => (
                <option key={d} value={String(d)}>
                  {d} {d === 1 ? 'day' : 'days'}
                </option>
              ))}
            </SelectField>
          )}
          <button
            type="button"
            className="primary small"
            disabled={act.pending}
            onClick={(e) => void act.run(true).then(rememberRow(e.currentTarget))}
          >
            Approve
          </button>
          <button
            type="button"
            className="danger small"
            disabled={act.pending}
            onClick={(e) => void act.run(false).then(rememberRow(e.currentTarget))}
          >
            Reject
          </button>
        </div>
      )}
    </li>
  )
}
