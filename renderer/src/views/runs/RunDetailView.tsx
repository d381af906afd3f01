// One run: its status and actions, the append-only event log (virtual, appended live by
// sequence number) and the evidence it produced.
import { useEffect } from 'react'
import { WAITING_RUN_STATUSES, type Run } from '@shared/domain'
import { StateBadge } from '../../components/StateBadge'
import { Empty, ErrorMsg, Loading, Unavailable } from '../../components/Status'
import { formatDate, formatDuration } from '../../lib/format'
import { href } from '../../lib/route'
import { call } from '../../api/client'
import { useAction } from '../../lib/useAction'
import { notify } from '../../stores/notices'
import { closeRun, openRun, refreshArtifacts, useRunDetail } from '../../stores/runs'
import { RunActions } from './RunActions'
import { ArtifactList, EventLog } from './RunParts'
import { runTitle } from './RunsView'

export function RunDetailView({ runId }: { runId: string }) {
  const { run, status, error } = useRunDetail()
  useEffect(() => {
    void openRun(runId)
    return closeRun
  }, [runId])

  return (
    <section className="view" aria-labelledby="run-title">
      <p>
        <a href={href.runs}>← All runs</a>
      </p>
      <h1 id="run-title" tabIndex={-1}>
        {run ? runTitle(run) : `Run ${runId}`}
      </h1>
      {status === 'unavailable' ? (
        <Unavailable what="Runs" />
      ) : status === 'error' && !run ? (
        <ErrorMsg message={error ?? 'Could not load the run'} onRetry={() => void openRun(runId)} />
      ) : !run ? (
        <Loading what="the run" />
      ) : (
        <RunBody run={run} />
      )}
    </section>
  )
}

function RunBody({ run }: { run: Run }) {
  const events = useRunDetail((s) => s.events)
  const artifacts = useRunDetail((s) => s.artifacts)
  const waiting = WAITING_RUN_STATUSES.includes(run.status)
  return (
    <>
      <div className="run-summary panel">
        <span data-testid="run-status" data-status={run.status}>
          <StateBadge state={run.status} />
        </span>
        <dl className="facts">
          <div className="fact">
            <dt>Kind</dt>
            <dd>{run.kind}</dd>
          </div>
          <div className="fact">
            <dt>Phase</dt>
            <dd>{run.phase}</dd>
          </div>
          <div className="fact">
            <dt>Attempt</dt>
            <dd>{run.attempt}</dd>
          </div>
          <div className="fact">
            <dt>Started</dt>
            <dd>{formatDate(run.startedAt)}</dd>
          </div>
          <div className="fact">
            <dt>Duration</dt>
            <dd>{formatDuration(run.startedAt, run.endedAt)}</dd>
          </div>
          <div className="fact">
            <dt>Progress</dt>
            <dd>
              {run.progress.current}/{run.progress.total} {run.progress.label ?? ''}
            </dd>
          </div>
          {run.policy && (
            <div className="fact">
              <dt>Policy</dt>
              <dd>
                {run.policy.verdict} ({run.policy.risk})
                {run.policy.reasons.length ? `: ${run.policy.reasons.join('; ')}` : ''}
              </dd>
            </div>
          )}
          {run.error && (
            <div className="fact tone-text-bad">
              <dt>Error</dt>
              <dd>{run.error}</dd>
            </div>
          )}
        </dl>
        {waiting && (
          <p className="callout" role="status">
            {run.status === 'waiting-mfa' ? (
              <>
                This run waits for a person. <a href={href.takeover(run.id)}>Open the takeover view</a> to complete the
                prompt.
              </>
            ) : (
              <>This run waits for an approval decision.</>
            )}
          </p>
        )}
        <RunActions run={run} />
      </div>
      <h2>Events</h2>
      {events.length === 0 ? <Empty>No events recorded yet.</Empty> : <EventLog events={events} />}
      <div className="view-head section-head">
        <h2>Artifacts</h2>
        <ReportButton runId={run.id} />
      </div>
      {artifacts.length === 0 ? <Empty>No artifacts yet.</Empty> : <ArtifactList artifacts={artifacts} />}
    </>
  )
}

/** Writes the run's report (a zip with a self-contained HTML page) to exports/ as an artifact. */
function ReportButton({ runId }: { runId: string }) {
  const write = useAction(async () => {
    const a = await call('reportRun', { params: { id: runId } })
    notify(`Report written: ${a.name}`)
    await refreshArtifacts(runId)
  })
  return (
    <button type="button" className="small" disabled={write.pending} onClick={() => void write.run()}>
      Write report
    </button>
  )
}
