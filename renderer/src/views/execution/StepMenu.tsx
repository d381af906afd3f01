// A step's actions as an ARIA menu button: arrow keys move, Escape closes and returns focus
// to the button, leaving the menu (Tab, a click elsewhere) closes it.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import { href } from '../../lib/route'

export function StepMenu({
  trackId,
  stepTitle,
  onStartFlow,
}: {
  trackId: string
  stepTitle: string
  onStartFlow: () => void
}) {
  const [open, setOpen] = useState(false)
  const id = useId()
  const buttonRef = useRef<HTMLButtonElement>(null)
  const menuRef = useRef<HTMLUListElement>(null)

  useEffect(() => {
    if (open) menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus()
  }, [open])

  const close = (refocus: boolean) => {
    setOpen(false)
    if (refocus) buttonRef.current?.focus()
  }
  const onMenuKey = (e: KeyboardEvent) => {
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])]
    const at = items.indexOf(document.activeElement as HTMLElement)
    if (e.key === 'Escape') {
      e.preventDefault()
      close(true)
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      const next = (at + (e.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length
      items[next]?.focus()
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault()
      items[e.key === 'Home' ? 0 : items.length - 1]?.focus()
    } else if (e.key === 'Tab') close(false)
  }
  return (
    <div
      className="step-menu"
      onBlur={(e) => {
        if (open && !e.currentTarget.contains(e.relatedTarget as Node | null)) setOpen(false)
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        className="ghost small step-menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={`Actions for step ${stepTitle}`}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault()
            setOpen(true)
          }
        }}
      >
        ⋯
      </button>
      {open && (
        <ul ref={menuRef} id={id} role="menu" className="menu" aria-label={`Step ${stepTitle}`} onKeyDown={onMenuKey}>
          <li role="none">
            <button
              type="button"
              role="menuitem"
              tabIndex={-1}
              onClick={() => {
                close(false)
                onStartFlow()
              }}
            >
              Start flow…
            </button>
          </li>
          <li role="none">
            <a role="menuitem" tabIndex={-1} href={href.trackRuns(trackId)} onClick={() => setOpen(false)}>
              Runs of this track
            </a>
          </li>
        </ul>
      )}
    </div>
  )
}
