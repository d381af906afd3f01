// The per-flow numbers as a table: the exact values, and the text alternative of the charts.
import type { FlowAnalyticsRow } from '@shared/api'
import { formatMs, percent } from '../../lib/format'

const COLUMNS = [
  'Flow',
  'Runs',
  'Success rate',
  'Median duration',
  'p90 duration',
  'Takeovers per run',
  'Mean wait for a person',
  'Retries',
] as const

export function FlowTable({ rows }: { rows: FlowAnalyticsRow[] }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="flow-table-caption">
      <table className="data-table" data-testid="analytics-flows">
        <caption id="flow-table-caption">
          Flows by number of runs. Success rate counts finished runs; durations run from start to end.
        </caption>
        <thead>
          <tr>
            {COLUMNS.map((c, i) => (
              <th key={c} scope="col" className={i === 0 ? undefined : 'num'}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.flowName} data-testid="analytics-flow-row" data-flow={r.flowName}>
              <th scope="row">{r.flowName}</th>
              <td className="num" data-col="runs">
                {r.runs}
                <span className="muted small">
                  {' '}
                  ({r.succeeded} ok, {r.failed} failed)
                </span>
              </td>
              <td className="num" data-col="success">
                {percent(r.successRate)}
              </td>
              <td className="num" data-col="median">
                {formatMs(r.medianDurationMs)}
              </td>
              <td className="num" data-col="p90">
                {formatMs(r.p90DurationMs)}
              </td>
              <td className="num" data-col="takeovers">
                {r.takeoversPerRun.toFixed(2)}
              </td>
              <td className="num" data-col="wait">
                {formatMs(r.meanWaitMs)}
              </td>
              <td className="num" data-col="retries">
                {r.retries}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
