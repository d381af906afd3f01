// View preferences that outlive a view: the Execution lens and the colour theme.
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

export interface UiState {
  lens: Lens
  theme: ThemeChoice
}

export const useUi = create<UiState>(() => ({ lens: 'all', theme: storedTheme() }))

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
