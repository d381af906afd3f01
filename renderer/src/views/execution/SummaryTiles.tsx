// Four fixed-size tiles; numbers change in place so a stream update never shifts the page.
import { percent } from '../../lib/format'
import { useSummary } from '../../stores/summary'

export function SummaryTiles() {
  const data = useSummary((s) => s.data)
  const error = useSummary((s) => s.error)
  const n = (v: number | undefined) => (v === undefined ? '–' : String(v))
  return (
    <section aria-label="Summary" className="tiles-wrap">
      <ul className="tiles">
        <Tile testId="summary-active" label="Active" value={n(data?.active)} tone="busy" />
        <Tile testId="summary-waiting" label="Waiting" value={n(data?.waiting)} tone="wait" />
        <Tile testId="summary-blocked" label="Blocked" value={n(data?.blocked)} tone="bad" />
        <Tile
          testId="summary-progress"
          label="Average progress"
          value={data ? percent(data.averageProgress) : '–'}
          tone="good"
          sub={data ? `${data.total} track${data.total === 1 ? '' : 's'}, ${data.done} done` : undefined}
        />
      </ul>
      {error && data && (
        <p className="muted small" role="status">
          Summary may be out of date: {error}
        </p>
      )}
    </section>
  )
}

function Tile({
  testId,
  label,
  value,
  tone,
  sub,
}: {
  testId: string
  label: string
  value: string
  tone: string
  sub?: string
}) {
  return (
    <li className={`tile tone-${tone}`} data-testid={testId}>
      <span className="tile-label">{label}</span>
      <span className="tile-value" data-testid={`${testId}-value`}>
        {value}
      </span>
      <span className="tile-sub">{sub ?? '\u00a0'}</span>
    </li>
  )
}
