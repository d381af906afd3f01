// Takeover entry point. The live page stream (CDP screencast) belongs to the takeover
// session service, whose wire protocol is not in shared/api.ts yet; until it is, this view
// shows the run's state, links to the host's takeover page and offers Resume.
import { useEffect } from 'react'
import { StateBadge } from '../../components/StateBadge'
import { ErrorMsg, Loading, Unavailable } from '../../components/Status'
import { useAction } from '../../lib/useAction'
import { href } from '../../lib/route'
import { closeRun, openRun, refreshRun, runAction, useRunDetail } from '../../stores/runs'

export function TakeoverView({ runId }: { runId: string }) {
  const { run, status, error } = useRunDetail()
  useEffect(() => {
    void openRun(runId)
    return closeRun
  }, [runId])
  const resume = useAction(async () => {
    await runAction(runId, 'resume')
    await refreshRun(runId)
  })

  return (
    <section className="view" aria-labelledby="takeover-title">
      <p>
        <a href={href.run(runId)}>← Run details</a>
      </p>
      <h1 id="takeover-title" tabIndex={-1}>
        Takeover
      </h1>
      {status === 'unavailable' ? (
        <Unavailable what="Runs" />
      ) : status === 'error' && !run ? (
        <ErrorMsg message={error ?? 'Could not load the run'} onRetry={() => void openRun(runId)} />
      ) : !run ? (
        <Loading what="the run" />
      ) : (
        <div className="panel">
          <p data-testid="takeover-status" data-status={run.status}>
            Run status: <StateBadge state={run.status} />
          </p>
          {run.takeoverUrl ? (
            <p>
              <a href={run.takeoverUrl} target="_blank" rel="noreferrer">
                Open the live page
              </a>{' '}
              to complete the prompt, then resume.
            </p>
          ) : (
            <p className="muted">No live page is waiting for a person on this run.</p>
          )}
          <button type="button" className="primary" data-testid="takeover-resume" disabled={run.status !== 'waiting-mfa' || resume.pending} onClick={() => void resume.run()}>
            Resume
          </button>
        </div>
      )}
    </section>
  )
}
