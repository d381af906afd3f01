// Two charts over the per-flow numbers: outcomes (stacked runs) and durations (median and
// p90). Colours come from the theme's variables so both themes keep their contrast; the
// table under the charts carries the same numbers as text.
import type { FlowAnalyticsRow } from '@shared/api'
import type { ReactNode } from 'react'
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts'
import { formatMs } from '../../lib/format'
import { useThemeColors } from '../../lib/useThemeColors'

const COLOURS = ['good-fg', 'bad-fg', 'muted', 'accent', 'wait-fg', 'text', 'border', 'surface'] as const
/** Long flow names would squeeze the plot; the full name is in the tooltip and the table. */
const short = (s: string) => (s.length > 22 ? `${s.slice(0, 21)}…` : s)

function ChartFigure({
  id,
  title,
  summary,
  children,
}: {
  id: string
  title: string
  summary: string
  children: ReactNode
}) {
  return (
    <figure
      className="chart panel"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-desc`}
      data-testid="analytics-chart"
    >
      <figcaption id={`${id}-title`} className="chart-title">
        {title}
      </figcaption>
      <p id={`${id}-desc`} className="visually-hidden">
        {summary}
      </p>
      {children}
    </figure>
  )
}

export function FlowCharts({ rows }: { rows: FlowAnalyticsRow[] }) {
  const c = useThemeColors(COLOURS)
  const data = rows.slice(0, 12).map((r) => ({
    name: short(r.flowName),
    full: r.flowName,
    succeeded: r.succeeded,
    failed: r.failed,
    other: r.runs - r.succeeded - r.failed,
    median: r.medianDurationMs === null ? null : r.medianDurationMs / 1000,
    p90: r.p90DurationMs === null ? null : r.p90DurationMs / 1000,
  }))
  const height = Math.max(160, 46 * data.length + 70)
  const axis = { stroke: c.border, tick: { fill: c.muted, fontSize: 12 } }
  const tooltip = {
    contentStyle: { background: c.surface, border: `1px solid ${c.border}`, color: c.text, borderRadius: 6 },
    labelStyle: { color: c.text, fontWeight: 600 },
    itemStyle: { color: c.text },
    cursor: { fill: c.border, opacity: 0.35 },
    labelFormatter: (_: unknown, payload: readonly { payload?: { full?: string } }[]) =>
      payload[0]?.payload?.full ?? '',
  }
  // itemSorter null: the legend keeps the order of the bars (outcome order), not the alphabet.
  const legend = { wrapperStyle: { color: c.text, fontSize: 13 }, itemSorter: null }
  const more = rows.length > data.length ? ` Showing the ${data.length} flows with the most runs.` : ''
  return (
    <div className="charts">
      <ChartFigure
        id="chart-outcomes"
        title="Runs by outcome"
        summary={`Stacked bars per flow: succeeded, failed and other (canceled, blocked, still going).${more} The table below lists the numbers.`}
      >
        <BarChart
          data={data}
          layout="vertical"
          responsive
          style={{ width: '100%', height }}
          margin={{ left: 8, right: 16 }}
        >
          <CartesianGrid stroke={c.border} strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} {...axis} />
          <YAxis type="category" dataKey="name" width={150} {...axis} />
          <Tooltip {...tooltip} />
          <Legend {...legend} />
          <Bar dataKey="succeeded" name="Succeeded" stackId="o" fill={c['good-fg']} />
          <Bar dataKey="failed" name="Failed" stackId="o" fill={c['bad-fg']} />
          <Bar dataKey="other" name="Other" stackId="o" fill={c.muted} />
        </BarChart>
      </ChartFigure>
      <ChartFigure
        id="chart-durations"
        title="Duration (seconds)"
        summary={`Median and 90th percentile run duration per flow, in seconds.${more} The table below lists the numbers.`}
      >
        <BarChart
          data={data}
          layout="vertical"
          responsive
          style={{ width: '100%', height }}
          margin={{ left: 8, right: 16 }}
        >
          <CartesianGrid stroke={c.border} strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" {...axis} />
          <YAxis type="category" dataKey="name" width={150} {...axis} />
          <Tooltip {...tooltip} formatter={(v) => formatMs(Number(v) * 1000)} />
          <Legend {...legend} />
          <Bar dataKey="median" name="Median" fill={c.accent} />
          <Bar dataKey="p90" name="p90" fill={c['wait-fg']} />
        </BarChart>
      </ChartFigure>
    </div>
  )
}
