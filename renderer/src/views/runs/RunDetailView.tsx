// One run: who must act now, its phase and progress, the policy's verdict, its actions, the
// append-only event log (virtual, tailed live by sequence number) and what it produced.
import { useEffect } from 'react'
import type { Run } from '@shared/domain'
import { StateBadge } from '../../components/StateBadge'
import { Empty, ErrorMsg, Loading, Unavailable } from '../../components/Status'
import { formatDate, formatDuration } from '../../lib/format'
import { href } from '../../lib/route'
import { closeRun, openRun, useRunDetail } from '../../stores/runs'
import { ArtifactGallery } from './ArtifactGallery'
import { EventTimeline } from './EventTimeline'
import { PhaseStepper } from './PhaseStepper'
import { RunActions } from './RunActions'
import { PolicyVerdict, StepProgress, TakeoverCallout } from './RunOverview'
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
  const artifacts = useRunDetail((s) => s.artifacts)
  return (
    <>
      <TakeoverCallout run={run} />
      <div className="run-summary panel">
        <div className="run-status-line">
          <span data-testid="run-status" data-status={run.status}>
            <StateBadge state={run.status} />
          </span>
          <PhaseStepper run={run} />
        </div>
        <StepProgress run={run} />
        {run.status === 'waiting-approval' && (
          <p className="callout" role="status">
            This run waits for an approval decision.
          </p>
        )}
        <dl className="facts">
          <div className="fact">
            <dt>Kind</dt>
            <dd>{run.kind}</dd>
          </div>
          <div className="fact">
            <dt>Attempt</dt>
            <dd>
              {run.attempt}
              {run.retryOf && (
                <>
                  {' '}
                  (retry of <a href={href.run(run.retryOf)}>{run.retryOf}</a>)
                </>
              )}
            </dd>
          </div>
          <div className="fact">
            <dt>Started</dt>
            <dd>{formatDate(run.startedAt)}</dd>
          </div>
          <div className="fact">
            <dt>Duration</dt>
            <dd>{formatDuration(run.startedAt, run.endedAt)}</dd>
          </div>
          {run.trackId && (
            <div className="fact">
              <dt>Track</dt>
              <dd>
                <a href={href.trackRuns(run.trackId)}>{run.trackId}</a>
              </dd>
            </div>
          )}
          {run.error && (
            <div className="fact tone-text-bad">
              <dt>Error</dt>
              <dd data-testid="run-error">{run.error}</dd>
            </div>
          )}
        </dl>
        <PolicyVerdict run={run} />
        <RunActions run={run} />
      </div>
      <EventTimeline runId={run.id} />
      <h2>Artifacts</h2>
      {artifacts.length === 0 ? <Empty>No artifacts yet.</Empty> : <ArtifactGallery artifacts={artifacts} />}
    </>
  )
}
