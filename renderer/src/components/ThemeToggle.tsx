import { setTheme, useUi, type ThemeChoice } from '../stores/ui'

const NEXT: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' }

/** One button cycling system → light → dark; the Settings view has the explicit choice. */
export function ThemeToggle() {
  const theme = useUi((s) => s.theme)
  return (
    <button type="button" className="ghost" onClick={() => setTheme(NEXT[theme])} title="Change colour theme">
      Theme: {theme}
    </button>
  )
}
