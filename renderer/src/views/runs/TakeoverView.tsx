// Takeover: a person completes the MFA/login prompt of a waiting run in its live page, then
// resumes it. The run's own status comes from the API (and the stream); the live page and
// the input lease from the takeover socket.
import { useEffect, useRef } from 'react'
import { StateBadge } from '../../components/StateBadge'
import { ErrorMsg, Loading, Unavailable } from '../../components/Status'
import { formatDate } from '../../lib/format'
import { href } from '../../lib/route'
import { useAction } from '../../lib/useAction'
import { closeRun, openRun, refreshRun, runAction, useRunDetail } from '../../stores/runs'
import { useTakeover } from '../../takeover/useTakeover'
import { DialogOverlay, SelectOverlay } from './TakeoverOverlays'
import { TakeoverScreen } from './TakeoverScreen'

export function TakeoverView({ runId }: { runId: string }) {
  const { run, status, error } = useRunDetail()
  useEffect(() => {
    void openRun(runId)
    return closeRun
  }, [runId])
  const waiting = run?.status === 'waiting-mfa'
  const tk = useTakeover(runId, !!run && waiting)
  const resume = useAction(async () => {
    await runAction(runId, 'resume')
    await refreshRun(runId)
  })
  const resumeRef = useRef<HTMLButtonElement>(null)
  const live = !!tk.status?.live && waiting

  return (
    <section className="view takeover" aria-labelledby="takeover-title">
      <p>
        <a href={href.run(runId)}>← Run details</a>
      </p>
      <h1 id="takeover-title" tabIndex={-1}>
        Takeover{run?.flowName ? `: ${run.flowName}` : ''}
      </h1>
      {status === 'unavailable' ? (
        <Unavailable what="Runs" />
      ) : status === 'error' && !run ? (
        <ErrorMsg message={error ?? 'Could not load the run'} onRetry={() => void openRun(runId)} />
      ) : !run ? (
        <Loading what="the run" />
      ) : (
        <>
          <div className="takeover-bar panel">
            <p data-testid="takeover-status" data-status={run.status} data-live={live ? 'true' : 'false'} role="status">
              <StateBadge state={run.status} /> {describe(run.status, live, tk.socket, tk.hasLease, tk.status?.leaseBy ?? null, !!tk.status?.lease)}
            </p>
            {tk.status?.url && <p className="muted small takeover-url">{tk.status.url}</p>}
            {tk.status?.timeoutAt && <p className="muted small">Times out at {formatDate(tk.status.timeoutAt)}</p>}
            <div className="form-actions">
              {live && (
                <button type="button" onClick={() => tk.setLease(!tk.hasLease)}>
                  {tk.hasLease ? 'Release control' : 'Take control'}
                </button>
              )}
              <button
                ref={resumeRef}
                type="button"
                className="primary"
                data-testid="takeover-resume"
                disabled={!waiting || resume.pending}
                onClick={() => void resume.run()}
              >
                Resume run
              </button>
            </div>
            {tk.error && live && (
              <p className="form-error" role="alert">
                {tk.error}
              </p>
            )}
          </div>
          {tk.socket === 'unsupported' ? (
            <Unavailable what="Live takeovers in this window" />
          ) : waiting ? (
            <>
              <p className="muted small">Click into the page to type. Keys, clicks, scrolling and paste go to the page; Shift+Escape leaves it.</p>
              <TakeoverScreen
                viewport={tk.status?.viewport ?? null}
                live={live}
                send={tk.send}
                ensureLease={tk.ensureLease}
                onRelease={() => resumeRef.current?.focus()}
                register={tk.registerScreen}
              />
              {tk.dialog && <DialogOverlay key={tk.dialog.id} dialog={tk.dialog} send={tk.send} />}
              {tk.select && <SelectOverlay key={tk.select.id} select={tk.select} send={tk.send} />}
            </>
          ) : (
            <p className="callout">
              {run.status === 'waiting-approval' ? (
                <>
                  This run waits for an approval, not a login: decide it in <a href={href.approvals}>Approvals</a>.
                </>
              ) : (
                <>
                  This run is not waiting for a person. <a href={href.run(runId)}>See its events and evidence</a>.
                </>
              )}
            </p>
          )}
        </>
      )}
    </section>
  )
}

function describe(runStatus: string, live: boolean, socket: string, mine: boolean, leaseBy: string | null, leased: boolean): string {
  if (runStatus !== 'waiting-mfa') return runStatus === 'running' ? 'Resumed: the run continues.' : `The run is ${runStatus}.`
  if (socket === 'connecting' || socket === 'retrying') return 'Waiting for a person. Connecting to the live page…'
  if (!live) return 'Waiting for a person. Starting the live page…'
  if (mine) return 'Waiting for a person. You have control.'
  if (leased) return `Waiting for a person. ${leaseBy ?? 'Another operator'} has control.`
  return 'Waiting for a person. Live: click into the page to take control.'
}
