// Edit a track's own fields in place; deleting asks once more because it cannot be undone.
import { useState, type FormEvent } from 'react'
import type { Track } from '@shared/domain'
import { FormError, TextArea, TextField } from '../../components/Field'
import { useAction } from '../../lib/useAction'
import { deleteTrack, updateTrack } from '../../stores/tracks'

export function EditTrackForm({ track, onClose }: { track: Track; onClose: () => void }) {
  const [f, setF] = useState({
    title: track.title,
    objective: track.objective ?? '',
    owner: track.owner ?? '',
    due: track.due?.slice(0, 10) ?? '',
    nextAction: track.nextAction ?? '',
    waitingOn: track.waitingOn ?? '',
  })
  const [confirmDelete, setConfirmDelete] = useState(false)
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF((p) => ({ ...p, [k]: e.target.value }))
  const save = useAction(
    () =>
      updateTrack(track.id, {
        title: f.title,
        objective: f.objective || null,
        owner: f.owner || null,
        due: f.due || null,
        nextAction: f.nextAction || null,
        waitingOn: f.waitingOn || null,
      }),
    { announce: false },
  )
  const remove = useAction(() => deleteTrack(track.id))

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (await save.run()) onClose()
  }

  return (
    <form className="inline-form edit-track" aria-label={`Edit ${track.title}`} onSubmit={(e) => void submit(e)}>
      <div className="form-grid">
        <TextField label="Title" value={f.title} onChange={set('title')} required maxLength={200} autoFocus />
        <TextField label="Owner" value={f.owner} onChange={set('owner')} maxLength={100} />
        <TextField label="Due" type="date" value={f.due} onChange={set('due')} />
        <TextField label="Next action" value={f.nextAction} onChange={set('nextAction')} maxLength={500} />
        <TextField label="Waiting on" value={f.waitingOn} onChange={set('waitingOn')} maxLength={200} />
        <TextArea label="Objective" value={f.objective} onChange={set('objective')} rows={2} maxLength={2000} />
      </div>
      <FormError error={save.error ?? remove.error} />
      <div className="form-actions">
        <button type="submit" className="primary small" disabled={save.pending}>
          Save
        </button>
        <button type="button" className="ghost small" onClick={onClose}>
          Cancel
        </button>
        <span className="spacer" />
        {confirmDelete ? (
          <>
            <button type="button" className="danger small" disabled={remove.pending} onClick={() => void remove.run()}>
              Delete “{track.title}” for good
            </button>
            <button type="button" className="ghost small" onClick={() => setConfirmDelete(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button type="button" className="ghost small" onClick={() => setConfirmDelete(true)}>
            Delete track…
          </button>
        )}
      </div>
    </form>
  )
}
