// One run: who must act now, its phase and progress, the policy's verdict, its actions, its
// timeline (steps, waits, screenshots, output; the default tab), the append-only event log
// one click away (virtual, tailed live by sequence number) and what it produced.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
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
import { RunTimelineView } from './RunTimeline'
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
          {Object.keys(run.params).length > 0 && (
            <div className="fact" data-testid="run-params">
              <dt>Parameters</dt>
              <dd>
                {Object.entries(run.params).map(([k, v]) => (
                  <span key={k} className="run-param" data-param={k}>
                    {k} = {v === '' ? '(empty)' : v}{' '}
                  </span>
                ))}
              </dd>
            </div>
          )}
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
      <RunTabs runId={run.id} />
      <h2>Artifacts</h2>
      {artifacts.length === 0 ? <Empty>No artifacts yet.</Empty> : <ArtifactGallery artifacts={artifacts} />}
    </>
  )
}

const TABS = [
  { id: 'timeline', label: 'Timeline' },
  { id: 'events', label: 'Events' },
] as const
type Tab = (typeof TABS)[number]['id']

/** Timeline first; the raw events one click (or one arrow key) away. */
function RunTabs({ runId }: { runId: string }) {
  const [tab, setTab] = useState<Tab>('timeline')
  const refs = useRef<Record<Tab, HTMLButtonElement | null>>({ timeline: null, events: null })
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft' && e.key !== 'Home' && e.key !== 'End') return
    e.preventDefault()
    const i = TABS.findIndex((t) => t.id === tab)
    const next =
      e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : (i + (e.key === 'ArrowRight' ? 1 : -1) + TABS.length) % TABS.length
    const id = TABS[next]!.id
    setTab(id)
    refs.current[id]?.focus()
  }
  return (
    <section className="run-tabs" aria-label="Run history">
      <div role="tablist" aria-label="Run history" className="tabs" onKeyDown={onKey}>
        {TABS.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[t.id] = el
            }}
            type="button"
            role="tab"
            id={`run-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`run-panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            className="tab"
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`run-panel-${tab}`} aria-labelledby={`run-tab-${tab}`} className="tab-panel">
        {tab === 'timeline' ? <RunTimelineView /> : <EventTimeline runId={runId} />}
      </div>
    </section>
  )
}
