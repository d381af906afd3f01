import { percent } from '../lib/format'

export function ProgressBar({ value, label }: { value: number; label: string }) {
  const pct = Math.round(Math.max(0, Math.min(1, value)) * 100)
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
      aria-valuetext={percent(value)}
    >
      <div className="progress-fill" style={{ width: `${pct}%` }} />
    </div>
  )
}
