// What a screencast cannot show: the page's JS dialogs and native select popups, drawn
// here over the live view and answered through the session. Render each with key={info.id}.
import { useEffect, useRef, useState } from 'react'
import type { DialogInfo, SelectInfo } from '@shared/takeover'
import type { UpMessageIn } from '@shared/takeover-schema'

interface Props<T> {
  info: T
  send(msg: UpMessageIn): void
  /** False while someone else controls the page: the view shows, but cannot answer. */
  canAnswer: boolean
  ensureLease(): boolean
}

export function DialogOverlay({ info, send, canAnswer, ensureLease }: Props<DialogInfo>) {
  const [text, setText] = useState(info.defaultValue)
  const first = useRef<HTMLInputElement & HTMLButtonElement>(null)
  // Mounted once per dialog (keyed by id), so the answer starts from this dialog's default.
  useEffect(() => first.current?.focus(), [])
  const answer = (accept: boolean) => {
    if (!ensureLease()) return
    send({ type: 'dialog-answer', id: info.id, accept, ...(info.dialogType === 'prompt' && accept ? { text } : {}) })
  }
  const title = info.dialogType === 'beforeunload' ? 'Leave this page?' : `The page says (${info.dialogType})`
  return (
    <div
      className="takeover-overlay"
      role="dialog"
      aria-modal="true"
      aria-labelledby="tk-dialog-title"
      data-testid="takeover-dialog"
    >
      <form
        className="panel takeover-overlay-panel"
        onSubmit={(e) => {
          e.preventDefault()
          answer(true)
        }}
      >
        <h2 id="tk-dialog-title">{title}</h2>
        <p className="takeover-dialog-message">{info.message}</p>
        {info.dialogType === 'prompt' && (
          <label className="field">
            <span>Answer</span>
            <input ref={first} value={text} onChange={(e) => setText(e.target.value)} disabled={!canAnswer} />
          </label>
        )}
        <div className="form-actions">
          <button
            type="submit"
            className="primary"
            disabled={!canAnswer}
            ref={info.dialogType === 'prompt' ? undefined : first}
          >
            OK
          </button>
          {info.dialogType !== 'alert' && (
            <button type="button" disabled={!canAnswer} onClick={() => answer(false)}>
              Cancel
            </button>
          )}
        </div>
        {!canAnswer && <p className="muted small">Someone else controls this page; they answer the dialog.</p>}
      </form>
    </div>
  )
}

export function SelectOverlay({ info, send, canAnswer, ensureLease }: Props<SelectInfo>) {
  const initial = info.options.filter((o) => o.selected).map((o) => o.value)
  const [values, setValues] = useState<string[]>(initial)
  const list = useRef<HTMLSelectElement>(null)
  useEffect(() => list.current?.focus(), [])
  const answer = (v: string[] | null) => ensureLease() && send({ type: 'select-answer', id: info.id, values: v })
  return (
    <div
      className="takeover-overlay"
      role="dialog"
      aria-modal="true"
      aria-labelledby="tk-select-title"
      data-testid="takeover-select"
    >
      <form
        className="panel takeover-overlay-panel"
        onSubmit={(e) => {
          e.preventDefault()
          answer(values)
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') answer(null)
        }}
      >
        <h2 id="tk-select-title">Choose an option</h2>
        <select
          ref={list}
          aria-labelledby="tk-select-title"
          multiple={info.multiple}
          size={Math.min(10, Math.max(2, info.options.length))}
          value={info.multiple ? values : (values[0] ?? '')}
          disabled={!canAnswer}
          onChange={(e) => setValues([...e.target.selectedOptions].map((o) => o.value))}
          onDoubleClick={() => !info.multiple && answer(values)}
        >
          {info.options.map((o, i) => (
            <option key={`${i}:${o.value}`} value={o.value} disabled={o.disabled}>
              {o.label}
            </option>
          ))}
        </select>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={!canAnswer}>
            Choose
          </button>
          <button type="button" onClick={() => answer(null)} disabled={!canAnswer}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  )
}
