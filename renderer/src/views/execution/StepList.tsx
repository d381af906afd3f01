// Step continuity: the ordered steps, each with its state (changeable in place), owner and note.
import { useState, type FormEvent } from 'react'
import { STEP_STATES, type StepState, type Track } from '@shared/domain'
import { Disclosure } from '../../components/Disclosure'
import { StepNeedAction } from '../../components/NeedsYou'
import { FormError, TextField } from '../../components/Field'
import { useAction } from '../../lib/useAction'
import { addStep, updateStep } from '../../stores/tracks'
import { StartFlowForm } from './StartFlowForm'
import { StepMenu } from './StepMenu'
import { StepRuns } from './StepRuns'

export function StepList({ track }: { track: Track }) {
  const headingId = `track-${track.id}-steps`
  return (
    <div className="card-section area-steps" role="group" aria-labelledby={headingId}>
      <h3 id={headingId}>Steps</h3>
      {track.steps.length === 0 ? (
        <p className="muted small">No steps yet.</p>
      ) : (
        <ol className="steps">
          {track.steps.map((s, i) => (
            <StepRow key={s.id} track={track} index={i} step={s} />
          ))}
        </ol>
      )}
      <Disclosure label="Add step" accessibleLabel={`Add step to ${track.title}`}>
        {(close) => <AddStepForm trackId={track.id} onClose={close} />}
      </Disclosure>
    </div>
  )
}

function StepRow({ track, index, step }: { track: Track; index: number; step: Track['steps'][number] }) {
  const trackId = track.id
  const change = useAction((state: StepState) => updateStep(trackId, step.id, { state }))
  // The value chosen, shown until its save answers: a controlled select would otherwise snap
  // back to the stored state, and a second arrow key press would start from the old value.
  const [chosen, setChosen] = useState<StepState | null>(null)
  const [starting, setStarting] = useState(false)
  return (
    <li className={`step state-${step.state}`} data-testid="step-row" data-state={step.state}>
      <span className="step-ord" aria-hidden="true">
        {index + 1}
      </span>
      <div className="step-main">
        <span className="step-title">
          {step.title}
          {!step.core && <span className="tag">optional</span>}
        </span>
        <span className="muted small">
          {step.owner ?? 'unassigned'}
          {step.note ? ` · ${step.note}` : ''}
        </span>
      </div>
      <select
        className="compact"
        aria-label={`State of step ${step.title}`}
        value={chosen ?? step.state}
        onChange={(e) => {
          const next = e.target.value as StepState
          setChosen(next)
          void change.run(next).finally(() => setChosen((cur) => (cur === next ? null : cur)))
        }}
      >
        {STEP_STATES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      <StepMenu trackId={trackId} stepTitle={step.title} onStartFlow={() => setStarting(true)} />
      {starting && (
        <div className="step-extra">
          <StartFlowForm trackId={trackId} stepId={step.id} stepTitle={step.title} onClose={() => setStarting(false)} />
        </div>
      )}
      <StepRuns track={track} step={step} />
      <StepNeedAction stepId={step.id} />
    </li>
  )
}

function AddStepForm({ trackId, onClose }: { trackId: string; onClose: () => void }) {
  const [title, setTitle] = useState('')
  const [owner, setOwner] = useState('')
  const [note, setNote] = useState('')
  const [core, setCore] = useState(true)
  const add = useAction(() => addStep(trackId, { title, owner: owner || null, note: note || null, core }), {
    announce: false,
  })

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    // Stay open and clear the title: steps usually come several at a time.
    if (await add.run()) {
      setTitle('')
      setNote('')
    }
  }
  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)} aria-label="Add step">
      <TextField
        label="Step title"
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        required
        maxLength={200}
        autoFocus
      />
      <TextField label="Owner" value={owner} onChange={(e) => setOwner(e.target.value)} maxLength={100} />
      <TextField label="Note" value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
      <label className="check">
        <input type="checkbox" checked={core} onChange={(e) => setCore(e.target.checked)} /> Core step (counts toward
        progress)
      </label>
      <FormError error={add.error} />
      <div className="form-actions">
        <button type="submit" className="primary small" disabled={add.pending || !title.trim()}>
          Add step
        </button>
        <button type="button" className="ghost small" onClick={onClose}>
          Done
        </button>
      </div>
    </form>
  )
}
