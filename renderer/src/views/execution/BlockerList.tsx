// Open blockers with a Resolve button; resolved ones are kept as a count (history, not noise).
import { useState, type FormEvent } from 'react'
import type { Track } from '@shared/domain'
import { Disclosure } from '../../components/Disclosure'
import { FormError, TextField } from '../../components/Field'
import { useAction } from '../../lib/useAction'
import { addBlocker, updateBlocker } from '../../stores/tracks'

export function BlockerList({ track }: { track: Track }) {
  const headingId = `track-${track.id}-blockers`
  const open = track.blockers.filter((b) => b.open)
  const resolved = track.blockers.length - open.length
  return (
    <div className="card-section area-blockers" role="group" aria-labelledby={headingId}>
      <h3 id={headingId}>Blockers</h3>
      {open.length === 0 ? (
        <p className="muted small">No open blockers.</p>
      ) : (
        <ul className="blockers">
          {open.map((b) => (
            <BlockerRow key={b.id} trackId={track.id} blocker={b} />
          ))}
        </ul>
      )}
      {resolved > 0 && <p className="muted small">{resolved} resolved</p>}
      <Disclosure label="Add blocker" accessibleLabel={`Add blocker to ${track.title}`}>
        {(close) => <AddBlockerForm trackId={track.id} onClose={close} />}
      </Disclosure>
    </div>
  )
}

function BlockerRow({ trackId, blocker: b }: { trackId: string; blocker: Track['blockers'][number] }) {
  const resolve = useAction(() => updateBlocker(trackId, b.id, { open: false }))
  return (
    <li className="blocker" data-testid="blocker-row">
      <div className="blocker-main">
        <span className="blocker-title">{b.title}</span>
        <span className="muted small">
          {b.owner ?? 'unassigned'}
          {b.note ? ` · ${b.note}` : ''}
        </span>
      </div>
      <button
        type="button"
        className="small"
        disabled={resolve.pending}
        aria-label={`Resolve blocker: ${b.title}`}
        onClick={() => void resolve.run()}
      >
        Resolve
      </button>
    </li>
  )
}

function AddBlockerForm({ trackId, onClose }: { trackId: string; onClose: () => void }) {
  const [title, setTitle] = useState('')
  const [owner, setOwner] = useState('')
  const [note, setNote] = useState('')
  const add = useAction(() => addBlocker(trackId, { title, owner: owner || null, note: note || null }), {
    announce: false,
  })

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (await add.run()) onClose()
  }
  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)} aria-label="Add blocker">
      <TextField
        label="Blocker"
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        required
        maxLength={200}
        autoFocus
      />
      <TextField label="Owner" value={owner} onChange={(e) => setOwner(e.target.value)} maxLength={100} />
      <TextField label="Note" value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
      <FormError error={add.error} />
      <div className="form-actions">
        <button type="submit" className="primary small" disabled={add.pending || !title.trim()}>
          Add blocker
        </button>
        <button type="button" className="ghost small" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  )
}
