// Starts a registered flow for one step of a track: the run is linked to the track and the
// step, so the card's counts and state follow it, and the step (now active) lists the run.
// "With parameters…" hands the same choice to the New run dialog, which asks for them.
import { useEffect, useState, type FormEvent } from 'react'
import { FormError } from '../../components/Field'
import { href } from '../../lib/route'
import { useAction } from '../../lib/useAction'
import { flows, useFlows } from '../../stores/flows'
import { openLauncher } from '../../stores/launcher'
import { call } from '../../api/client'
import { refreshTrack } from '../../stores/tracks'

export function StartFlowForm({
  trackId,
  stepId,
  stepTitle,
  onClose,
}: {
  trackId: string
  stepId: string
  stepTitle: string
  onClose: () => void
}) {
  const { data, status, error } = useFlows()
  const [flowId, setFlowId] = useState('')
  useEffect(() => {
    void flows.load()
  }, [])
  const start = useAction(
    async () => {
      await call('createRun', { body: { flowId: flowId || data?.[0]?.id || '', trackId, stepId, onFailure: 'assist' } })
      // The step (now active) lists the run at once; the stream keeps its status current.
      await refreshTrack(trackId)
    },
    { announce: false },
  )
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (await start.run()) onClose()
  }
  const chosen = flowId || data?.[0]?.id || ''
  return (
    <form
      className="inline-form start-flow"
      aria-label={`Start a flow for step ${stepTitle}`}
      onSubmit={(e) => void submit(e)}
    >
      {data === null ? (
        <p className="muted small">{status === 'error' ? error : 'Loading flows…'}</p>
      ) : data.length === 0 ? (
        <p className="muted small">
          No flows registered yet. <a href={href.flows}>Add one in Flows</a>.
        </p>
      ) : (
        <div className="field">
          <label htmlFor={`flow-for-${stepId}`}>Flow</label>
          <select id={`flow-for-${stepId}`} value={chosen} autoFocus onChange={(e) => setFlowId(e.target.value)}>
            {data.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <FormError error={start.error} />
      <div className="form-actions">
        <button type="submit" className="primary small" disabled={!chosen || start.pending}>
          {start.pending ? 'Starting…' : 'Start run'}
        </button>
        <button
          type="button"
          className="small"
          disabled={!chosen}
          onClick={() => {
            openLauncher({ flowId: chosen, trackId, stepId })
            onClose()
          }}
        >
          With parameters…
        </button>
        <button type="button" className="ghost small" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  )
}
