// A button that reveals a small form in place, used for every "Add …" form so cards stay
// compact until the operator wants to edit. Focus goes into the form on open (autoFocus on
// its first field) and back to the button on close, so keyboard users never get lost.
import { useEffect, useRef, useState, type ReactNode } from 'react'

export function Disclosure({
  label,
  accessibleLabel,
  children,
  className,
}: {
  label: string
  /** A longer name for assistive tech when the same label repeats on every card. */
  accessibleLabel?: string
  children: (close: () => void) => ReactNode
  className?: string
}) {
  const [open, setOpen] = useState(false)
  const buttonRef = useRef<HTMLButtonElement>(null)
  const wasOpen = useRef(false)

  useEffect(() => {
    if (wasOpen.current && !open) buttonRef.current?.focus()
    wasOpen.current = open
  }, [open])

  return (
    <div className={`disclosure ${className ?? ''}`}>
      {open ? (
        <div className="disclosure-panel">{children(() => setOpen(false))}</div>
      ) : (
        <button
          ref={buttonRef}
          type="button"
          className="ghost small"
          aria-label={accessibleLabel}
          onClick={() => setOpen(true)}
        >
          + {label}
        </button>
      )}
    </div>
  )
}
