// The remote page's JS dialogs and native <select> popups never appear in a screencast,
// so the session hands them to us and we answer in our own accessible controls.
import { useState } from 'react'
import type { DialogInfo, SelectInfo, UpMessageIn } from '@shared/takeover'

export function DialogOverlay({ dialog, send }: { dialog: DialogInfo; send: (m: UpMessageIn) => void }) {
  const [text, setText] = useState(dialog.defaultValue)
  const answer = (accept: boolean) =>
    send({ type: 'dialog-answer', id: dialog.id, accept, ...(dialog.dialogType === 'prompt' && accept ? { text } : {}) })
  return (
    <div className="panel takeover-overlay" role="alertdialog" aria-labelledby="tk-dialog-title" aria-describedby="tk-dialog-msg">
      <h2 id="tk-dialog-title">The page asks ({dialog.dialogType})</h2>
      <p id="tk-dialog-msg">{dialog.message}</p>
      {dialog.dialogType === 'prompt' && (
        <div className="field">
          <label htmlFor="tk-dialog-text">Answer</label>
          <input id="tk-dialog-text" value={text} onChange={(e) => setText(e.target.value)} autoFocus />
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="primary" onClick={() => answer(true)} autoFocus={dialog.dialogType !== 'prompt'}>
          {dialog.dialogType === 'alert' ? 'OK' : 'Accept'}
        </button>
        {dialog.dialogType !== 'alert' && (
          <button type="button" onClick={() => answer(false)}>
            Dismiss
          </button>
        )}
      </div>
    </div>
  )
}

export function SelectOverlay({ select, send }: { select: SelectInfo; send: (m: UpMessageIn) => void }) {
  const [values, setValues] = useState(select.options.filter((o) => o.selected).map((o) => o.value))
  return (
    <div className="panel takeover-overlay" role="dialog" aria-labelledby="tk-select-title">
      <h2 id="tk-select-title">Choose {select.multiple ? 'options' : 'an option'} for the page</h2>
      <div className="field">
        <label htmlFor="tk-select">Options</label>
        <select
          id="tk-select"
          multiple={select.multiple}
          size={Math.min(10, Math.max(2, select.options.length))}
          value={select.multiple ? values : values[0] ?? ''}
          autoFocus
          onChange={(e) => setValues(Array.from(e.target.selectedOptions, (o) => o.value))}
        >
          {select.options.map((o) => (
            <option key={o.value} value={o.value} disabled={o.disabled}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <div className="form-actions">
        <button type="button" className="primary" onClick={() => send({ type: 'select-answer', id: select.id, values })}>
          Choose
        </button>
        <button type="button" onClick={() => send({ type: 'select-answer', id: select.id, values: null })}>
          Cancel
        </button>
      </div>
    </div>
  )
}
