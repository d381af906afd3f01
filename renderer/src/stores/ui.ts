// View preferences that outlive a view: the Execution lens, the colour theme, which track
// cards are open, and the Needs-you panel (shortcuts open it from anywhere).
import { create } from 'zustand'
import type { TrackState } from '@shared/domain'

export type Lens = TrackState | 'all'
export type ThemeChoice = 'system' | 'light' | 'dark'

const THEME_KEY = 'opdesk.theme'

function storedTheme(): ThemeChoice {
  try {
    const v = localStorage.getItem(THEME_KEY)
    return v === 'light' || v === 'dark' ? v : 'system'
  } catch {
    return 'system' // storage can be disabled; the system preference still applies
  }
}

const TRACKS_OPEN_KEY = 'opdesk.tracksOpen'
/** Choices kept; older ones (long-gone tracks, mostly) are dropped first. */
const TRACKS_OPEN_KEPT = 500
/** More cards than this and they start collapsed: a handful reads at a glance, more needs a list. */
export const COLLAPSE_PAST = 5

function storedTracksOpen(): Record<string, boolean> {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(TRACKS_OPEN_KEY) ?? '{}')
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {}
    return Object.fromEntries(Object.entries(v).filter(([, b]) => typeof b === 'boolean')) as Record<string, boolean>
  } catch {
    return {}
  }
}

export interface UiState {
  lens: Lens
  theme: ThemeChoice
  /** Track cards the operator opened (true) or closed (false); others follow COLLAPSE_PAST. */
  trackOpen: Record<string, boolean>
  needsYouOpen: boolean
  /** Bumped to ask the Needs-you panel to focus an item (index into its list). */
  needsYouFocus: { index: number; nonce: number } | null
}

export const useUi = create<UiState>(() => ({
  lens: 'all',
  theme: storedTheme(),
  trackOpen: storedTracksOpen(),
  needsYouOpen: false,
  needsYouFocus: null,
}))

export function setTrackOpen(id: string, open: boolean): void {
  const { [id]: _, ...rest } = useUi.getState().trackOpen
  const entries = [...Object.entries(rest), [id, open] as const].slice(-TRACKS_OPEN_KEPT)
  const trackOpen = Object.fromEntries(entries)
  useUi.setState({ trackOpen })
  try {
    localStorage.setItem(TRACKS_OPEN_KEY, JSON.stringify(trackOpen))
  } catch {
    // not persisted; still applied for this session
  }
}

export const setNeedsYouOpen = (open: boolean) => useUi.setState({ needsYouOpen: open })

/** Opens the Needs-you panel with focus on item `index` (wrapped by the panel). */
export function focusNeedsYouItem(index: number): void {
  useUi.setState((s) => ({ needsYouOpen: true, needsYouFocus: { index, nonce: (s.needsYouFocus?.nonce ?? 0) + 1 } }))
}

export const setLens = (lens: Lens) => useUi.setState({ lens })

export function setTheme(theme: ThemeChoice): void {
  useUi.setState({ theme })
  try {
    if (theme === 'system') localStorage.removeItem(THEME_KEY)
    else localStorage.setItem(THEME_KEY, theme)
  } catch {
    // not persisted; still applied for this session
  }
  applyTheme(theme)
}

/** CSS reads data-theme; without it, prefers-color-scheme decides. */
export function applyTheme(theme: ThemeChoice): void {
  const root = document.documentElement
  if (theme === 'system') root.removeAttribute('data-theme')
  else root.setAttribute('data-theme', theme)
}
