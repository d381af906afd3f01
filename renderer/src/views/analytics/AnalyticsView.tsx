// Analytics: how each flow is doing (charts, then the same numbers as a table) and which
// failures keep coming back. Loaded on demand (see App.tsx): it carries the chart library.
import { useEffect } from 'react'
import { ResourceView } from '../../components/Status'
import { failureStats, flowStats } from '../../stores/analytics'
import { FailureTable } from './FailureTable'
import { FlowCharts } from './FlowCharts'
import { FlowTable } from './FlowTable'

export default function AnalyticsView() {
  const flows = flowStats.use()
  const failures = failureStats.use()
  useEffect(() => {
    void flowStats.load()
    void failureStats.load()
    // Reset on leave: the stream only refreshes what a view on screen uses.
    return () => {
      flowStats.reset()
      failureStats.reset()
    }
  }, [])
  return (
    <section className="view" aria-labelledby="analytics-title">
      <div className="view-head">
        <h1 id="analytics-title" tabIndex={-1}>
          Analytics
        </h1>
      </div>
      <h2>Flows</h2>
      <ResourceView
        status={flows.status}
        error={flows.error}
        data={flows.data}
        what="Flow analytics"
        isEmpty={(d) => d.length === 0}
        empty={<p>No flow has run yet. Numbers appear here after the first browser run.</p>}
        onRetry={() => void flowStats.load()}
      >
        {(d) => (
          <>
            <FlowCharts rows={d} />
            <FlowTable rows={d} />
          </>
        )}
      </ResourceView>
      <h2>Failure patterns</h2>
      <ResourceView
        status={failures.status}
        error={failures.error}
        data={failures.data}
        what="Failure patterns"
        isEmpty={(d) => d.length === 0}
        empty={<p>No failed runs. Repeated failures are grouped here by their error.</p>}
        onRetry={() => void failureStats.load()}
      >
        {(d) => <FailureTable rows={d} />}
      </ResourceView>
    </section>
  )
}
