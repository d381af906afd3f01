// A full-size image viewer on the native modal <dialog>: the page behind becomes inert (focus
// stays inside), Escape closes it, and focus returns to whatever opened it. Arrow keys step
// through the set.
import { useRef, type KeyboardEvent } from 'react'
import { useModalDialog } from '../lib/useModalDialog'

export interface LightboxItem {
  key: string
  src: string
  name: string
  alt: string
  /** Where the original can be downloaded from. */
  href: string
}

export function Lightbox({
  items,
  index,
  onIndex,
  onClose,
}: {
  items: readonly LightboxItem[]
  index: number | null
  onIndex: (i: number) => void
  onClose: () => void
}) {
  const closeRef = useRef<HTMLButtonElement>(null)
  const open = index !== null && index < items.length
  const { dialogProps, close } = useModalDialog(open, onClose, closeRef)

  const item = open ? items[index] : undefined
  const step = (delta: number) => {
    if (index === null || items.length < 2) return
    onIndex((index + delta + items.length) % items.length)
  }
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowRight') step(1)
    else if (e.key === 'ArrowLeft') step(-1)
  }
  return (
    <dialog
      {...dialogProps}
      className="lightbox"
      aria-label={item ? `Screenshot ${item.name}` : 'Screenshot'}
      data-testid="lightbox"
      onKeyDown={onKey}
      // A click on the backdrop (the dialog box itself, outside the content) closes it too.
      onClick={(e) => e.target === e.currentTarget && close()}
    >
      {item && (
        <div className="lightbox-body">
          <div className="lightbox-bar">
            <span className="lightbox-name">
              {item.name}
              {items.length > 1 && (
                <span className="muted small">
                  {' '}
                  · {index! + 1} of {items.length}
                </span>
              )}
            </span>
            {items.length > 1 && (
              <>
                <button type="button" className="small" onClick={() => step(-1)} aria-label="Previous screenshot">
                  ←
                </button>
                <button type="button" className="small" onClick={() => step(1)} aria-label="Next screenshot">
                  →
                </button>
              </>
            )}
            <a className="small" href={item.href} download={item.name}>
              Download
            </a>
            <button ref={closeRef} type="button" className="small" onClick={close}>
              Close
            </button>
          </div>
          <img className="lightbox-img" src={item.src} alt={item.alt} />
        </div>
      )}
    </dialog>
  )
}
