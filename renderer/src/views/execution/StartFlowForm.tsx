// Starts a registered flow for one step of a track: the run is linked to the track and the
// step, so the card's counts and state follow it. The run then shows under the step.
// "With parameters…" hands the same choice to the New run dialog, which asks for them.
import { useEffect, useState, type FormEvent } from 'react'
import { FormError } from '../../components/Field'
import { StateBadge } from '../../components/StateBadge'
import { href } from '../../lib/route'
import { useAction } from '../../lib/useAction'
import { flows, useFlows } from '../../stores/flows'
import { openLauncher } from '../../stores/launcher'
import { startFlowFromStep, useStepRuns } from '../../stores/stepRuns'

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
  const start = useAction(() => startFlowFromStep(trackId, stepId, flowId || data?.[0]?.id || ''), { announce: false })
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

/** The run last started from this step, live, with a link to its detail. */
export function StepRun({ stepId }: { stepId: string }) {
  const run = useStepRuns((s) => s.byStep[stepId])
  if (!run) return null
  return (
    <p className="step-run small" role="status" data-testid="step-run" data-run-id={run.id} data-status={run.status}>
      Run <a href={href.run(run.id)}>{run.flowName ?? run.id}</a> <StateBadge state={run.status} />
    </p>
  )
}
