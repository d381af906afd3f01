// All runs, newest as the server orders them, in a virtual list so a workspace with tens
// of thousands of runs scrolls as smoothly as one with ten.
import { useCallback, useEffect } from 'react'
import { RUN_STATUSES, type Run, type RunStatus } from '@shared/domain'
import { SelectField } from '../../components/Field'
import { NeedsYouAction } from '../../components/NeedsYou'
import { StateBadge } from '../../components/StateBadge'
import { ResourceView } from '../../components/Status'
import { VirtualList } from '../../components/VirtualList'
import { formatDate } from '../../lib/format'
import { href } from '../../lib/route'
import { loadMoreRuns, runs, setRunStatusFilter, setRunTrackFilter, useRunFilter, useRuns } from '../../stores/runs'
import { useTracks } from '../../stores/tracks'

export function RunsView({ trackId }: { trackId?: string }) {
  const { data, status, error } = useRuns()
  const filter = useRunFilter((s) => s.status)
  const trackTitle = useTracks((s) => (trackId ? s.byId[trackId]?.title : undefined))
  useEffect(() => {
    setRunTrackFilter(trackId ?? null)
  }, [trackId])
  const more = useCallback(() => loadMoreRuns(), [])

  return (
    <section className="view" aria-labelledby="runs-title">
      <div className="view-head">
        <h1 id="runs-title" tabIndex={-1}>
          Runs
        </h1>
        <SelectField
          label="Status"
          options={RUN_STATUSES}
          value={filter}
          onChange={(e) => setRunStatusFilter(e.target.value as RunStatus | 'all')}
        >
          <option value="all">all</option>
        </SelectField>
      </div>
      {trackId && (
        <p className="callout">
          Runs of track “{trackTitle ?? trackId}”. <a href={href.runs}>Show all runs</a>
        </p>
      )}
      <ResourceView
        status={status}
        error={error}
        data={data}
        what="Runs"
        isEmpty={(d) => d.items.length === 0}
        empty={
          <p>
            No runs{filter === 'all' ? ' yet' : ` with status ${filter}`}. Start one from a flow or with `opdesk run`.
          </p>
        }
        onRetry={() => void runs.load()}
      >
        {(d) => (
          <>
            <p className="muted small">
              Showing {d.items.length} of {d.total}
            </p>
            <div className="run-header" aria-hidden="true">
              <span>Run</span>
              <span>Status</span>
              <span>Phase</span>
              <span>Created</span>
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

function RunLink({ run: r }: { run: Run }) {
  return (
    <a className="run-row" data-testid="run-row" data-run-id={r.id} href={href.run(r.id)}>
      <span className="run-name">
        <span className="tag">{r.kind}</span> {runTitle(r)}
        {r.attempt > 1 && <span className="muted small"> · attempt {r.attempt}</span>}
      </span>
      <span data-testid="run-status" data-status={r.status}>
        <StateBadge state={r.status} />
      </span>
      <span className="muted small">{r.phase}</span>
      <span className="muted small">{formatDate(r.createdAt)}</span>
    </a>
  )
}
