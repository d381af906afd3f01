// Chart libraries take colours as values, not CSS variables (an SVG fill attribute does not
// resolve var()). This reads the theme's variables and reads them again whenever the theme
// changes: the data-theme attribute, or the system scheme when the theme follows it.
import { useSyncExternalStore } from 'react'

function subscribe(cb: () => void): () => void {
  const mo = new MutationObserver(cb)
  mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] })
  const mq = window.matchMedia('(prefers-color-scheme: dark)')
  mq.addEventListener('change', cb)
  return () => {
    mo.disconnect()
    mq.removeEventListener('change', cb)
  }
}

const snapshot = () =>
  `${document.documentElement.getAttribute('data-theme') ?? 'system'}|${window.matchMedia('(prefers-color-scheme: dark)').matches}`

/** Resolved values of the named CSS custom properties (without the leading --). */
export function useThemeColors<K extends string>(names: readonly K[]): Record<K, string> {
  const key = useSyncExternalStore(subscribe, snapshot)
  const style = getComputedStyle(document.documentElement)
  const out = {} as Record<K, string>
  for (const n of names) out[n] = style.getPropertyValue(`--${n}`).trim() || 'currentColor'
  void key // the snapshot only decides when to read again
  return out
}
