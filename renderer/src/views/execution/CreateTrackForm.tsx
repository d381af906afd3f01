// New track: the fields an operator needs to hand work over, plus optional first steps
// (one per line) so a plan can be typed in one go.
import { useState, type FormEvent } from 'react'
import { FormError, TextArea, TextField } from '../../components/Field'
import { useAction } from '../../lib/useAction'
import { notify } from '../../stores/notices'
import { createTrack } from '../../stores/tracks'

export function CreateTrackForm({ onClose }: { onClose: () => void }) {
  const [f, setF] = useState({ title: '', objective: '', owner: '', due: '', nextAction: '', steps: '' })
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF((p) => ({ ...p, [k]: e.target.value }))
  const create = useAction(
    () =>
      createTrack({
        title: f.title,
        objective: f.objective || null,
        owner: f.owner || null,
        due: f.due || null,
        nextAction: f.nextAction || null,
        steps: f.steps
          .split('\n')
          .map((s) => s.trim())
          .filter(Boolean)
          .map((title) => ({ title, owner: f.owner || null })),
      }),
    { announce: false },
  )

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (await create.run()) {
      notify(`Track “${f.title}” created`)
      onClose()
    }
  }

  return (
    <form className="panel create-track" aria-labelledby="create-track-title" onSubmit={(e) => void submit(e)}>
      <h2 id="create-track-title">New track</h2>
      <div className="form-grid">
        <TextField label="Title" value={f.title} onChange={set('title')} required maxLength={200} autoFocus />
        <TextField label="Owner" value={f.owner} onChange={set('owner')} maxLength={100} />
        <TextField label="Due" type="date" value={f.due} onChange={set('due')} />
        <TextField label="Next action" value={f.nextAction} onChange={set('nextAction')} maxLength={500} />
        <TextArea label="Objective" value={f.objective} onChange={set('objective')} rows={2} maxLength={2000} />
        <TextArea
          label="Steps"
          hint="Optional: one step per line, in order."
          value={f.steps}
          onChange={set('steps')}
          rows={3}
        />
      </div>
      <FormError error={create.error} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={create.pending}>
          Create track
        </button>
        <button type="button" className="ghost" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  )
}
