// The checkpoint lane: the gates a track passes, left to right, each with kind, owner,
// note and a state the operator can move in place.
import { useState, type FormEvent } from 'react'
import {
  CHECKPOINT_KINDS,
  CHECKPOINT_STATES,
  type CheckpointKind,
  type CheckpointState,
  type Track,
} from '@shared/domain'
import { Disclosure } from '../../components/Disclosure'
import { FormError, SelectField, TextField } from '../../components/Field'
import { toneOf } from '../../components/StateBadge'
import { useAction } from '../../lib/useAction'
import { addCheckpoint, updateCheckpoint } from '../../stores/tracks'

export function CheckpointLane({ track }: { track: Track }) {
  const headingId = `track-${track.id}-checkpoints`
  return (
    <div className="card-section area-lane" role="group" aria-labelledby={headingId}>
      <h3 id={headingId}>Checkpoints</h3>
      {track.checkpoints.length === 0 ? (
        <p className="muted small">No checkpoints yet.</p>
      ) : (
        <ol className="lane">
          {track.checkpoints.map((c) => (
            <CheckpointItem key={c.id} trackId={track.id} checkpoint={c} />
          ))}
        </ol>
      )}
      <Disclosure label="Add checkpoint" accessibleLabel={`Add checkpoint to ${track.title}`}>
        {(close) => <AddCheckpointForm trackId={track.id} onClose={close} />}
      </Disclosure>
    </div>
  )
}

function CheckpointItem({ trackId, checkpoint: c }: { trackId: string; checkpoint: Track['checkpoints'][number] }) {
  const change = useAction((state: CheckpointState) => updateCheckpoint(trackId, c.id, { state }))
  return (
    <li className={`checkpoint tone-edge-${toneOf(c.state)}`} data-testid="checkpoint-row" data-state={c.state}>
      <span className="checkpoint-title">{c.title}</span>
      <span className="muted small">
        <span className="tag">{c.kind}</span> {c.owner ?? 'unassigned'}
      </span>
      {c.note && <span className="small">{c.note}</span>}
      <select
        className="compact"
        aria-label={`State of checkpoint ${c.title}`}
        value={c.state}
        onChange={(e) => void change.run(e.target.value as CheckpointState)}
      >
        {CHECKPOINT_STATES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </li>
  )
}

function AddCheckpointForm({ trackId, onClose }: { trackId: string; onClose: () => void }) {
  const [title, setTitle] = useState('')
  const [kind, setKind] = useState<CheckpointKind>('review')
  const [owner, setOwner] = useState('')
  const [note, setNote] = useState('')
  const add = useAction(() => addCheckpoint(trackId, { title, kind, owner: owner || null, note: note || null }), {
    announce: false,
  })

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (await add.run()) {
      setTitle('')
      setNote('')
    }
  }
  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)} aria-label="Add checkpoint">
      <TextField
        label="Checkpoint title"
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        required
        maxLength={200}
        autoFocus
      />
      <SelectField
        label="Kind"
        options={CHECKPOINT_KINDS}
        value={kind}
        onChange={(e) => setKind(e.target.value as CheckpointKind)}
      />
      <TextField label="Owner" value={owner} onChange={(e) => setOwner(e.target.value)} maxLength={100} />
      <TextField label="Note" value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
      <FormError error={add.error} />
      <div className="form-actions">
        <button type="submit" className="primary small" disabled={add.pending || !title.trim()}>
          Add checkpoint
        </button>
        <button type="button" className="ghost small" onClick={onClose}>
          Done
        </button>
      </div>
    </form>
  )
}
