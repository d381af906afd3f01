// The list of keyboard shortcuts (`?`), on the native modal <dialog>: Escape or Close shuts
// it and focus returns to where it was.
import { useRef } from 'react'
import { SHORTCUTS } from '../lib/shortcuts'
import { useModalDialog } from '../lib/useModalDialog'

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const closeRef = useRef<HTMLButtonElement>(null)
  const { dialogProps, close } = useModalDialog(open, onClose, closeRef)

  return (
    <dialog
      {...dialogProps}
      className="shortcuts-dialog"
      aria-labelledby="shortcuts-title"
      data-testid="shortcuts-dialog"
    >
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <p className="muted small">They do nothing while you type in a field.</p>
      <table className="shortcuts">
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Does</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.what} data-testid="shortcut-row">
              <td>
                {s.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && (s.keys[0] === 'Shift' ? '+' : ' then ')}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </td>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="form-actions">
        <button ref={closeRef} type="button" onClick={close}>
          Close
        </button>
      </div>
    </dialog>
  )
}
