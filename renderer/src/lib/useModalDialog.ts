// One native modal <dialog> driven by an `open` flag. showModal() makes the page behind inert
// (focus stays inside) and gives Escape to the dialog; the hook adds what the browser does not
// do reliably: start focus where asked (autoFocus ran while the dialog was still closed) and
// return it to the opener (Chromium skips that when the opener re-rendered meanwhile).
import { useEffect, useRef, type RefObject } from 'react'

export interface ModalDialog {
  /** Spread onto the <dialog>. */
  dialogProps: { ref: RefObject<HTMLDialogElement | null>; onClose: () => void }
  /** Closes it as Escape does (for Close buttons); the `onClose` given to the hook follows. */
  close: () => void
}

export function useModalDialog(
  open: boolean,
  onClose: () => void,
  /** Focused on opening; without it the browser focuses the first focusable element. */
  initialFocus?: RefObject<HTMLElement | null>,
): ModalDialog {
  const ref = useRef<HTMLDialogElement>(null)
  const opener = useRef<HTMLElement | null>(null)

  useEffect(() => {
    const d = ref.current
    if (!d) return
    if (open && !d.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null
      d.showModal()
      initialFocus?.current?.focus()
    } else if (!open && d.open) d.close()
  }, [open, initialFocus])

  return {
    dialogProps: {
      ref,
      onClose: () => {
        onClose()
        if (opener.current?.isConnected) opener.current.focus()
      },
    },
    close: () => ref.current?.close(),
  }
}
