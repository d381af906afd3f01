// Optionally link the run to a track and one of its steps, so the track's state and the
// step follow the run (as starting from a step's menu does).
import { useTracks } from '../../stores/tracks'

export function TrackStepFields({
  trackId,
  stepId,
  onChange,
}: {
  trackId: string
  stepId: string
  onChange: (v: { trackId: string; stepId: string }) => void
}) {
  const ids = useTracks((s) => s.ids)
  const byId = useTracks((s) => s.byId)
  const track = trackId ? byId[trackId] : undefined
  return (
    <div className="launcher-link">
      <div className="field">
        <label htmlFor="new-run-track">Track (optional)</label>
        <select id="new-run-track" value={trackId} onChange={(e) => onChange({ trackId: e.target.value, stepId: '' })}>
          <option value="">None</option>
          {ids.map((id) => (
            <option key={id} value={id}>
              {byId[id]?.title ?? id}
            </option>
          ))}
        </select>
      </div>
      {track && (
        <div className="field">
          <label htmlFor="new-run-step">Step (optional)</label>
          <select id="new-run-step" value={stepId} onChange={(e) => onChange({ trackId, stepId: e.target.value })}>
            <option value="">None</option>
            {track.steps.map((s) => (
              <option key={s.id} value={s.id}>
                {s.ordinal}. {s.title}
              </option>
            ))}
          </select>
        </div>
      )}
    </div>
  )
}
