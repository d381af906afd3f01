// After an action on a row (mark done, approve, reject…) its control often unmounts or the
// row leaves the list (now, or when the list is fetched again a moment later), and the
// browser drops focus to <body>: the next Tab starts again at the top of the page. Focus
// goes back to the acted-on row instead (its first control), or to the row now in its
// place when it left the list, or to the view's heading when the list is gone with it.
const FOCUSABLE =
  'a[href], button:not(:disabled), select:not(:disabled), input:not(:disabled), textarea:not(:disabled), [tabindex="0"]'

/** How long after the action a lost focus is still the action's doing. */
const WATCH_MS = 3_000

const lost = () => {
  const el = document.activeElement
  return !el || el === document.body || !el.isConnected
}

/** Call before the action with the control that started it; call the result after. */
export function rememberRow(from: HTMLElement | null, rowSelector = 'li'): () => void {
  const row = from?.closest<HTMLElement>(rowSelector) ?? null
  // Rows are found again by their test id: a refetched list may be a new element.
  const kind = row?.getAttribute('data-testid')
  const siblings = () =>
    kind ? [...document.querySelectorAll<HTMLElement>(`[data-testid="${kind}"]`)] : row?.isConnected ? [row] : []
  const index = Math.max(0, siblings().indexOf(row!))
  const restore = (): HTMLElement | null => {
    const rows = siblings()
    const target = row?.isConnected ? row : rows[Math.min(index, rows.length - 1)]
    const el = target
      ? (target.querySelector<HTMLElement>(FOCUSABLE) ?? Object.assign(target, { tabIndex: -1 }))
      : document.querySelector<HTMLElement>('main h1[tabindex="-1"]')
    el?.focus()
    return el ?? null
  }
  return () => {
    const until = Date.now() + WATCH_MS
    // Focus we put (or found) on the row: the row may still leave the list after that.
    let ours: Element | null = document.activeElement
    const tick = () => {
      const waiting = Date.now() < until
      // A list being fetched again shows no rows for a moment: wait for it before giving up on it.
      if (lost() && (siblings().length > 0 || row?.isConnected || !waiting)) ours = restore()
      // The person moved on by themselves: leave focus where they put it.
      else if (!lost() && document.activeElement !== ours && document.activeElement !== from) return
      if (waiting) requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  }
}
