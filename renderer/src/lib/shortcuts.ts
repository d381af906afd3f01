// Keyboard shortcuts, GitHub/Gmail style: `?` lists them, `g` then a letter goes to a view,
// `n`/`j` and `p`/`k` walk the Needs-you list. They never fire while the person types (a
// field, the takeover view's key sink, anything editable), with Ctrl/Alt/Cmd held, or
// behind an open modal dialog.
import { useEffect } from 'react'
import { href } from './route'
import { focusNeedsYouItem, useUi } from '../stores/ui'

export interface Shortcut {
  keys: string[]
  what: string
}

/** `g` then one of these. */
export const GO_TO: Record<string, { label: string; href: string }> = {
  e: { label: 'Execution', href: href.execution },
  r: { label: 'Runs', href: href.runs },
  a: { label: 'Approvals', href: href.approvals },
  l: { label: 'Alerts', href: href.alerts },
  f: { label: 'Flows', href: href.flows },
  y: { label: 'Analytics', href: href.analytics },
  s: { label: 'Settings', href: href.settings },
}

export const SHORTCUTS: Shortcut[] = [
  { keys: ['?'], what: 'Show these shortcuts' },
  ...Object.entries(GO_TO).map(([k, v]) => ({ keys: ['g', k], what: `Go to ${v.label}` })),
  { keys: ['g', 't'], what: 'Go to the first track’s title (then ↓ ↑ between tracks, Enter opens one)' },
  { keys: ['n'], what: 'Next item that needs you (also j)' },
  { keys: ['p'], what: 'Previous item that needs you (also k)' },
  { keys: ['↓', '↑'], what: 'On a track’s title: the next or previous track' },
  { keys: ['Esc'], what: 'Close a menu, a panel or a dialog' },
  { keys: ['Shift', 'Esc'], what: 'Leave the live page in the takeover view' },
]

/** How long `g` waits for its letter. */
const SEQUENCE_MS = 1_500

/** Focuses the first element matching `selector` once the view has drawn it (up to 3 s). */
function focusWhenDrawn(selector: string): void {
  const until = Date.now() + 3_000
  const tick = () => {
    const el = document.querySelector<HTMLElement>(selector)
    if (el) el.focus()
    else if (Date.now() < until) requestAnimationFrame(tick)
  }
  // After the route change has moved focus to the new view's heading.
  requestAnimationFrame(tick)
}

function typingInto(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false
  if (el.isContentEditable) return true
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true
  if (el instanceof HTMLInputElement) return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(el.type)
  return false
}

export function useShortcuts(onHelp: () => void): void {
  useEffect(() => {
    let pendingG = 0
    let cursor = -1
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return
      if (typingInto(e.target)) return
      if (document.querySelector('dialog[open]')) return
      const now = Date.now()
      if (pendingG && now - pendingG < SEQUENCE_MS) {
        pendingG = 0
        const to = GO_TO[e.key]
        if (e.key === 't') {
          e.preventDefault()
          window.location.hash = href.execution
          focusWhenDrawn('.tracks [data-testid="track-toggle"]')
        } else if (to) {
          e.preventDefault()
          window.location.hash = to.href
        }
        return
      }
      pendingG = 0
      switch (e.key) {
        case '?':
          e.preventDefault()
          onHelp()
          return
        case 'g':
          pendingG = now
          return
        case 'n':
        case 'j':
        case 'p':
        case 'k': {
          e.preventDefault()
          // Start over from the oldest when the panel was closed; else move from where we are.
          const open = useUi.getState().needsYouOpen
          const forward = e.key === 'n' || e.key === 'j'
          cursor = open ? cursor + (forward ? 1 : -1) : forward ? 0 : -1
          focusNeedsYouItem(cursor)
          return
        }
      }
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [onHelp])
}
