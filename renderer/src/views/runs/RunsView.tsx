// All runs, newest as the server orders them, in a virtual list so a workspace with tens
// of thousands of runs scrolls as smoothly as one with ten. The filters are the address's.
import { useCallback, useEffect } from 'react'
import type { Run } from '@shared/domain'
import { NeedsYouAction } from '../../components/NeedsYou'
import { StateBadge } from '../../components/StateBadge'
import { ResourceView } from '../../components/Status'
import { VirtualList } from '../../components/VirtualList'
import { formatDate, formatDuration } from '../../lib/format'
import { href, type RunsFilter } from '../../lib/route'
import { loadMoreRuns, runs, setRunsFilter, useRuns } from '../../stores/runs'
import { useTracks } from '../../stores/tracks'
import { RunsFilterBar } from './RunsFilterBar'

export function RunsView({ filter }: { filter: RunsFilter }) {
  const { data, status, error } = useRuns()
  const trackTitle = useTracks((s) => (filter.trackId ? s.byId[filter.trackId]?.title : undefined))
  useEffect(() => {
    setRunsFilter(filter)
  }, [filter])
  const more = useCallback(() => loadMoreRuns(), [])
  const filtered = Object.values(filter).some(Boolean)

  return (
    <section className="view" aria-labelledby="runs-title">
      <div className="view-head">
        <h1 id="runs-title" tabIndex={-1}>
          Runs
        </h1>
      </div>
      {/* Keyed by the address's text so Back or a link resets the search box to it. */}
      <RunsFilterBar key={filter.q ?? ''} filter={filter} />
      {filter.trackId && (
        <p className="callout" data-testid="runs-track-callout">
          Runs of track “{trackTitle ?? filter.trackId}”. <a href={href.runs}>Show all runs</a>
        </p>
      )}
      <ResourceView
        status={status}
        error={error}
        data={data}
        what="Runs"
        isEmpty={(d) => d.items.length === 0}
        empty={
          filtered ? (
            <p>No runs match these filters.</p>
          ) : (
            <p>No runs yet. Start one from a flow or with `opdesk run`.</p>
          )
        }
        onRetry={() => void runs.load()}
      >
        {(d) => (
          <>
            <p className="muted small" data-testid="runs-count">
              Showing {d.items.length} of {d.total}
            </p>
            <div className="run-header" aria-hidden="true">
              <span>Run</span>
              <span>Status</span>
              <span>Flow</span>
              <span>Track / step</span>
              <span>Started</span>
              <span>Duration</span>
            </div>
            <VirtualList
              items={d.items}
              estimate={44}
              getKey={(r) => r.id}
              label="Run list"
              onNearEnd={more}
              render={(r) => <RunRow run={r} />}
            />
          </>
        )}
      </ResourceView>
    </section>
  )
}

export function runTitle(r: Run): string {
  return r.flowName ?? r.command ?? r.id
}

function RunRow({ run: r }: { run: Run }) {
  return (
    <div className="run-row-wrap">
      <RunLink run={r} />
      <NeedsYouAction runId={r.id} />
    </div>
  )
}

/** Track and step in words ("Invoices › Export"), or a dash for an unlinked run. */
function trackStep(r: Run): string {
  if (!r.trackId) return '—'
  const track = r.trackTitle ?? r.trackId
  return r.stepId ? `${track} › ${r.stepTitle ?? r.stepId}` : track
}

function RunLink({ run: r }: { run: Run }) {
  return (
    <a className="run-row" data-testid="run-row" data-run-id={r.id} data-track-id={r.trackId ?? ''} href={href.run(r.id)}>
      <span className="run-name">
        <span className="tag">{r.kind}</span> {r.kind === 'command' ? (r.command ?? r.id) : r.id}
        {r.attempt > 1 && <span className="muted small"> · attempt {r.attempt}</span>}
      </span>
      <span data-testid="run-status" data-status={r.status}>
        <StateBadge state={r.status} />
        {r.resolution && <span className="muted small"> · {r.resolution.how}</span>}
      </span>
      <span className="run-cell" data-testid="run-flow">
        {r.flowName ?? '—'}
      </span>
      <span className="run-cell" data-testid="run-track">
        {trackStep(r)}
      </span>
      <span className="muted small">{formatDate(r.startedAt ?? r.createdAt)}</span>
      <span className="muted small" data-testid="run-duration">
        {formatDuration(r.startedAt, r.endedAt)}
      </span>
    </a>
  )
}
